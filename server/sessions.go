package server

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// SessionCookie is the name of the console's session cookie.
const SessionCookie = "ordo_session"

// CSRFHeader carries a cookie-authenticated request's CSRF token.
const CSRFHeader = "X-CSRF-Token"

// SessionAuthenticator turns a console session cookie into its viewer (KeyID: the session's id;
// StaffID: its user's) and the session's CSRF token; staff.Service is the real one. It returns a
// fault.Unauthenticated error for a session that is unknown, expired or signed out. When it also
// implements RevocationChecker for session ids, signing out closes the session's websockets.
type SessionAuthenticator interface {
	AuthenticateSession(ctx context.Context, token string) (auth.Viewer, string, error)
}

// sessionToken returns the session cookie of r, if any.
func sessionToken(r *http.Request) string {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// sameToken compares two CSRF tokens in constant time; an empty one matches nothing.
func sameToken(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// unsafeMethod says whether a request may change something (and so needs proof that the console
// itself sent it).
func unsafeMethod(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
}

// csrfGuard decides whether a cookie-authenticated, state-changing request came from the console:
// csrfToken is the session's token.
type csrfGuard func(r *http.Request, csrfToken string) bool

// headerToken is the guard of /graphql: the X-CSRF-Token header carries the session's token.
func headerToken(r *http.Request, csrfToken string) bool {
	return sameToken(r.Header.Get(CSRFHeader), csrfToken)
}

// sameOriginGuard is the guard of pages that cannot send the header (River UI's own requests): the
// browser's Origin header must be the server's own, or an allowed, origin.
func sameOriginGuard(o origins) csrfGuard {
	return func(r *http.Request, _ string) bool {
		return r.Header.Get("Origin") != "" && o.allowed(r)
	}
}

type sessionTokenKey struct{}

// revocationCheckers answers Revocations for both API keys and console sessions: session ids go
// to sessions, other ids to keys.
type revocationCheckers struct{ keys, sessions RevocationChecker }

func (c revocationCheckers) Revoked(ctx context.Context, ids []pulid.ID) ([]pulid.ID, error) {
	var keyIDs, sesIDs []pulid.ID
	for _, id := range ids {
		if p, err := id.Prefix(); err == nil && p == "ses" {
			sesIDs = append(sesIDs, id)
		} else {
			keyIDs = append(keyIDs, id)
		}
	}
	var out []pulid.ID
	for _, part := range []struct {
		rc  RevocationChecker
		ids []pulid.ID
	}{{c.keys, keyIDs}, {c.sessions, sesIDs}} {
		if len(part.ids) == 0 {
			continue
		}
		if part.rc == nil {
			continue // nothing revokes them
		}
		revoked, err := part.rc.Revoked(ctx, part.ids)
		if err != nil {
			return nil, err
		}
		out = append(out, revoked...)
	}
	return out, nil
}

// sessionViewer authenticates r by its session cookie: ok false means the request was answered
// (401 for a session that ended, 403 for a state-changing request without the proof guard asks).
func sessionViewer(sessions SessionAuthenticator, guard csrfGuard, log *slog.Logger, w http.ResponseWriter, r *http.Request, token string) (auth.Viewer, bool) {
	viewer, csrf, err := sessions.AuthenticateSession(r.Context(), token)
	switch {
	case fault.Is(err, fault.Unauthenticated):
		writeError(w, r, http.StatusUnauthorized, fault.New(fault.Unauthenticated, "signed out: sign in again"))
		return auth.Viewer{}, false
	case err != nil:
		log.ErrorContext(r.Context(), "authenticate session", "err", err)
		writeError(w, r, http.StatusInternalServerError, err)
		return auth.Viewer{}, false
	}
	if unsafeMethod(r) && !guard(r, csrf) {
		writeError(w, r, http.StatusForbidden, fault.New(fault.Forbidden, "missing or wrong CSRF token"))
		return auth.Viewer{}, false
	}
	return viewer, true
}
