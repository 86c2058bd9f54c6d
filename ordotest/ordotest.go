// Package ordotest starts real Ordo servers for end-to-end tests and benchmarks: a migrated store,
// the event hub running and the HTTP handler on a loopback listener, exactly as `ordo serve` wires
// them, plus a GraphQL client over HTTP and a subscription client over websockets. A server's pool
// is bounded by dbtest.MaxConns unless ORDO_DB_MAX_CONNS says otherwise.
package ordotest

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/instance"
	"github.com/ordo-oms/ordo/inventory"
)

// Server is a running Ordo.
type Server struct {
	URL      string // base URL, e.g. http://127.0.0.1:41234
	Inst     *instance.Instance
	AdminKey string
	stop     func()
}

// Stop stops the server before the test ends, as a shutdown would: running jobs finish or are
// left to the next process, queued ones wait in the store.
func (s *Server) Stop() { s.stop() }

// Start runs Ordo on the store at dbURL (already migrated or empty) until the test ends.
func Start(t testing.TB, dbURL string) *Server {
	t.Helper()
	return StartWith(t, dbURL, nil)
}

// StartWith is Start with the configuration changed by configure (when not nil) before Ordo
// opens, e.g. to send notifications through a test mail server. Partner webhooks may target
// loopback receivers, as in `ordo serve --dev`.
func StartWith(t testing.TB, dbURL string, configure func(*config.Config)) *Server {
	t.Helper()
	return StartPrepared(t, dbURL, configure, nil)
}

// StartPrepared is StartWith that also lets prepare (when not nil) change the opened instance
// before it runs, e.g. to retry failed notifications within a test's patience.
func StartPrepared(t testing.TB, dbURL string, configure func(*config.Config), prepare func(*instance.Instance)) *Server {
	t.Helper()
	cfg, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = dbURL
	if os.Getenv("ORDO_DB_MAX_CONNS") == "" {
		cfg.DBMaxConns = dbtest.MaxConns // the suite shares PostgreSQL's connections with other clients
	}
	cfg.LogLevel = "warn"
	cfg.SecretKey = []byte("ordotest key: 32 bytes, not ok!!")
	cfg.WebhookAllowPrivate = true
	// The listener comes first, so that Ordo knows the public URL channels send webhooks to.
	ts := httptest.NewUnstartedServer(nil)
	cfg.PublicURL = "http://" + ts.Listener.Addr().String()
	if configure != nil {
		configure(&cfg)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithCancel(context.Background())
	inst, err := instance.Open(ctx, cfg, log)
	if err != nil {
		cancel()
		ts.Close()
		t.Fatal(err)
	}
	if prepare != nil {
		prepare(inst)
	}
	done := make(chan error, 1)
	go func() { done <- inst.Run(ctx) }()
	ts.Config.Handler = inst.Handler()
	ts.Start()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			inst.CloseSockets()
			cancel()
			ts.CloseClientConnections()
			ts.Close()
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("event hub: %v", err)
			}
			_ = inst.Close()
		})
	}
	t.Cleanup(stop)
	s := &Server{URL: ts.URL, Inst: inst, stop: stop}
	s.AdminKey = s.Key(t, auth.Admin, nil)
	return s
}

// Key creates an API key with the given role and returns its secret.
func (s *Server) Key(t testing.TB, role auth.Role, customer *pulid.ID) string {
	t.Helper()
	_, secret, err := s.Inst.Keys.Create(context.Background(), string(role)+" test key", role, customer)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// Client returns a GraphQL client that sends key.
func (s *Server) Client(key string) *Client {
	return &Client{URL: s.URL + "/graphql", Key: key, HTTP: &http.Client{
		Timeout:   60 * time.Second,
		Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256},
	}}
}

// Admin is a client with the admin key.
func (s *Server) Admin() *Client { return s.Client(s.AdminKey) }

// system is the context fixtures are written with.
func system() context.Context { return auth.NewContext(context.Background(), auth.System) }

// Location creates a warehouse with the given code and priority.
func (s *Server) Location(t testing.TB, code string, priority int) *ent.Location {
	t.Helper()
	l, err := s.Inst.Catalog.CreateLocation(system(), ent.CreateLocationInput{Code: code, Name: code, Kind: location.KindWAREHOUSE, Priority: &priority})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// SKU creates a product with one variant priced 1000 minor units of USD, weighing 500 g in
// 200×150×100 mm (complete data under the default catalogue rule), and receives the given
// quantities at the given locations.
func (s *Server) SKU(t testing.TB, sku string, stock map[pulid.ID]int64) *ent.Variant {
	t.Helper()
	ctx := system()
	p, err := s.Inst.Catalog.CreateProduct(ctx, ent.CreateProductInput{Name: sku})
	if err != nil {
		t.Fatal(err)
	}
	price, grams, l, w, h := int64(1000), 500, 200, 150, 100
	v, err := s.Inst.Catalog.CreateVariant(ctx, ent.CreateVariantInput{Sku: sku, Name: sku, ProductID: p.ID, PriceAmount: &price,
		WeightGrams: &grams, LengthMm: &l, WidthMm: &w, HeightMm: &h})
	if err != nil {
		t.Fatal(err)
	}
	for loc, q := range stock {
		if _, err := s.Inst.Inventory.Receive(ctx, inventory.Receive{SKU: sku, LocationID: loc, Quantity: q}); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

// Audit fails the test when the ledger does not explain every stock level.
func (s *Server) Audit(t testing.TB) {
	t.Helper()
	rep, err := inventory.Audit(context.Background(), s.Inst.DB, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("ledger drift: %+v", rep.Drift)
	}
}
