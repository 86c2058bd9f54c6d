package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// Authenticator turns an API key's secret into the viewer it stands for; auth.Keys is the real one.
// It returns a fault.Unauthenticated error for unknown or revoked keys.
type Authenticator interface {
	Authenticate(ctx context.Context, secret string) (auth.Viewer, error)
}

// RevocationChecker is what an Authenticator also implements (auth.Keys does) when keys can be
// revoked: it says which of the given keys are revoked. With it, a websocket whose key is revoked is
// closed with 4401 "API key revoked" within auth.DefaultRevocationPoll, on every replica.
type RevocationChecker interface {
	Revoked(ctx context.Context, keys []pulid.ID) ([]pulid.ID, error)
}

// revocations returns the process's watcher of revoked keys and ended sessions, or nil when
// neither can be revoked.
func revocations(keys Authenticator, sessions SessionAuthenticator, log *slog.Logger) *auth.Revocations {
	var c revocationCheckers
	c.keys, _ = keys.(RevocationChecker)
	if sessions != nil {
		c.sessions, _ = sessions.(RevocationChecker)
	}
	if c.keys == nil && c.sessions == nil {
		return nil
	}
	return &auth.Revocations{Revoked: c.Revoked, Log: log}
}

// closeNote carries, from the upgrade request to the connection, why Ordo ends a websocket that
// gqlgen closes as 1000 "terminated" when the context initWebsocket returned is cancelled: the
// connection's WriteClose asks it for the code and reason to send instead.
type closeNote struct {
	mu  sync.Mutex
	ctx context.Context
}

type closeNoteKey struct{}

// withCloseNote returns ctx carrying a new, empty closeNote.
func withCloseNote(ctx context.Context) context.Context {
	return context.WithValue(ctx, closeNoteKey{}, &closeNote{})
}

// closeNoteOf returns the closeNote in ctx, or nil.
func closeNoteOf(ctx context.Context) *closeNote {
	n, _ := ctx.Value(closeNoteKey{}).(*closeNote)
	return n
}

// watch makes n answer for ctx: when ctx ends because its key was revoked, the socket closes with
// CloseUnauthorized.
func (n *closeNote) watch(ctx context.Context) {
	if n == nil {
		return
	}
	n.mu.Lock()
	n.ctx = ctx
	n.mu.Unlock()
}

// closing returns the code and reason to close with instead of code and reason.
func (n *closeNote) closing(code int, reason string) (int, string) {
	if n == nil {
		return code, reason
	}
	n.mu.Lock()
	ctx := n.ctx
	n.mu.Unlock()
	if ctx != nil && errors.Is(context.Cause(ctx), auth.ErrRevoked) {
		return CloseUnauthorized, auth.ErrRevoked.Error()
	}
	return code, reason
}

// Websocket close codes for a refused connection_init, as graphql-transport-ws defines them.
const (
	CloseUnauthorized = 4401 // no key, or a key that is unknown or revoked
	CloseForbidden    = 4403 // a valid key whose role may not open live streams
)

// authenticator authenticates HTTP requests: by their bearer API key, or else by the console's
// session cookie (when sessions is set). A cookie-authenticated request that may change something
// must also pass guard (the CSRF token), else it is refused 403 before anything runs.
type authenticator struct {
	keys     Authenticator
	sessions SessionAuthenticator
	origins  origins
	log      *slog.Logger
}

// authenticate puts the viewer of an HTTP request's bearer key, or of its session cookie, into its
// context. A request without either goes on with no viewer (each field's policy answers
// UNAUTHENTICATED where it matters); a key or cookie that is present but not valid is refused with
// 401. Websocket upgrades are authenticated later, from their connection_init payload (see
// initWebsocket); their context gets a closeNote, and the session cookie of a browser page on an
// allowed origin.
func (a authenticator) authenticate(guard csrfGuard, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			ctx := withCloseNote(r.Context())
			if token := sessionToken(r); token != "" && r.Header.Get("Origin") != "" && a.origins.allowed(r) {
				ctx = context.WithValue(ctx, sessionTokenKey{}, token)
			}
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		header := r.Header.Get("Authorization")
		if header == "" {
			if token := sessionToken(r); token != "" && a.sessions != nil {
				viewer, ok := sessionViewer(a.sessions, guard, a.log, w, r, token)
				if ok {
					next.ServeHTTP(w, r.WithContext(auth.NewContext(r.Context(), viewer)))
				}
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		secret, ok := bearer(header)
		if !ok {
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeError(w, r, http.StatusUnauthorized, fault.New(fault.Unauthenticated, `the Authorization header must be "Bearer <API key>"`))
			return
		}
		viewer, err := a.keys.Authenticate(r.Context(), secret)
		switch {
		case err == nil:
			next.ServeHTTP(w, r.WithContext(auth.NewContext(r.Context(), viewer)))
		case fault.Is(err, fault.Unauthenticated):
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeError(w, r, http.StatusUnauthorized, err)
		default:
			a.log.ErrorContext(r.Context(), "authenticate API key", "err", err)
			writeError(w, r, http.StatusInternalServerError, err)
		}
	})
}

// bearer returns the credentials of an "Authorization: Bearer <secret>" value.
func bearer(header string) (string, bool) {
	scheme, secret, ok := strings.Cut(strings.TrimSpace(header), " ")
	secret = strings.TrimSpace(secret)
	if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
		return "", false
	}
	return secret, true
}

// mayStream says whether a role may hold live subscriptions. Partners run persisted operations
// over HTTP only.
func mayStream(role auth.Role) bool { return role != auth.Partner }

// initWebsocket is gqlgen's InitFunc: it authenticates a websocket from its connection_init
// payload ("Authorization": "Bearer <key>", also "authorization" or "apiKey": "<key>"), or, for a
// console page, from its session cookie (sent with the upgrade from an allowed origin) and the
// session's "csrfToken" in the payload. With revs, the connection's context ends when the key is
// revoked or the session ends (gqlgen then closes the socket, and the closeNote makes that close
// 4401).
//
// On an error gqlgen sends a connection_error message (graphql-ws only), then closes the socket with
// the code and reason it finds in the context returned beside the error (default 1000 "terminated"),
// so a refusal must return a context carrying them, never nil (gqlgen reads it and would panic).
func initWebsocket(keys Authenticator, sessions SessionAuthenticator, revs *auth.Revocations, log *slog.Logger) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		secret, ok := bearer(p.Authorization())
		if !ok {
			secret = strings.TrimSpace(p.GetString("apiKey"))
			if s, ok := bearer(secret); ok {
				secret = s
			}
		}
		var viewer auth.Viewer
		var err error
		switch token, _ := ctx.Value(sessionTokenKey{}).(string); {
		case secret != "":
			viewer, err = keys.Authenticate(ctx, secret)
		case token != "" && sessions != nil:
			var csrf string
			viewer, csrf, err = sessions.AuthenticateSession(ctx, token)
			if err == nil && !sameToken(p.GetString("csrfToken"), csrf) {
				return refuse(ctx, CloseUnauthorized, "Unauthorized")
			}
		default:
			return refuse(ctx, CloseUnauthorized, "Unauthorized")
		}
		switch {
		case fault.Is(err, fault.Unauthenticated):
			return refuse(ctx, CloseUnauthorized, "Unauthorized")
		case err != nil:
			log.ErrorContext(ctx, "authenticate websocket", "err", err)
			return refuse(ctx, websocketInternalError, "Internal error")
		case !mayStream(viewer.Role):
			return refuse(ctx, CloseForbidden, "Forbidden")
		}
		if revs != nil {
			ctx = revs.Watch(ctx, viewer.KeyID)
			closeNoteOf(ctx).watch(ctx)
		}
		return auth.NewContext(ctx, viewer), nil, nil
	}
}

// websocketInternalError is RFC 6455's "internal error" close code.
const websocketInternalError = 1011

func refuse(ctx context.Context, code int, reason string) (context.Context, *transport.InitPayload, error) {
	ctx = transport.WithWebsocketCloseCode(ctx, code)
	ctx = transport.AppendCloseReason(ctx, reason)
	return ctx, nil, errors.New(reason)
}
