package staff_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/staff"
)

const password = "correct horse battery"

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newService(db *database.DB) (*staff.Service, *clock) {
	c := &clock{t: time.Now().UTC().Truncate(time.Second)}
	return &staff.Service{DB: db, Params: staff.Params{Memory: 64, Time: 1, Threads: 1}, Now: c.now}, c
}

func system() context.Context { return auth.NewContext(context.Background(), auth.System) }

func TestUsersAndSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := system()
		s, c := newService(db)

		_, err := s.Create(ctx, "not an email", "", "ADMIN", password)
		require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)
		_, err = s.Create(ctx, "a@example.com", "", "WIZARD", password)
		require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)
		_, err = s.Create(ctx, "a@example.com", "", "ADMIN", "short")
		require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)

		u, err := s.Create(ctx, "  Ann@Example.COM ", "Ann", "operator", password)
		require.NoError(t, err)
		require.Equal(t, "ann@example.com", u.Email)
		require.Regexp(t, `^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$`, u.PasswordHash)
		_, err = s.Create(ctx, "ann@example.com", "", "ADMIN", password)
		require.True(t, fault.Is(err, fault.Conflict), "%v", err)

		// Wrong password and unknown email get the same answer.
		_, err = s.SignIn(ctx, "ann@example.com", "wrong password!!", "10.0.0.1", "test")
		require.ErrorIs(t, err, staff.ErrWrongCredentials)
		_, err = s.SignIn(ctx, "nobody@example.com", password, "10.0.0.1", "test")
		require.ErrorIs(t, err, staff.ErrWrongCredentials)

		ses, err := s.SignIn(ctx, "ANN@example.com", password, "10.0.0.1", "test")
		require.NoError(t, err)
		require.Len(t, ses.Token, 43)
		require.Len(t, ses.CSRF, 43)
		require.Equal(t, c.now().Add(staff.DefaultLifetime), ses.ExpiresAt.UTC())
		v, csrf, err := s.AuthenticateSession(ctx, ses.Token)
		require.NoError(t, err)
		require.Equal(t, ses.CSRF, csrf)
		require.Equal(t, auth.Viewer{KeyID: ses.ID, Name: "ann@example.com", Role: auth.Operator, StaffID: u.ID}, v)
		_, _, err = s.AuthenticateSession(ctx, ses.Token+"x")
		require.ErrorIs(t, err, staff.ErrSignedOut)

		// Idle: used every 90 minutes it lives; 2 hours unused ends it.
		c.add(90 * time.Minute)
		_, _, err = s.AuthenticateSession(ctx, ses.Token)
		require.NoError(t, err)
		c.add(119 * time.Minute)
		_, _, err = s.AuthenticateSession(ctx, ses.Token)
		require.NoError(t, err)
		c.add(2*time.Hour + time.Second)
		_, _, err = s.AuthenticateSession(ctx, ses.Token)
		require.ErrorIs(t, err, staff.ErrSignedOut)
		revoked, err := s.Revoked(ctx, []pulid.ID{ses.ID})
		require.NoError(t, err)
		require.Equal(t, []pulid.ID{ses.ID}, revoked)

		// Absolute: 12 hours however busy.
		ses, err = s.SignIn(ctx, "ann@example.com", password, "10.0.0.1", "test")
		require.NoError(t, err)
		for range 12 {
			revoked, err := s.Revoked(ctx, []pulid.ID{ses.ID})
			require.NoError(t, err)
			require.Empty(t, revoked)
			_, _, err = s.AuthenticateSession(ctx, ses.Token)
			require.NoError(t, err)
			c.add(time.Hour)
		}
		_, _, err = s.AuthenticateSession(ctx, ses.Token)
		require.ErrorIs(t, err, staff.ErrSignedOut)

		// Sign-out ends it; so does disabling the user, who can no longer sign in.
		ses, err = s.SignIn(ctx, "ann@example.com", password, "10.0.0.1", "test")
		require.NoError(t, err)
		require.NoError(t, s.SignOut(ctx, ses.Token))
		_, _, err = s.AuthenticateSession(ctx, ses.Token)
		require.ErrorIs(t, err, staff.ErrSignedOut)
		ses, err = s.SignIn(ctx, "ann@example.com", password, "10.0.0.1", "test")
		require.NoError(t, err)
		_, err = s.SetDisabled(ctx, u.ID, true)
		require.NoError(t, err)
		_, _, err = s.AuthenticateSession(ctx, ses.Token)
		require.ErrorIs(t, err, staff.ErrSignedOut)
		_, err = s.SignIn(ctx, "ann@example.com", password, "10.0.0.1", "test")
		require.ErrorIs(t, err, staff.ErrWrongCredentials)
		_, err = s.SetDisabled(ctx, u.ID, false)
		require.NoError(t, err)
		_, err = s.SignIn(ctx, "ann@example.com", password, "10.0.0.1", "test")
		require.NoError(t, err)

		// Every step is in the event log, with its actor.
		kinds, err := db.Client.Event.Query().Order(event.ByID()).Select(event.FieldType).Strings(ctx)
		require.NoError(t, err)
		require.Contains(t, kinds, events.KindStaffUserCreated)
		require.Contains(t, kinds, events.KindStaffSignedIn)
		require.Contains(t, kinds, events.KindStaffSignedOut)
		require.Contains(t, kinds, events.KindStaffSignInRefused)
		require.Contains(t, kinds, events.KindStaffUserDisabled)
		in, err := db.Client.Event.Query().Where(event.Type(events.KindStaffSignedIn)).First(ctx)
		require.NoError(t, err)
		require.Equal(t, string(u.ID), in.Actor)
	})
}

func TestSignInRateLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := system()
		s, c := newService(db)
		_, err := s.Create(ctx, "bob@example.com", "", "SUPPORT", password)
		require.NoError(t, err)
		_, err = s.Create(ctx, "cat@example.com", "", "SUPPORT", password)
		require.NoError(t, err)

		for i := range staff.EmailFailures {
			_, err := s.SignIn(ctx, "bob@example.com", "wrong password!!", "10.0.0.2", "")
			require.ErrorIs(t, err, staff.ErrWrongCredentials, "attempt %d", i+1)
			c.add(time.Minute)
		}
		// The sixth is refused, even with the right password, until the first failure is 15 minutes
		// old; the refusals are not recorded, so hammering neither lengthens the wait nor writes.
		attempts, err := db.Client.SignInAttempt.Query().Count(ctx)
		require.NoError(t, err)
		events0, err := db.Client.Event.Query().Count(ctx)
		require.NoError(t, err)
		var refused *staff.RefusedError
		for range 3 {
			_, err = s.SignIn(ctx, "bob@example.com", password, "10.0.0.2", "")
			require.ErrorAs(t, err, &refused)
			require.Equal(t, 10*time.Minute, refused.RetryAfter)
			require.Equal(t, "too many attempts, try again in 10 minutes", refused.Error())
		}
		n, err := db.Client.SignInAttempt.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, attempts, n, "a refusal by the limit records no attempt")
		n, err = db.Client.Event.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, events0, n, "a refusal by the limit appends no event")

		// Another email from the same address is still allowed (below 30 failures).
		_, err = s.SignIn(ctx, "cat@example.com", password, "10.0.0.2", "")
		require.NoError(t, err)

		c.add(refused.RetryAfter - time.Second)
		_, err = s.SignIn(ctx, "bob@example.com", password, "10.0.0.2", "")
		require.ErrorAs(t, err, &refused, "a second early")
		c.add(refused.RetryAfter)
		_, err = s.SignIn(ctx, "bob@example.com", password, "10.0.0.2", "")
		require.NoError(t, err)
		// After a success, earlier failures no longer count.
		for range staff.EmailFailures - 1 {
			_, err := s.SignIn(ctx, "bob@example.com", "wrong password!!", "10.0.0.3", "")
			require.ErrorIs(t, err, staff.ErrWrongCredentials)
		}
		_, err = s.SignIn(ctx, "bob@example.com", password, "10.0.0.3", "")
		require.NoError(t, err)

		// An address with 30 failures is refused for any email.
		for i := range staff.IPFailures {
			_, err := s.SignIn(ctx, "guess"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@example.com", "wrong password!!", "10.0.0.9", "")
			require.ErrorIs(t, err, staff.ErrWrongCredentials)
		}
		_, err = s.SignIn(ctx, "cat@example.com", password, "10.0.0.9", "")
		require.ErrorAs(t, err, &refused)
		_, err = s.SignIn(ctx, "cat@example.com", password, "10.0.0.10", "")
		require.NoError(t, err)
	})
}
