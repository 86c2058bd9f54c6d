// Package server is Ordo's HTTP wiring: one GraphQL endpoint, /graphql, over HTTP (GraphQL over
// HTTP: GET and POST) and over websockets (graphql-transport-ws and the legacy graphql-ws, on
// gorilla/websocket); API-key authentication, and the console's session cookie (with its CSRF
// token); request limits (body and message size, tokens and
// nesting, depth, cost and page sizes, slow clients); the one error presenter; GraphiQL, built
// into the binary; health and readiness probes; request logs.
//
// It holds no business rules: the schema it serves comes from graph/, the keys from auth/.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/paging"
	"github.com/ordo-oms/ordo/tracing"
)

// Config is the server's part of Ordo's configuration. Zero values mean the defaults below; a
// negative ComplexityLimit or MaxDepth switches that limit off.
type Config struct {
	// Addr is the address to listen on. New does not listen; the binary hands Addr to http.Server.
	Addr string
	// AllowedOrigins are the browser origins (scheme://host[:port]) that may open websockets,
	// besides the server's own host. Clients that send no Origin header are not browsers and may.
	AllowedOrigins []string
	// MaxBodyBytes caps a POST body; a larger one gets 413.
	MaxBodyBytes int64
	// ComplexityLimit caps an operation's cost: every field counts 1, and lists multiply their
	// items' fields by their page size (see operationCost).
	ComplexityLimit int
	// MaxDepth caps how deep an operation's fields nest.
	MaxDepth int
	// MaxPageSize is the largest first or last a connection may be asked for; a connection asked
	// for neither serves paging.DefaultSize items (or MaxPageSize, when smaller).
	MaxPageSize int
	// MaxTokens and MaxNesting cap a document before it is parsed: its number of tokens, and how
	// deep its braces, brackets and parentheses nest (selection sets and input values).
	MaxTokens, MaxNesting int
	// Introspection says who may introspect the schema; the zero value is IntrospectionKeys.
	Introspection IntrospectionAccess
	// GraphiQL serves GraphiQL at /, from assets built into the binary.
	GraphiQL bool
	// WebsocketReadLimit caps one websocket message from a client; a larger one closes the socket.
	WebsocketReadLimit int64
	// KeepAlive is how often the server pings websocket clients (control pings, plus protocol
	// keep-alives: "ka" on graphql-ws, "ping" on graphql-transport-ws). A client that sends nothing,
	// not even a pong, for twice this long is disconnected.
	KeepAlive time.Duration
	// ReadHeaderTimeout, ReadTimeout and IdleTimeout bound how long a client may take to send a
	// request's headers, its whole request, and how long a kept-alive connection may wait for the
	// next request (see HTTPServer). Websockets set their own deadlines once upgraded.
	ReadHeaderTimeout, ReadTimeout, IdleTimeout time.Duration
	// Extensions are added to the GraphQL handler before the limits, e.g. the access policy.
	Extensions []graphql.HandlerExtension
	// Webhooks, when set, receives the channels' webhooks at /webhooks/{kind}/{channelID}.
	Webhooks WebhookReceiver
	// Documents, when set, serves stored documents at GET /documents/{id} to API keys that may
	// read them.
	Documents DocumentStore
	// CarrierHooks, when set, receives the carriers' tracking webhooks at
	// /webhooks/carriers/{accountID}.
	CarrierHooks CarrierHookReceiver
	// Notifications, when set, serves the customer notifications' pages under /notifications/ (the
	// unsubscribe link every message carries). They take no API key: the link's signed token is
	// what authorizes them.
	Notifications http.Handler
	// Sessions, when set, authenticates the console's session cookie (ordo_session) where no API
	// key is sent: on /graphql (state-changing requests also need the session's X-CSRF-Token),
	// its websockets (with "csrfToken" in connection_init), /documents/{id} and /riverui/.
	Sessions SessionAuthenticator
	// Console, when set, is served under /console/ (the staff console and its sign-in API).
	Console http.Handler
	// Jobs, when set, is served under /riverui/ to the viewer of an API key or session (it checks
	// the role itself); state-changing requests with the cookie need an Origin of this server.
	Jobs http.Handler
	// Observer, when set, is told of every request, GraphQL operation and channel webhook.
	Observer Observer
	// Metrics, when set, is served at /metrics to admins (Prometheus scrapes with an admin key as
	// its bearer token).
	Metrics http.Handler
	// Profiling serves Go's pprof under /debug/pprof/ to admins.
	Profiling bool
	// Tracing gives each request a span (continuing the caller's W3C trace context), named by its
	// route, and each GraphQL operation a span beneath it.
	Tracing bool
	// Imports, when set, is served under /imports/ (CSV uploads, templates, refused rows) to the
	// viewer of an API key or session (it checks the role itself); a POST with the cookie needs the
	// session's X-CSRF-Token. It caps its own bodies (files are larger than GraphQL requests).
	Imports http.Handler
	// Sockets, when set, tracks the open websockets so that a shutdown can close them with a code
	// (Sockets.CloseAll).
	Sockets *Sockets
}

// The defaults of Config.
const (
	DefaultAddr               = ":8080"
	DefaultMaxBodyBytes       = 1 << 20
	DefaultComplexityLimit    = 25000
	DefaultMaxDepth           = 15
	DefaultMaxTokens          = 10000
	DefaultMaxNesting         = 64
	DefaultWebsocketReadLimit = 64 << 10
	DefaultKeepAlive          = 25 * time.Second
	DefaultReadHeaderTimeout  = 10 * time.Second
	DefaultReadTimeout        = 30 * time.Second
	DefaultIdleTimeout        = 2 * time.Minute
)

// WithDefaults returns c with its zero fields set to the defaults.
func (c Config) WithDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.ComplexityLimit == 0 {
		c.ComplexityLimit = DefaultComplexityLimit
	}
	if c.MaxDepth == 0 {
		c.MaxDepth = DefaultMaxDepth
	}
	if c.MaxPageSize <= 0 {
		c.MaxPageSize = paging.DefaultSize
	}
	if c.MaxTokens <= 0 {
		c.MaxTokens = DefaultMaxTokens
	}
	if c.MaxNesting <= 0 {
		c.MaxNesting = DefaultMaxNesting
	}
	if c.Introspection == "" {
		c.Introspection = IntrospectionKeys
	}
	if c.WebsocketReadLimit <= 0 {
		c.WebsocketReadLimit = DefaultWebsocketReadLimit
	}
	if c.KeepAlive <= 0 {
		c.KeepAlive = DefaultKeepAlive
	}
	if c.ReadHeaderTimeout <= 0 {
		c.ReadHeaderTimeout = DefaultReadHeaderTimeout
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = DefaultReadTimeout
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	return c
}

// HTTPServer is the http.Server that serves h on cfg.Addr with cfg's timeouts, so that a client
// trickling its headers or its body, or idling on a kept-alive connection, is cut off. A websocket
// outlives ReadTimeout: the websocket adapter sets its own read deadline as soon as it upgrades.
func HTTPServer(cfg Config, h http.Handler) *http.Server {
	cfg = cfg.WithDefaults()
	return &http.Server{
		Addr:              cfg.Addr,
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		IdleTimeout:       cfg.IdleTimeout,
	}
}

// readyTimeout bounds one readiness check.
const readyTimeout = 5 * time.Second

// New returns Ordo's HTTP handler serving schema. keys authenticates API keys; ready, if not nil,
// says whether the process can serve (the store is reachable); log receives request logs and the
// errors that clients only see as INTERNAL (nil discards them).
//
// Routes: /graphql (GET, POST, websocket upgrade), / and /graphiql/ (GraphiQL, when cfg.GraphiQL),
// /webhooks/{kind}/{channelID} (the channels' webhooks, when cfg.Webhooks is set),
// /webhooks/carriers/{accountID} (carriers' tracking, when cfg.CarrierHooks is set), /documents/{id}
// (stored documents, when cfg.Documents is set), /notifications/… (the unsubscribe page, when
// cfg.Notifications is set), /imports/… (cfg.Imports), /console/… (cfg.Console), /riverui/… (cfg.Jobs), /healthz (the
// process is up) and /readyz (ready answers: "ready", or 503 "not ready" and nothing more, whoever
// asks; the reason goes to the log).
func New(cfg Config, schema graphql.ExecutableSchema, keys Authenticator, ready func(context.Context) error, log *slog.Logger) http.Handler {
	cfg = cfg.WithDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	origins := newOrigins(cfg.AllowedOrigins)

	authn := authenticator{keys: keys, sessions: cfg.Sessions, origins: origins, log: log}
	mux := http.NewServeMux()
	mux.Handle("/graphql", refuseForeignOrigins(origins, authn.authenticate(headerToken, graphQL(cfg, schema, keys, origins, log))))
	if cfg.GraphiQL {
		mux.Handle("GET /{$}", graphiQLPage("/graphql"))
		mux.Handle("GET "+graphiQLAssetsPath, graphiQLAssets())
	}
	if cfg.Webhooks != nil {
		mux.Handle("POST /webhooks/{kind}/{channelID}", webhooks(cfg.Webhooks, cfg.MaxBodyBytes, cfg.Observer, log))
	}
	if cfg.Documents != nil {
		mux.Handle("GET /documents/{id}", authn.authenticate(headerToken, documentsHandler(cfg.Documents, log)))
	}
	if cfg.CarrierHooks != nil {
		mux.Handle("POST /webhooks/carriers/{accountID}", carrierHooks(cfg.CarrierHooks, cfg.MaxBodyBytes, log))
	}
	if cfg.Notifications != nil {
		mux.Handle("/notifications/", http.MaxBytesHandler(cfg.Notifications, cfg.MaxBodyBytes))
	}
	if cfg.Console != nil {
		mux.Handle("/console/", http.MaxBytesHandler(cfg.Console, cfg.MaxBodyBytes))
	}
	if cfg.Imports != nil {
		mux.Handle("/imports/", refuseForeignOrigins(origins, authn.authenticate(headerToken, cfg.Imports)))
	}
	if cfg.Jobs != nil {
		mux.Handle("/riverui/", authn.authenticate(sameOriginGuard(origins), http.MaxBytesHandler(cfg.Jobs, cfg.MaxBodyBytes)))
	}
	if cfg.Metrics != nil {
		mux.Handle("GET /metrics", authn.authenticate(headerToken, adminOnly("/metrics", cfg.Metrics)))
	}
	if cfg.Profiling {
		mux.Handle("GET /debug/pprof/", authn.authenticate(headerToken, adminOnly("pprof", profiles())))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if ready != nil {
			ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
			defer cancel()
			if err := ready(ctx); err != nil {
				// The reason may name the store, its address or its error: it is for the logs only.
				log.WarnContext(r.Context(), "not ready", "err", err)
				w.Header().Set("Retry-After", retryAfterSeconds)
				http.Error(w, "not ready", http.StatusServiceUnavailable)
				return
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ready\n"))
	})
	h := logRequests(log, cfg.Observer, mux)
	if cfg.Tracing {
		h = tracing.Handler(h)
	}
	return h
}

// graphQL is gqlgen's handler with Ordo's transports, limits, error presenter and query cache.
func graphQL(cfg Config, schema graphql.ExecutableSchema, keys Authenticator, origins origins, log *slog.Logger) http.Handler {
	sockets := cfg.Sockets
	if sockets == nil {
		sockets = &Sockets{}
	}
	srv := handler.New(schema)
	srv.AddTransport(wsTransport{
		Websocket: transport.Websocket{
			InitFunc:              initWebsocket(keys, cfg.Sessions, revocations(keys, cfg.Sessions, log), log),
			InitTimeout:           initTimeout,
			KeepAlivePingInterval: cfg.KeepAlive,
			PingPongInterval:      cfg.KeepAlive,
			PayloadReadLimit:      &cfg.WebsocketReadLimit,
			ErrorFunc: func(ctx context.Context, err error) {
				log.DebugContext(ctx, "websocket", "err", err)
			},
		},
		sockets:   sockets,
		origins:   origins,
		readLimit: cfg.WebsocketReadLimit,
		keepAlive: cfg.KeepAlive,
	})
	srv.AddTransport(httpTransport{maxBody: cfg.MaxBodyBytes})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(recoverPanic(log))
	srv.Use(inputLimit{maxTokens: cfg.MaxTokens, maxNesting: cfg.MaxNesting})
	srv.Use(introspectionPolicy{access: cfg.Introspection})
	srv.Use(refuseNUL{})
	srv.Use(observeOperations{obs: cfg.Observer})
	for _, e := range cfg.Extensions {
		srv.Use(e)
	}
	if cfg.MaxDepth > 0 {
		srv.Use(depthLimit{max: cfg.MaxDepth})
	}
	if cfg.ComplexityLimit > 0 {
		srv.Use(costLimit{limit: cfg.ComplexityLimit, pages: paging.NewLimits(cfg.MaxPageSize)})
	}
	return srv
}

// refuseForeignOrigins answers 403 to a websocket upgrade from a browser page on an origin that is
// not allowed, before gqlgen sees it. (The upgrader checks again.)
func refuseForeignOrigins(o origins, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" && !o.allowed(r) {
			writeError(w, r, http.StatusForbidden,
				fault.New(fault.Forbidden, "origin %q may not open websockets here", r.Header.Get("Origin")))
			return
		}
		next.ServeHTTP(w, r)
	})
}
