package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/demo"
	"github.com/ordo-oms/ordo/ent"
	entapikey "github.com/ordo-oms/ordo/ent/apikey"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/graph"
	"github.com/ordo-oms/ordo/instance"
	"github.com/ordo-oms/ordo/inventory"
)

// serve migrates the store and serves HTTP until SIGINT/SIGTERM, then drains.
func serve(ctx context.Context, cfg config.Config, args []string, out io.Writer) error {
	fs := flags("serve")
	dev := fs.Bool("dev", false, "for trying Ordo out: print a fresh admin key, serve GraphiQL and let anyone introspect")
	market := fs.Bool("market", false, "also run the marketplace simulator, its six shops connected, with orders flowing in")
	marketAddr := fs.String("market-addr", "127.0.0.1:8090", "where the simulator listens (with --market)")
	marketRate := fs.Float64("market-rate", 0.2, "orders per second per simulated shop (with --market)")
	marketRestock := fs.Duration("market-restock", demo.DefaultRestockEvery, "how often the demo's suppliers deliver what sold (with --market)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if *dev {
		cfg = cfg.Dev()
	}
	inst, err := instance.Open(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer inst.Close()
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hubCtx, stopHub := context.WithCancel(context.WithoutCancel(ctx))
	defer stopHub()
	hubDone := make(chan error, 1)
	go func() { hubDone <- inst.Run(hubCtx) }()

	srv := inst.HTTPServer()
	srv.RegisterOnShutdown(inst.CloseSockets) // websockets are hijacked: Shutdown does not close them
	srvDone := make(chan error, 1)
	go func() { srvDone <- srv.Serve(ln) }()

	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(out, "Ordo is serving %s on %s\n  GraphiQL: %s\n  GraphQL:  %sgraphql\n", inst.DB.Dialect, inst.DB.Redacted(), url, url)
	var devKey string
	if *dev || *market {
		// One development admin key per store, the same on every start: GraphiQL's and the simulator's.
		rec, secret, err := inst.Keys.DevelopmentAdmin(ctx, inst.SecretKey)
		if err != nil {
			return err
		}
		devKey = secret
		if *dev {
			fmt.Fprintf(out, "  Admin key for GraphiQL's headers (%s, the same on every start): {\"Authorization\": \"Bearer %s\"}\n", rec.ID, secret)
		}
	}
	if *dev {
		// The console's development admin, made on a store with no staff user, printed while its
		// password is still the one derived from the secret key.
		email, password, ok, err := inst.Staff.DevelopmentAdmin(auth.NewContext(ctx, auth.System), inst.SecretKey)
		if err != nil {
			return err
		}
		if ok {
			fmt.Fprintf(out, "  Console:  %sconsole/ (sign in as %s with password %s)\n", url, email, password)
		} else {
			fmt.Fprintf(out, "  Console:  %sconsole/ (sign in as a staff user: ordo user create)\n", url)
		}
	}
	marketDone := make(chan error, 1)
	if *market {
		api := demo.HTTPAPI{URL: url + "graphql", Key: devKey}
		go func() {
			marketDone <- demo.RunMarket(ctx, demo.MarketConfig{Addr: *marketAddr, API: api, Rate: *marketRate, RestockEvery: *marketRestock, Out: out})
		}()
	}
	select {
	case err := <-srvDone:
		return fmt.Errorf("serve: %w", err)
	case err := <-hubDone:
		return fmt.Errorf("event hub stopped: %w", err)
	case err := <-marketDone:
		if err != nil {
			return fmt.Errorf("marketplace simulator: %w", err)
		}
		<-ctx.Done()
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	stopHub() // ends live streams so that websocket handlers return
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// migrate applies the pending migrations and says which one the store is at.
func migrate(ctx context.Context, cfg config.Config, out io.Writer) error {
	db, err := database.OpenWith(ctx, cfg.DatabaseURL, database.Options{MaxConns: cfg.DBMaxConns})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s is up to date: migration %s\n", db.Redacted(), v)
	return nil
}

// seed loads the demo business into an empty store.
func seed(ctx context.Context, cfg config.Config, args []string, out io.Writer) error {
	fs := flags("seed")
	ifEmpty := fs.Bool("if-empty", false, "do nothing when the store already has locations")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	inst, err := instance.Open(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer inst.Close()
	if err := seedAdmin(ctx, inst, out); err != nil {
		return err
	}
	n, err := inst.DB.Client.Location.Query().Count(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		if *ifEmpty {
			fmt.Fprintln(out, "the store already has data; demo seed skipped")
			return nil
		}
		return fmt.Errorf("seed: the store is not empty (%d locations); use --if-empty to skip", n)
	}
	err = demo.Seed(ctx, demo.Services{Catalog: inst.Catalog, Inventory: inst.Inventory, Orders: inst.Orders, Policies: inst.Router.Policies})
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintln(out, "demo data loaded into", inst.DB.Redacted())
	return nil
}

// check audits the ledger invariants and exits 1 when any (SKU, location) drifts.
func check(ctx context.Context, cfg config.Config, out io.Writer) error {
	inst, err := instance.Open(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer inst.Close()
	rep, err := inventory.Audit(ctx, inst.DB, nil, nil)
	if err != nil {
		return err
	}
	for _, d := range rep.Drift {
		fmt.Fprintf(out, "DRIFT %s at %s: on hand %d, ledger %d; reserved %d, ledger %d, open allocations %d\n",
			d.SKU, d.LocationID, d.OnHand, d.LedgerOnHand, d.Reserved, d.LedgerReserved, d.OpenAllocations)
	}
	fmt.Fprintf(out, "checked %d stock levels: %d drifting\n", rep.CheckedLevels, len(rep.Drift))
	if !rep.OK() {
		return exitCode(1)
	}
	return nil
}

// apikey creates an API key and prints it alone on the last line, or lists the keys.
func apikey(ctx context.Context, cfg config.Config, args []string, out io.Writer) error {
	if len(args) > 0 && args[0] == "list" {
		return apikeyList(ctx, cfg, out)
	}
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: ordo apikey create --role ROLE --name NAME [--customer cus_…] [--locations loc_…,loc_…], or ordo apikey list")
	}
	fs := flags("apikey create")
	role := fs.String("role", "", "admin, operator, support, storefront or partner")
	name := fs.String("name", "", "what the key is for")
	customer := fs.String("customer", "", "bind a storefront key to one customer")
	locations := fs.String("locations", "", "the locations a partner key serves, comma-separated (required for partners)")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("apikey create: %w", err)
	}
	if *name == "" {
		*name = strings.ToLower(*role) + " key"
	}
	inst, err := instance.Open(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer inst.Close()
	var cus *pulid.ID
	if *customer != "" {
		id := pulid.ID(*customer)
		cus = &id
	}
	var locs []pulid.ID
	for l := range strings.SplitSeq(*locations, ",") {
		if l = strings.TrimSpace(l); l != "" {
			locs = append(locs, pulid.ID(l))
		}
	}
	rec, secret, err := inst.Keys.CreateBound(ctx, *name, auth.Role(strings.ToUpper(*role)), auth.Binding{CustomerID: cus, LocationIDs: locs})
	if err != nil {
		return fmt.Errorf("apikey create: %w", err)
	}
	fmt.Fprintf(out, "created %s key %s (%q); store it now, it is not shown again:\n", rec.Role, rec.ID, rec.Name)
	fmt.Fprintln(out, secret)
	return nil
}

// apikeyList prints every API key, oldest first: id, role, created, revoked and name; never a
// secret (only hashes are stored).
func apikeyList(ctx context.Context, cfg config.Config, out io.Writer) error {
	inst, err := instance.Open(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer inst.Close()
	keys, err := inst.DB.Client.APIKey.Query().Order(ent.Asc(entapikey.FieldCreatedAt), ent.Asc(entapikey.FieldID)).All(ctx)
	if err != nil {
		return fmt.Errorf("apikey list: %w", err)
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tROLE\tCREATED\tREVOKED\tNAME")
	for _, k := range keys {
		revoked := "-"
		if k.RevokedAt != nil {
			revoked = k.RevokedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Role, k.CreatedAt.UTC().Format(time.RFC3339), revoked, k.Name)
	}
	return w.Flush()
}

// operations prints the persisted operations, one per line: id and name; with --json, their
// manifest in Apollo's persisted query manifest shape.
func operations(args []string, out io.Writer) error {
	fs := flags("operations")
	asJSON := fs.Bool("json", false, "print the manifest as JSON (Apollo persisted query manifest)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("operations: %w", err)
	}
	ops, err := graph.PersistedOperations()
	if err != nil {
		return err
	}
	if *asJSON {
		m, err := graph.NewManifest(ops)
		if err != nil {
			return err
		}
		return m.Encode(out)
	}
	for _, op := range ops {
		fmt.Fprintf(out, "%s  %s\n", op.SHA256, op.Name)
	}
	return nil
}

// marketsim serves the marketplace simulator on its own; with --ordo and --key it connects its six
// shops to that Ordo over its API and streams orders into them.
func marketsim(ctx context.Context, args []string, out io.Writer) error {
	fs := flags("marketsim")
	addr := fs.String("addr", "127.0.0.1:8090", "where the simulator listens")
	ordo := fs.String("ordo", "http://127.0.0.1:8080", "the Ordo to connect the shops to")
	key := fs.String("key", "", "an admin API key of that Ordo (ordo apikey create --role admin)")
	rate := fs.Float64("rate", 1, "orders per second per shop (11.11 mode: 80 and up)")
	duration := fs.Duration("duration", 0, "stop streaming orders after this long (0: never)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("marketsim: %w", err)
	}
	if *key == "" {
		return errors.New("marketsim: --key is required: an admin key of the Ordo at --ordo")
	}
	api := demo.HTTPAPI{URL: strings.TrimRight(*ordo, "/") + "/graphql", Key: *key}
	fmt.Fprintf(out, "marketplace simulator connecting to %s\n", *ordo)
	return demo.RunMarket(ctx, demo.MarketConfig{Addr: *addr, API: api, Rate: *rate, Duration: *duration, Out: out})
}
