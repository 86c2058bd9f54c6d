package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/staffsession"
	"github.com/ordo-oms/ordo/ent/staffuser"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// Session is a signed-in browser: Token goes in its cookie (it is not stored, only its hash), CSRF
// in the X-CSRF-Token header of its state-changing requests.
type Session struct {
	ID        pulid.ID
	Token     string
	CSRF      string
	User      *ent.StaffUser
	ExpiresAt time.Time
}

// seenEvery is how often a session's last_seen_at is written: at most once a minute per session.
const seenEvery = time.Minute

// ErrWrongCredentials is the one answer to an unknown email, a wrong password and a disabled user.
var ErrWrongCredentials = fault.New(fault.Unauthenticated, "wrong email or password")

// ErrSignedOut is the answer to a session cookie that is unknown, expired, signed out or whose
// user is disabled.
var ErrSignedOut = fault.New(fault.Unauthenticated, "signed out")

func random32() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("session secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// dummyHash is checked against when the email is unknown, so that the answer takes as long as for
// a known email with a wrong password.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() {
		s.dummy, _ = hashPassword("not anyone's password", s.params())
	})
	return s.dummy
}

// SignIn checks email and password and opens a session. A wrong email, wrong password and a
// disabled user get the same ErrWrongCredentials; too many failures lately get a *RefusedError
// saying when to retry. Every attempt is counted, but for those refused by the limit.
func (s *Service) SignIn(ctx context.Context, email, password, ip, userAgent string) (Session, error) {
	now := s.now()
	e := strings.ToLower(strings.TrimSpace(email))
	if len(e) > 320 {
		e = e[:320]
	}
	s.prune(ctx, now)
	if retry, err := s.limited(ctx, e, ip, now); err != nil {
		return Session{}, err
	} else if retry > 0 {
		// Refused before the password is checked, and not recorded: the failures that set the limit
		// are, and hammering the sign-in while it holds must cost the store nothing.
		return Session{}, &RefusedError{RetryAfter: retry}
	}
	u, err := s.DB.Client.StaffUser.Query().Where(staffuser.Email(e)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return Session{}, err
	}
	hash := s.dummyHash()
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := checkPassword(hash, password)
	if err != nil {
		return Session{}, fmt.Errorf("check password of %s: %w", e, err)
	}
	if u == nil || !ok || u.DisabledAt != nil {
		reason := "wrong email or password"
		if u != nil && ok {
			reason = "user disabled"
		}
		err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
			if err := tx.SignInAttempt.Create().SetEmail(e).SetIP(ip).SetOk(false).SetCreatedAt(now).Exec(ctx); err != nil {
				return err
			}
			return events.Append(ctx, tx, events.Event{Actor: "system",
				Payload: events.StaffSignInRefused{Email: e, IP: ip, Reason: reason}})
		})
		if err != nil {
			return Session{}, err
		}
		s.committed()
		return Session{}, ErrWrongCredentials
	}
	token, err := random32()
	if err != nil {
		return Session{}, err
	}
	csrf, err := random32()
	if err != nil {
		return Session{}, err
	}
	if len(userAgent) > 512 {
		userAgent = userAgent[:512]
	}
	var ses *ent.StaffSession
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		if err := tx.SignInAttempt.Create().SetEmail(e).SetIP(ip).SetOk(true).SetCreatedAt(now).Exec(ctx); err != nil {
			return err
		}
		var err error
		ses, err = tx.StaffSession.Create().SetStaffID(u.ID).SetTokenHash(tokenHash(token)).SetCsrfToken(csrf).
			SetCreatedAt(now).SetLastSeenAt(now).SetExpiresAt(now.Add(s.lifetime())).
			SetIP(ip).SetUserAgent(userAgent).Save(ctx)
		if err != nil {
			return fmt.Errorf("open session: %w", err)
		}
		if u, err = tx.StaffUser.UpdateOne(u).SetLastSignInAt(now).Save(ctx); err != nil {
			return err
		}
		return events.Append(ctx, tx, events.Event{Actor: string(u.ID),
			Payload: events.StaffSignedIn{StaffID: string(u.ID), Email: u.Email, SessionID: string(ses.ID), IP: ip}})
	})
	if err != nil {
		return Session{}, err
	}
	s.committed()
	return Session{ID: ses.ID, Token: token, CSRF: csrf, User: u, ExpiresAt: ses.ExpiresAt}, nil
}

// Current returns the live session of token (its Token left empty), bumping its last use; an
// unknown, expired or signed-out session, or one whose user is disabled, is ErrSignedOut.
func (s *Service) Current(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, ErrSignedOut
	}
	now := s.now()
	ses, err := s.DB.Client.StaffSession.Query().Where(staffsession.TokenHash(tokenHash(token))).WithStaff().Only(ctx)
	if ent.IsNotFound(err) {
		return Session{}, ErrSignedOut
	}
	if err != nil {
		return Session{}, err
	}
	if !s.live(ses, ses.Edges.Staff, now) {
		return Session{}, ErrSignedOut
	}
	if now.Sub(ses.LastSeenAt) >= seenEvery {
		if err := s.DB.Client.StaffSession.Update().
			Where(staffsession.ID(ses.ID), staffsession.LastSeenAtLT(now.Add(-seenEvery))).
			SetLastSeenAt(now).Exec(ctx); err != nil {
			return Session{}, fmt.Errorf("touch session: %w", err)
		}
	}
	return Session{ID: ses.ID, CSRF: ses.CsrfToken, User: ses.Edges.Staff, ExpiresAt: ses.ExpiresAt}, nil
}

// live says whether a session may still be used at now.
func (s *Service) live(ses *ent.StaffSession, u *ent.StaffUser, now time.Time) bool {
	return ses.RevokedAt == nil && now.Before(ses.ExpiresAt) && now.Before(ses.LastSeenAt.Add(s.idle())) &&
		u != nil && u.DisabledAt == nil
}

// AuthenticateSession returns the viewer of a session cookie's token and the session's CSRF token.
func (s *Service) AuthenticateSession(ctx context.Context, token string) (auth.Viewer, string, error) {
	ses, err := s.Current(ctx, token)
	if err != nil {
		return auth.Viewer{}, "", err
	}
	return ViewerOf(ses), ses.CSRF, nil
}

// ViewerOf is the viewer a session stands for.
func ViewerOf(ses Session) auth.Viewer {
	return auth.Viewer{KeyID: ses.ID, Name: ses.User.Email, Role: auth.Role(ses.User.Role), StaffID: ses.User.ID}
}

// SignOut ends the session of token; an unknown or ended session is left as it is.
func (s *Service) SignOut(ctx context.Context, token string) error {
	now := s.now()
	ses, err := s.DB.Client.StaffSession.Query().Where(staffsession.TokenHash(tokenHash(token))).WithStaff().Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if ses.RevokedAt != nil {
		return nil
	}
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		n, err := tx.StaffSession.Update().Where(staffsession.ID(ses.ID), staffsession.RevokedAtIsNil()).SetRevokedAt(now).Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		return events.Append(ctx, tx, events.Event{Actor: string(ses.StaffID),
			Payload: events.StaffSignedOut{StaffID: string(ses.StaffID), Email: ses.Edges.Staff.Email, SessionID: string(ses.ID)}})
	})
	if err != nil {
		return err
	}
	s.committed()
	return nil
}

// Revoked says which of the given session ids can no longer be used: signed out, expired, idle,
// unknown, or their user disabled. Ids that are not sessions' are left out (they are API keys').
func (s *Service) Revoked(ctx context.Context, ids []pulid.ID) ([]pulid.ID, error) {
	var want []pulid.ID
	for _, id := range ids {
		if p, err := id.Prefix(); err == nil && p == "ses" {
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	now := s.now()
	rows, err := s.DB.Client.StaffSession.Query().Where(staffsession.IDIn(want...)).WithStaff().All(ctx)
	if err != nil {
		return nil, err
	}
	var alive []pulid.ID
	for _, r := range rows {
		if s.live(r, r.Edges.Staff, now) {
			alive = append(alive, r.ID)
		}
	}
	var out []pulid.ID
	for _, id := range want {
		if !slices.Contains(alive, id) {
			out = append(out, id)
		}
	}
	return out, nil
}
