// Package instance assembles one Ordo process: the store, the event hub, the domain services over
// them, and the HTTP handler that serves them. The binary and the end-to-end tests both start Ordo
// through it, so that tests run exactly what ships. It is the production composition root: it
// imports no demo code (make lint and TestInstanceImportsNoDemoCode check it).
package instance

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/gorilla/websocket"
	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/carriers"
	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/connections"
	"github.com/ordo-oms/ordo/console"
	"github.com/ordo-oms/ordo/customers"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fulfilment"
	"github.com/ordo-oms/ordo/graph"
	"github.com/ordo-oms/ordo/holds"
	"github.com/ordo-oms/ordo/imports"
	"github.com/ordo-oms/ordo/ingestion"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/listings"
	"github.com/ordo-oms/ordo/metrics"
	"github.com/ordo-oms/ordo/notifications"
	"github.com/ordo-oms/ordo/notifications/email"
	"github.com/ordo-oms/ordo/notifications/gateway"
	"github.com/ordo-oms/ordo/orders"
	"github.com/ordo-oms/ordo/outbound"
	"github.com/ordo-oms/ordo/paging"
	"github.com/ordo-oms/ordo/returns"
	"github.com/ordo-oms/ordo/server"
	"github.com/ordo-oms/ordo/staff"
	"github.com/ordo-oms/ordo/tracing"
	"github.com/ordo-oms/ordo/vault"
	"github.com/ordo-oms/ordo/webhooks"
)

// Instance is a wired Ordo process.
type Instance struct {
	Config      config.Config
	DB          *database.DB
	Hub         *events.Hub
	stopTracing func(context.Context) error // flushes and ends the trace export
	// Metrics is what the process tells Prometheus (served at /metrics when ORDO_METRICS is on).
	Metrics *metrics.Metrics
	// Live is what the process's live streams share (subscriptions per key, shared order reads).
	Live *graph.Live
	// Sockets are the open websockets, closed with a code at shutdown (CloseSockets).
	Sockets *server.Sockets
	Router  *dispatch.Service
	Orders  *orders.Service
	// Fulfilment plans and runs shipments.
	Fulfilment *fulfilment.Service
	// Returns runs returns and claims.
	Returns *returns.Service
	// Carriers open the carrier accounts (labels, tracking).
	Carriers *carriers.Service
	// Tracking takes carriers' tracking webhooks and pulls, and runs the delay and ship-by sweeps.
	Tracking *fulfilment.Tracking
	// Holds keeps stock for storefront carts until checkout, release or expiry.
	Holds *holds.Service
	// ReturnLabels issues return labels (Returns also hears of return shipments and of parcels
	// returned to the sender: fulfilment.Service.Returns).
	ReturnLabels *returns.Labels
	// Releaser allocates backorders when stock arrives.
	Releaser  *orders.Releaser
	Inventory *inventory.Service
	Catalog   *catalog.Service
	// Connections hold the channels' credentials and tokens and open their connectors.
	Connections *connections.Service
	// Ingestion takes channel orders in; Outbound tells channels about stock, shipments and
	// cancellations; Queue runs their durable jobs.
	Ingestion *ingestion.Service
	Outbound  *outbound.Service
	Queue     *jobs.Queue
	Keys      auth.Keys
	Log       *slog.Logger
	// SecretKey seals channel credentials (ORDO_SECRET_KEY, else the public development key) and
	// derives the development admin key.
	SecretKey []byte
	// Refunds grants refunds and makes exchanges and claims.
	Refunds *returns.Refunds
	// Persisted is the allow-list of trusted documents (partners run nothing else).
	Persisted []graph.PersistedOperation
	// Webhooks delivers the event log to partners' endpoints, signed.
	Webhooks *webhooks.Service
	// Notifications tells customers about their orders (email, and the messaging gateway).
	Notifications *notifications.Service
	// Staff are the console's users and their sessions.
	Staff *staff.Service
	// Customers merges and unmerges customers (one buyer across channels).
	Customers *customers.Service
	// Listings maps channels' listings to variants and keeps the review queue.
	Listings *listings.Service
	// Imports runs catalogue, stock and channel catalogue imports as durable jobs.
	Imports *imports.Service
}

// Open connects to the configured store, migrates it and wires the services. Run must be called
// for live updates to flow.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*Instance, error) {
	if log == nil {
		log = slog.Default()
	}
	db, err := database.OpenWith(ctx, cfg.DatabaseURL, database.Options{MaxConns: cfg.DBMaxConns})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	ops, err := graph.PersistedOperations()
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	auth.Scope(db.Client)
	key := cfg.SecretKey
	if key == nil {
		log.Warn("ORDO_SECRET_KEY is not set: channel credentials are sealed with the public development key; set it in production")
		key = vault.DevelopmentKey()
	}
	vlt, err := vault.New(key)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	hub := events.NewHub(db, events.Options{Logger: log, Buffer: cfg.SubscriptionBuffer})
	out := &outbound.Service{DB: db, Hub: hub, Log: log}
	hooks := &webhooks.Service{DB: db, Vault: vlt, AllowPrivate: cfg.WebhookAllowPrivate, Timeout: cfg.WebhookTimeout, Log: log}
	providers, err := notificationProviders(cfg)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	ntf := &notifications.Service{DB: db, Providers: providers, From: cfg.MailFrom, PublicURL: cfg.PublicURL, SecretKey: key, Log: log}
	committed := func() { hub.Wake(); out.Wake(); ntf.Wake(); hooks.Wake() }
	hooks.Committed = committed
	ntf.Committed = func() { hub.Wake(); hooks.Wake() }
	inv := &inventory.Service{DB: db, Committed: committed}
	router := &dispatch.Service{DB: db, Inventory: inv, Log: log}
	router.Policies = dispatch.Policies{DB: db, Changed: router.Invalidate}
	ord := &orders.Service{DB: db, Inventory: inv, Router: router, Committed: committed}
	car := &carriers.Service{DB: db, Vault: vlt, PublicURL: cfg.PublicURL}
	ful := &fulfilment.Service{DB: db, Inventory: inv, Orders: ord, Committed: committed}
	ord.Shipper = ful
	ret := &returns.Service{DB: db, Inventory: inv, Committed: committed}
	hld := &holds.Service{DB: db, Inventory: inv, Router: router, Committed: committed}
	ord.Holds = hld
	ful.Returns = ret
	labels := &returns.Labels{Returns: ret, Fulfilment: ful, Carriers: car}
	ord.Replanner = ful // cancelled units leave their open shipments
	ord.Returner = returner{ret}
	releaser := &orders.Releaser{Orders: ord, Log: log}
	inv.Replenished = releaser.Notify
	changed := func() { router.Invalidate(); out.Wake() }
	cat := &catalog.Service{DB: db, Changed: changed, Data: dispatch.DataChecker{}}
	conns := &connections.Service{DB: db, Vault: vlt, PublicURL: cfg.PublicURL, Changed: changed, Log: log}
	rfs := &returns.Refunds{DB: db, Returns: ret, Orders: ord, Committed: committed}
	lst := &listings.Service{DB: db, Changed: changed}
	ing := &ingestion.Service{DB: db, Orders: ord, Connections: conns, Returns: &returns.Channels{Returns: ret, Refunds: rfs}, Log: log, Listings: lst}
	out.Connections, out.Returns = conns, ret
	// A committed import batch may have mapped listings or changed stock: wake the live streams
	// and the stock sync.
	imp := &imports.Service{DB: db, Committed: func() { hub.Wake(); changed() }, Log: log}
	imp.Register(imports.Products{Data: cat.Data})
	imp.Register(imports.Stock{Replenished: inv.Replenish})
	imp.Register(imports.ChannelCatalog{Readers: conns})
	pull := &listings.Puller{DB: db,
		Readable: func(ch *ent.Channel) bool { _, ok, err := conns.CatalogReader(ch); return err == nil && ok },
		Start: func(ctx context.Context, id pulid.ID) error {
			_, err := imp.Start(ctx, imports.StartInput{Kind: importjob.KindCHANNEL_CATALOG, ChannelID: id, Actor: "system"})
			return err
		}}
	workers := river.NewWorkers()
	imp.RegisterWorker(workers)
	pull.Register(workers)
	ing.Register(workers)
	out.Register(workers)
	conns.Register(workers)
	ful.Register(workers)
	ing.RegisterReturns(workers)
	out.RegisterReturns(workers)
	trk := &fulfilment.Tracking{Fulfilment: ful, Carriers: car, Log: log}
	trk.Register(workers)
	hld.Register(workers)
	ord.Register(workers)
	rfs.Register(workers)
	hooks.Register(workers)
	ntf.Register(workers)
	periodic := append(append(append(ing.Periodic(), out.Periodic()...), ful.Periodic()...), trk.Periodic()...)
	periodic = append(append(periodic, hld.Periodic()...), ord.Periodic()...)
	periodic = append(append(periodic, ing.ReturnsPeriodic()...), out.ReturnsPeriodic()...)
	periodic = append(append(periodic, ntf.Periodic()...), hooks.Periodic()...)
	periodic = append(periodic, pull.Periodic()...)
	queue, err := jobs.New(db, jobs.Config{Workers: workers, Periodic: periodic, Logger: log, Tracing: cfg.Tracing})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	ing.Queue, out.Queue, conns.Queue, ret.Queue, ntf.Queue = queue, queue, queue, queue, queue
	hooks.Queue, imp.Queue = queue, queue
	live := &graph.Live{MaxPerKey: cfg.MaxSubscriptionsPerKey}
	met := metrics.New()
	if err := met.Watch(db, live.Open, log); err != nil {
		_ = db.Close()
		return nil, err
	}
	stopTracing := func(context.Context) error { return nil }
	if cfg.Tracing {
		if stopTracing, err = tracing.Start(ctx); err != nil {
			_ = db.Close()
			return nil, err
		}
		conns.HTTP, car.HTTP = tracing.Client(connections.NewHTTPClient()), tracing.Client(&http.Client{Timeout: 30 * time.Second})
	}
	return &Instance{
		Config:        cfg,
		DB:            db,
		Hub:           hub,
		Live:          live,
		Metrics:       met,
		stopTracing:   stopTracing,
		Sockets:       &server.Sockets{},
		Router:        router,
		Releaser:      releaser,
		Orders:        ord,
		Fulfilment:    ful,
		Carriers:      car,
		Tracking:      trk,
		Returns:       ret,
		ReturnLabels:  labels,
		Holds:         hld,
		Inventory:     inv,
		Catalog:       cat,
		Connections:   conns,
		Ingestion:     ing,
		Outbound:      out,
		Queue:         queue,
		Keys:          auth.Keys{Client: db.Client},
		Log:           log,
		SecretKey:     key,
		Persisted:     ops,
		Refunds:       rfs,
		Notifications: ntf,
		Webhooks:      hooks,
		Staff:         &staff.Service{DB: db, Committed: hub.Wake},
		Customers:     &customers.Service{DB: db, Committed: hub.Wake},
		Listings:      lst,
		Imports:       imp,
	}, nil
}

// Run runs the background work of the process (the event hub, the backorder releaser, the job
// queue, the outbound and notification relays and the partner webhooks' dispatchers) until ctx ends;
// running jobs get stopTimeout to finish.
func (i *Instance) Run(ctx context.Context) error {
	if err := i.Queue.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Go(func() { i.Releaser.Run(ctx) })
	wg.Go(func() { i.Outbound.Run(ctx) })
	wg.Go(func() { i.Webhooks.Run(ctx) })
	wg.Go(func() { i.Notifications.Run(ctx) })
	err := i.Hub.Run(ctx)
	wg.Wait()
	stopCtx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	if serr := i.Queue.Stop(stopCtx); serr != nil && err == nil {
		err = serr
	}
	return err
}

// stopTimeout is how long running jobs may take to finish when the process stops.
const stopTimeout = 10 * time.Second

// Close releases the store.
func (i *Instance) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return errors.Join(i.stopTracing(ctx), i.DB.Close())
}

// Handler is the HTTP interface: /graphql, GraphiQL, /healthz and /readyz.
func (i *Instance) Handler() http.Handler {
	r := &graph.Resolver{DB: i.DB, Orders: i.Orders, Fulfilment: i.Fulfilment, Carriers: i.Carriers, Inventory: i.Inventory, Catalog: i.Catalog, Connections: i.Connections, Keys: i.Keys, Hub: i.Hub, Live: i.Live,
		Policies: i.Router.Policies, Router: i.Router, Ingestion: i.Ingestion, Outbound: i.Outbound, Returns: i.Returns, ReturnLabels: i.ReturnLabels,
		Refunds: i.Refunds}
	r.Holds, r.Notifications, r.Webhooks, r.StaffAccounts = i.Holds, i.Notifications, i.Webhooks, i.Staff
	r.Customers = i.Customers
	r.Listings = i.Listings
	r.Imports = i.Imports
	return server.New(i.serverConfig(), graph.NewSchema(r), i.Keys, i.DB.Ready, i.Log)
}

// HTTPServer is the http.Server that serves Handler with the configured timeouts for slow clients.
func (i *Instance) HTTPServer() *http.Server { return server.HTTPServer(i.serverConfig(), i.Handler()) }

// serverConfig is the HTTP server's part of the configuration.
func (i *Instance) serverConfig() server.Config {
	return server.Config{
		Addr:            i.Config.HTTPAddr,
		AllowedOrigins:  i.Config.AllowedOrigins,
		MaxBodyBytes:    i.Config.MaxBodyBytes,
		ComplexityLimit: i.Config.ComplexityLimit,
		MaxDepth:        i.Config.DepthLimit,
		Introspection:   server.IntrospectionAccess(i.Config.Introspection),
		Extensions: []graphql.HandlerExtension{graph.NewPersisted(i.Persisted), graph.Authorizer{}, graph.Streams{},
			graph.PageCaps{Limits: paging.NewLimits(i.Config.MaxPageSize)}},
		Webhooks:          i.Ingestion,
		Documents:         i.Fulfilment,
		CarrierHooks:      i.Tracking,
		Notifications:     i.Notifications.Handler(),
		Sockets:           i.Sockets,
		MaxPageSize:       i.Config.MaxPageSize,
		GraphiQL:          i.Config.GraphiQL,
		ReadHeaderTimeout: i.Config.ReadHeaderTimeout,
		ReadTimeout:       i.Config.ReadTimeout,
		IdleTimeout:       i.Config.IdleTimeout,
		Sessions:          i.Staff,
		Console: &console.Handler{Staff: i.Staff, InsecureCookies: i.Config.InsecureCookies,
			AllowedOrigins: i.Config.AllowedOrigins, Log: i.Log},
		Jobs:      console.Jobs(i.Queue.UI()),
		Observer:  i.Metrics,
		Metrics:   i.metricsHandler(),
		Profiling: i.Config.Profiling,
		Tracing:   i.Config.Tracing,
		Imports:   i.Imports.HTTP(),
	}
}

// metricsHandler serves the process's metrics when ORDO_METRICS is on.
func (i *Instance) metricsHandler() http.Handler {
	if !i.Config.Metrics {
		return nil
	}
	return i.Metrics.Handler()
}

// NewLogger is the process's logger at level, in format (text or json, as config validated them);
// every line a request causes carries its request id.
func NewLogger(w io.Writer, level, format string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: l}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(server.LogHandler(h))
}

// CloseSockets closes every websocket with 1012 (service restart), and any opened from now on, so
// that clients reconnect (to this process once it is back, or to another replica) and resume their
// subscriptions from their cursors. Call it when the process stops serving.
func (i *Instance) CloseSockets() {
	i.Sockets.CloseAll(websocket.CloseServiceRestart, "server restarting: reconnect and resume from your cursor")
}

// notificationProviders are the ways customers are told, as configured: email when an SMTP server
// is, the messaging gateway when one is; none: customers are not notified.
func notificationProviders(cfg config.Config) ([]notifications.Provider, error) {
	var ps []notifications.Provider
	if cfg.SMTPURL != "" {
		p, err := email.New(cfg.SMTPURL)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	if cfg.NotifyHTTPURL != "" {
		p, err := gateway.New(cfg.NotifyHTTPURL, cfg.NotifyHTTPSecret, &http.Client{Timeout: gatewayTimeout})
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// gatewayTimeout bounds one POST to the messaging gateway.
const gatewayTimeout = 30 * time.Second

// returner lets orders turn units cancelled after hand-over into a return (orders cannot import
// returns, which imports orders).
type returner struct{ r *returns.Service }

func (a returner) ReturnAfterHandover(ctx context.Context, tx *ent.Tx, orderID pulid.ID, lines []orders.ReturnLine, reason string) error {
	in := make([]returns.LineInput, len(lines))
	for i, l := range lines {
		in[i] = returns.LineInput{OrderLineID: l.OrderLineID, Quantity: l.Quantity}
	}
	_, err := a.r.ReturnAfterHandover(ctx, tx, orderID, in, reason)
	return err
}
