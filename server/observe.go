package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/fault"
)

// Observer is told of every HTTP request, GraphQL operation and channel webhook: Ordo's metrics
// implement it. route is the pattern that served a request; name is a GraphQL operation's name as
// the client gave it (the observer bounds it), typ query, mutation or subscription, result "ok" or
// the first error's code.
type Observer interface {
	HTTP(route string, code int, d time.Duration, websocket bool)
	GraphQL(name, typ, result string, d time.Duration)
	WebhookIn(channel, result string)
}

// requestInfo is what a request's log line says besides method, path and status: its id and the
// GraphQL operation it ran. The GraphQL layer fills the operation in.
type requestInfo struct {
	id string
	mu sync.Mutex
	op string
}

type requestInfoKey struct{}

func (i *requestInfo) operation() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.op
}

// setOperation keeps the first operation a request runs (a websocket runs many).
func (i *requestInfo) setOperation(op string) {
	i.mu.Lock()
	if i.op == "" {
		i.op = op
	}
	i.mu.Unlock()
}

// RequestID returns the id of the request ctx belongs to ("" outside a request).
func RequestID(ctx context.Context) string {
	if i, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return i.id
	}
	return ""
}

// requestID is the client's X-Request-Id when it is a short token, else a new random one, so that a
// client or proxy can follow its request through the logs but cannot inject into them.
func requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); len(id) > 0 && len(id) <= 64 && token(id) {
		return id
	}
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func token(s string) bool {
	for _, r := range s {
		if !(r == '-' || r == '_' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			return false
		}
	}
	return true
}

// LogHandler adds the request id of a record's context to every record logged with one, so that
// every line a request causes can be found by it.
func LogHandler(h slog.Handler) slog.Handler { return logHandler{h} }

type logHandler struct{ slog.Handler }

func (h logHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h logHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return logHandler{h.Handler.WithAttrs(as)}
}
func (h logHandler) WithGroup(name string) slog.Handler { return logHandler{h.Handler.WithGroup(name)} }

// observeOperations is the GraphQL extension that names each request's operation for its log line
// and tells the observer of each operation once.
type observeOperations struct{ obs Observer }

var (
	_ graphql.HandlerExtension     = observeOperations{}
	_ graphql.OperationInterceptor = observeOperations{}
)

func (observeOperations) ExtensionName() string                   { return "ObserveOperations" }
func (observeOperations) Validate(graphql.ExecutableSchema) error { return nil }
func (o observeOperations) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	name, typ := oc.OperationName, "query"
	if oc.Operation != nil {
		typ = string(oc.Operation.Operation)
		if name == "" {
			name = oc.Operation.Name
		}
	}
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok && name != "" {
		info.setOperation(name)
	}
	start := time.Now()
	ctx, span := tracer.Start(ctx, "graphql "+typ+" "+spanOperation(name), trace.WithAttributes(
		attribute.String("graphql.operation.type", typ), attribute.String("graphql.operation.name", spanOperation(name))))
	handle := next(ctx)
	var once sync.Once
	return func(ctx context.Context) *graphql.Response {
		resp := handle(ctx)
		once.Do(func() {
			res := result(resp)
			if res != "ok" {
				span.SetStatus(codes.Error, res)
			}
			span.End()
			if o.obs != nil {
				o.obs.GraphQL(name, typ, res, time.Since(start))
			}
		})
		return resp
	}
}

// tracer makes the GraphQL operations' spans; it does nothing unless tracing is set up.
var tracer = otel.Tracer("github.com/ordo-oms/ordo/server")

// spanOperation is an operation's name fit for a span name: a short identifier, else "other".
func spanOperation(name string) string {
	switch {
	case name == "":
		return "anonymous"
	case len(name) > 64 || !token(name) || strings.Contains(name, "."):
		return "other"
	}
	return name
}

// result is "ok", or the code of a response's first error.
func result(resp *graphql.Response) string {
	if resp == nil || len(resp.Errors) == 0 {
		return "ok"
	}
	return errorCode(resp.Errors[0])
}

func errorCode(e *gqlerror.Error) string {
	if c, ok := e.Extensions["code"]; ok {
		switch c := c.(type) {
		case fault.Code:
			return string(c)
		case string:
			return c
		}
	}
	return string(fault.Internal)
}

// adminOnly serves next to admins only: no viewer is 401, another role 403. The server
// authenticates the request first.
func adminOnly(what string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := auth.FromContext(r.Context())
		switch {
		case !ok:
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeError(w, r, http.StatusUnauthorized, fault.New(fault.Unauthenticated, "%s needs an admin's API key", what))
		case v.Role != auth.Admin:
			writeError(w, r, http.StatusForbidden, fault.New(fault.Forbidden, "%s is for admins", what))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// profiles is Go's pprof under /debug/pprof/.
func profiles() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
