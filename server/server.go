// Package server is Ordo's HTTP wiring: one GraphQL endpoint, /graphql, over HTTP (GraphQL over
// HTTP: GET and POST) and over websockets (graphql-transport-ws and the legacy graphql-ws, on
// gorilla/websocket); API-key authentication; request limits (body size, depth, complexity,
// message size); the one error presenter; GraphiQL; health and readiness probes; request logs.
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
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/ordo-oms/ordo/fault"
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
	// ComplexityLimit caps an operation's complexity as gqlgen computes it.
	ComplexityLimit int
	// MaxDepth caps how deep an operation's fields nest.
	MaxDepth int
	// Introspection enables __schema and __type, and GraphiQL at / (which needs them).
	Introspection bool
	// WebsocketReadLimit caps one websocket message from a client; a larger one closes the socket.
	WebsocketReadLimit int64
	// KeepAlive is how often the server pings websocket clients (control pings, plus protocol
	// keep-alives: "ka" on graphql-ws, "ping" on graphql-transport-ws). A client that sends nothing,
	// not even a pong, for twice this long is disconnected.
	KeepAlive time.Duration
	// Extensions are added to the GraphQL handler before the limits, e.g. the access policy.
	Extensions []graphql.HandlerExtension
	// Webhooks, when set, receives the channels' webhooks at /webhooks/{kind}/{channelID}.
	Webhooks WebhookReceiver
	// Sockets, when set, tracks the open websockets so that a shutdown can close them with a code
	// (Sockets.CloseAll).
	Sockets *Sockets
}

// The defaults of Config.
const (
	DefaultAddr               = ":8080"
	DefaultMaxBodyBytes       = 1 << 20
	DefaultComplexityLimit    = 1000
	DefaultMaxDepth           = 15
	DefaultWebsocketReadLimit = 64 << 10
	DefaultKeepAlive          = 25 * time.Second
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
	if c.WebsocketReadLimit <= 0 {
		c.WebsocketReadLimit = DefaultWebsocketReadLimit
	}
	if c.KeepAlive <= 0 {
		c.KeepAlive = DefaultKeepAlive
	}
	return c
}

// readyTimeout bounds one readiness check.
const readyTimeout = 5 * time.Second

// New returns Ordo's HTTP handler serving schema. keys authenticates API keys; ready, if not nil,
// says whether the process can serve (the store is reachable); log receives request logs and the
// errors that clients only see as INTERNAL (nil discards them).
//
// Routes: /graphql (GET, POST, websocket upgrade), / (GraphiQL, when introspection is on),
// /webhooks/{kind}/{channelID} (the channels' webhooks, when cfg.Webhooks is set), /healthz (the
// process is up) and /readyz (ready answers).
func New(cfg Config, schema graphql.ExecutableSchema, keys Authenticator, ready func(context.Context) error, log *slog.Logger) http.Handler {
	cfg = cfg.WithDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	origins := newOrigins(cfg.AllowedOrigins)

	mux := http.NewServeMux()
	mux.Handle("/graphql", refuseForeignOrigins(origins, authenticate(keys, log, graphQL(cfg, schema, keys, origins, log))))
	if cfg.Introspection {
		mux.Handle("GET /{$}", playground.Handler("Ordo", "/graphql",
			playground.WithGraphiqlUiHeaders(map[string]string{"Authorization": "Bearer "})))
	}
	if cfg.Webhooks != nil {
		mux.Handle("POST /webhooks/{kind}/{channelID}", webhooks(cfg.Webhooks, cfg.MaxBodyBytes, log))
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
				log.WarnContext(r.Context(), "not ready", "err", err)
				http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ready\n"))
	})
	return logRequests(log, mux)
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
			InitFunc:              initWebsocket(keys, log),
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
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(introspectionOff{})
	}
	for _, e := range cfg.Extensions {
		srv.Use(e)
	}
	if cfg.MaxDepth > 0 {
		srv.Use(depthLimit{max: cfg.MaxDepth})
	}
	if cfg.ComplexityLimit > 0 {
		srv.Use(newComplexityLimit(cfg.ComplexityLimit))
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
