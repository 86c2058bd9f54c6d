// Package console serves the staff console under /console/: its built single-page app (embedded
// in the binary, with security headers on every answer) and its small JSON API for signing in and
// out with a session cookie. Everything else the console does goes through /graphql with that
// cookie and the session's CSRF token. It also guards River UI (/riverui/) for admins.
package console

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/server"
	"github.com/ordo-oms/ordo/staff"
)

//go:embed all:dist
var dist embed.FS

// Staff is what the console needs of staff.Service.
type Staff interface {
	SignIn(ctx context.Context, email, password, ip, userAgent string) (staff.Session, error)
	SignOut(ctx context.Context, token string) error
	Current(ctx context.Context, token string) (staff.Session, error)
}

// Handler serves /console/.
type Handler struct {
	Staff Staff
	// InsecureCookies leaves Secure off the session cookie (plain-HTTP development only).
	InsecureCookies bool
	// AllowedOrigins are browser origins besides the server's own that may sign in.
	AllowedOrigins []string
	Log            *slog.Logger
}

// maxAPIBody caps a JSON API request.
const maxAPIBody = 8 << 10

// csp is the console's Content-Security-Policy.
const csp = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	switch p := r.URL.Path; {
	case p == "/console/api/signin":
		h.only(http.MethodPost, h.signIn)(w, r)
	case p == "/console/api/signout":
		h.only(http.MethodPost, h.signOut)(w, r)
	case p == "/console/api/session":
		h.only(http.MethodGet, h.session)(w, r)
	case strings.HasPrefix(p, "/console/api/"):
		writeJSON(w, http.StatusNotFound, errorBody{"not found"})
	default:
		h.static(w, r)
	}
}

func (h *Handler) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Log
}

func (h *Handler) only(method string, fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{"method not allowed"})
			return
		}
		hd := w.Header()
		hd.Set("Cache-Control", "no-store")
		fn(w, r)
	}
}

// static serves the bundle: files by name (cached long when asked for with ?v=), index.html for
// /console/ and any other path (the app's routes).
func (h *Handler) static(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/console")
	name = strings.TrimPrefix(name, "/")
	if name != "" && name != "index.html" {
		if f, err := fs.Stat(dist, "dist/"+name); err == nil && !f.IsDir() {
			if r.URL.Query().Get("v") != "" {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				w.Header().Set("Cache-Control", "no-cache")
			}
			if !serveGzip(w, r, "dist/"+name) {
				http.ServeFileFS(w, r, dist, "dist/"+name)
			}
			return
		}
	}
	index, err := dist.ReadFile("dist/index.html")
	if err != nil {
		http.Error(w, "console not built", http.StatusNotFound)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(index)
}

type errorBody struct {
	Error string `json:"error"`
}

type userBody struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

type sessionBody struct {
	CSRFToken string   `json:"csrfToken"`
	User      userBody `json:"user"`
}

func bodyOf(ses staff.Session) sessionBody {
	return sessionBody{CSRFToken: ses.CSRF, User: userOf(ses.User)}
}

func userOf(u *ent.StaffUser) userBody {
	return userBody{ID: string(u.ID), Email: u.Email, Name: u.Name, Role: string(u.Role)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// foreignOrigin says whether r comes from a browser page on another origin than this server's and
// the allowed ones.
func (h *Handler) foreignOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	for _, a := range h.AllowedOrigins {
		if strings.EqualFold(strings.TrimRight(a, "/"), origin) {
			return false
		}
	}
	u, err := url.Parse(origin)
	return err != nil || !strings.EqualFold(u.Host, r.Host)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (h *Handler) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: server.SessionCookie, Value: value, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: !h.InsecureCookies, MaxAge: maxAge}
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	if h.foreignOrigin(r) {
		writeJSON(w, http.StatusForbidden, errorBody{"sign-in from another origin"})
		return
	}
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAPIBody))
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{"the body is too large"})
		return
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{"the body must be JSON: {\"email\", \"password\"}"})
		return
	}
	ses, err := h.Staff.SignIn(r.Context(), in.Email, in.Password, clientIP(r), r.UserAgent())
	var refused *staff.RefusedError
	switch {
	case errors.As(err, &refused):
		w.Header().Set("Retry-After", strconv.Itoa(int((refused.RetryAfter+time.Second-1)/time.Second)))
		writeJSON(w, http.StatusTooManyRequests, errorBody{refused.Error()})
		return
	case fault.Is(err, fault.Unauthenticated):
		writeJSON(w, http.StatusUnauthorized, errorBody{"wrong email or password"})
		return
	case err != nil:
		h.log().ErrorContext(r.Context(), "sign in", "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{"internal error"})
		return
	}
	maxAge := int(time.Until(ses.ExpiresAt).Round(time.Minute) / time.Second)
	http.SetCookie(w, h.cookie(ses.Token, maxAge))
	writeJSON(w, http.StatusOK, bodyOf(ses))
}

func sessionToken(r *http.Request) string {
	c, err := r.Cookie(server.SessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	token := sessionToken(r)
	ses, err := h.Staff.Current(r.Context(), token)
	switch {
	case fault.Is(err, fault.Unauthenticated):
		http.SetCookie(w, h.cookie("", -1))
		w.WriteHeader(http.StatusNoContent)
		return
	case err != nil:
		h.log().ErrorContext(r.Context(), "sign out", "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{"internal error"})
		return
	}
	if !sameToken(r.Header.Get(server.CSRFHeader), ses.CSRF) {
		writeJSON(w, http.StatusForbidden, errorBody{"missing or wrong CSRF token"})
		return
	}
	if err := h.Staff.SignOut(r.Context(), token); err != nil {
		h.log().ErrorContext(r.Context(), "sign out", "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{"internal error"})
		return
	}
	http.SetCookie(w, h.cookie("", -1))
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) session(w http.ResponseWriter, r *http.Request) {
	ses, err := h.Staff.Current(r.Context(), sessionToken(r))
	switch {
	case fault.Is(err, fault.Unauthenticated):
		writeJSON(w, http.StatusUnauthorized, errorBody{"signed out"})
	case err != nil:
		h.log().ErrorContext(r.Context(), "session", "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{"internal error"})
	default:
		writeJSON(w, http.StatusOK, bodyOf(ses))
	}
}

// Jobs guards River UI: admins only (by session or API key); a browser with no session is sent to
// the console's sign-in, other viewers get 403. The server authenticates the request first.
func Jobs(riverUI http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := auth.FromContext(r.Context())
		switch {
		case !ok:
			http.Redirect(w, r, "/console/sign-in?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		case v.Role != auth.Admin:
			http.Error(w, "forbidden: River UI is for admins", http.StatusForbidden)
		default:
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.Header().Set("Referrer-Policy", "same-origin")
			w.Header().Set("X-Frame-Options", "DENY")
			riverUI.ServeHTTP(w, r)
		}
	})
}

// sameToken compares two CSRF tokens in constant time; an empty one matches nothing.
func sameToken(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
