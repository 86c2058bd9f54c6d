package staff

import (
	"context"
	"fmt"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/signinattempt"
)

// The sign-in rate limit: an email with EmailFailures failed attempts within Window (since its
// last success), or an address with IPFailures, is refused until enough of them are older than
// Window. Attempts are kept for keepAttempts.
const (
	Window        = 15 * time.Minute
	EmailFailures = 5
	IPFailures    = 30
	keepAttempts  = 24 * time.Hour
	pruneEvery    = time.Hour
	pruneBatch    = 500
)

// RefusedError is a sign-in refused for too many failures; RetryAfter is how long to wait.
type RefusedError struct{ RetryAfter time.Duration }

func (e *RefusedError) Error() string {
	if m := minutes(e.RetryAfter); m > 1 {
		return fmt.Sprintf("too many attempts, try again in %d minutes", m)
	}
	return "too many attempts, try again in 1 minute"
}

// minutes rounds d up to whole minutes, at least 1.
func minutes(d time.Duration) int {
	m := int((d + time.Minute - 1) / time.Minute)
	return max(m, 1)
}

// retryAfter is the rate limit's decision: given the newest failures of an email (newest first,
// since its last success, within Window) and of an address, how long until one more attempt is
// allowed; zero: now.
func retryAfter(now time.Time, emailFailures, ipFailures []time.Time) time.Duration {
	var wait time.Duration
	for _, c := range []struct {
		fails []time.Time
		limit int
	}{{emailFailures, EmailFailures}, {ipFailures, IPFailures}} {
		if len(c.fails) < c.limit {
			continue
		}
		// Below the limit again once the limit-th newest failure leaves the window.
		if d := c.fails[c.limit-1].Add(Window).Sub(now); d > wait {
			wait = d
		}
	}
	return wait
}

// limited returns how long email or ip must wait before trying again (zero: not limited). The wait
// is counted from the failures that set the limit; a refused attempt is not recorded (see SignIn).
func (s *Service) limited(ctx context.Context, email, ip string, now time.Time) (time.Duration, error) {
	since := now.Add(-Window)
	last, err := s.DB.Client.SignInAttempt.Query().
		Where(signinattempt.Email(email), signinattempt.Ok(true), signinattempt.CreatedAtGT(since)).
		Order(ent.Desc(signinattempt.FieldCreatedAt)).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return 0, err
	}
	emailSince := since
	if last != nil {
		emailSince = last.CreatedAt
	}
	failures := func(limit int, where ...func(*ent.SignInAttemptQuery)) ([]time.Time, error) {
		q := s.DB.Client.SignInAttempt.Query().Where(signinattempt.Ok(false))
		for _, w := range where {
			w(q)
		}
		var out []time.Time
		rows, err := q.Order(ent.Desc(signinattempt.FieldCreatedAt)).Limit(limit).All(ctx)
		for _, r := range rows {
			out = append(out, r.CreatedAt)
		}
		return out, err
	}
	byEmail, err := failures(EmailFailures, func(q *ent.SignInAttemptQuery) {
		q.Where(signinattempt.Email(email), signinattempt.CreatedAtGT(emailSince))
	})
	if err != nil {
		return 0, err
	}
	byIP, err := failures(IPFailures, func(q *ent.SignInAttemptQuery) {
		q.Where(signinattempt.IP(ip), signinattempt.CreatedAtGT(since))
	})
	if err != nil {
		return 0, err
	}
	return retryAfter(now, byEmail, byIP), nil
}

// prune deletes attempts older than keepAttempts, a batch at a time, at most once per pruneEvery
// per process (a sign-in pays for it; its failure is not the sign-in's).
func (s *Service) prune(ctx context.Context, now time.Time) {
	s.pruneMu.Lock()
	if now.Sub(s.pruned) < pruneEvery {
		s.pruneMu.Unlock()
		return
	}
	s.pruned = now
	s.pruneMu.Unlock()
	ids, err := s.DB.Client.SignInAttempt.Query().Where(signinattempt.CreatedAtLT(now.Add(-keepAttempts))).
		Limit(pruneBatch).IDs(ctx)
	if err != nil || len(ids) == 0 {
		return
	}
	_, _ = s.DB.Client.SignInAttempt.Delete().Where(signinattempt.IDIn(ids...)).Exec(ctx)
}
