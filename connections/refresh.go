package connections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/jobs"
)

// The events of a channel's tokens.
const (
	// EventTokensRefreshed records a refresh: the new access token's expiry is on the channel.
	EventTokensRefreshed = events.KindTokensRefreshed
	// EventAuthFailed is the alert that a channel refused to refresh its tokens (the refresh token
	// expired or was revoked): the channel's calls fail until it is connected again.
	EventAuthFailed = events.KindAuthFailed
)

// RefreshArgs is the job that refreshes a channel's tokens of one credentials version: unique per
// (channel, version), so that whichever replica runs it, each refresh token is spent once. It waits
// (snoozed) until the tokens are due, refreshes them, and writes the new ones only over the
// version it read, inserting the job of the next version in the same transaction.
type RefreshArgs struct {
	ChannelID pulid.ID `json:"channel_id" river:"unique"`
	Version   int64    `json:"version" river:"unique"`
}

// Kind implements river.JobArgs.
func (RefreshArgs) Kind() string { return "channel.refresh_tokens" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RefreshArgs) InsertOpts() river.InsertOpts {
	// Its own queue: the calls that wait for a refresh must not hold the workers it needs.
	return river.InsertOpts{Queue: jobs.QueueAuth, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: jobs.WaitingStates()}}
}

// Register adds the refresh worker to workers.
func (s *Service) Register(workers *river.Workers) {
	river.AddWorker(workers, &refreshWorker{s: s})
}

// RefreshAt is when tokens that were issued at issued and expire at expires are refreshed: ahead of
// the expiry by a quarter of their lifetime, at most 30 minutes (Shopee's 4 h tokens at 3 h 30),
// so that a refresh that fails for a while is retried before calls are refused.
func RefreshAt(issued, expires time.Time) time.Time {
	life := expires.Sub(issued)
	if life <= 0 {
		return expires
	}
	return expires.Add(-min(life/4, 30*time.Minute))
}

// scheduleRefresh inserts, in tx, the refresh job of ch's current credentials version, at the time
// its tokens are due; tokens with no known expiry are refreshed when a channel refuses them.
func (s *Service) scheduleRefresh(ctx context.Context, tx *ent.Tx, ch *ent.Channel, creds channels.Credentials) error {
	if s.Queue == nil || creds.RefreshToken == "" || ch.TokenExpiresAt == nil {
		return nil
	}
	issued := time.Now()
	if ch.TokenRefreshedAt != nil {
		issued = *ch.TokenRefreshedAt
	}
	at := RefreshAt(issued, *ch.TokenExpiresAt)
	return s.Queue.InsertTx(ctx, tx, river.InsertManyParams{
		Args: RefreshArgs{ChannelID: ch.ID, Version: ch.CredentialsVersion}, InsertOpts: &river.InsertOpts{ScheduledAt: at},
	})
}

type refreshWorker struct {
	river.WorkerDefaults[RefreshArgs]
	s *Service
}

// Work refreshes the tokens of the job's version once they are due. A refusal is permanent: the
// channel is marked FAILED with an alert, and the job stops; other failures are retried with the
// queue's backoff.
func (w *refreshWorker) Work(ctx context.Context, job *river.Job[RefreshArgs]) error {
	ctx = auth.NewContext(ctx, auth.System)
	ch, err := w.s.DB.Client.Channel.Get(ctx, job.Args.ChannelID)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load channel: %w", err)
	}
	// Newer credentials have their own job; failed ones wait for an operator.
	if ch.CredentialsVersion != job.Args.Version || ch.AuthStatus == channel.AuthStatusFAILED || ch.TokenExpiresAt == nil {
		return nil
	}
	issued := ch.UpdatedAt
	if ch.TokenRefreshedAt != nil {
		issued = *ch.TokenRefreshedAt
	}
	if wait := time.Until(RefreshAt(issued, *ch.TokenExpiresAt)); wait > 0 {
		return river.JobSnooze(wait)
	}
	return w.s.refresh(ctx, ch)
}

// refresh spends ch's refresh token and stores what the channel answers, over ch's version.
func (s *Service) refresh(ctx context.Context, ch *ent.Channel) error {
	conn, err := s.open(ch)
	if err != nil {
		return err
	}
	r, ok := conn.(channels.Refresher)
	if !ok {
		return nil
	}
	creds, err := s.credentials(ch)
	if err != nil {
		return err
	}
	toks, err := r.RefreshTokens(ctx)
	if errors.Is(err, channels.ErrRefused) || err != nil && jobs.Classify(err) == jobs.Stop {
		// Refused, or failing for good (no refresh token, an unreadable answer): mark the channel
		// FAILED, so that calls refused for their token stop asking for refreshes.
		if ferr := s.failed(ctx, ch, err); ferr != nil {
			return ferr
		}
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	creds.AccessToken, creds.RefreshToken = toks.AccessToken, toks.RefreshToken
	sealed, err := s.seal(ch.ID, creds)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		upd := tx.Channel.Update().Where(channel.ID(ch.ID), channel.CredentialsVersion(ch.CredentialsVersion)).
			SetCredentials(sealed).AddCredentialsVersion(1).SetTokenRefreshedAt(now).SetAuthStatus(channel.AuthStatusOK).SetAuthError("")
		if toks.AccessExpiresAt.IsZero() {
			upd.ClearTokenExpiresAt()
		} else {
			upd.SetTokenExpiresAt(toks.AccessExpiresAt)
		}
		if !toks.RefreshExpiresAt.IsZero() {
			upd.SetRefreshTokenExpiresAt(toks.RefreshExpiresAt)
		}
		n, err := upd.Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return errLostRace
		}
		next, err := tx.Channel.Get(ctx, ch.ID)
		if err != nil {
			return err
		}
		if err := events.Append(ctx, tx, events.Event{ChannelID: string(ch.ID), Actor: auth.Actor(ctx),
			Payload: events.TokensRefreshed{Version: next.CredentialsVersion}}); err != nil {
			return err
		}
		return s.scheduleRefresh(ctx, tx, next, creds)
	})
	if errors.Is(err, errLostRace) {
		// The credentials were replaced while the channel answered: the new ones stand.
		s.log().Warn("channel credentials changed during a token refresh; the refreshed tokens are dropped", "channel", ch.ID)
		return nil
	}
	return err
}

var errLostRace = errors.New("connections: the credentials changed during the refresh")

// failed marks ch's tokens FAILED with the channel's answer and raises the alert, unless its
// credentials changed meanwhile.
func (s *Service) failed(ctx context.Context, ch *ent.Channel, cause error) error {
	s.log().Error("channel refused to refresh its tokens: connect it again", "channel", ch.ID, "err", cause)
	return s.DB.Tx(ctx, func(tx *ent.Tx) error {
		n, err := tx.Channel.Update().Where(channel.ID(ch.ID), channel.CredentialsVersion(ch.CredentialsVersion)).
			SetAuthStatus(channel.AuthStatusFAILED).SetAuthError(cause.Error()).Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		return events.Append(ctx, tx, events.Event{ChannelID: string(ch.ID), Actor: auth.Actor(ctx),
			Payload: events.AuthFailed{Error: cause.Error()}})
	})
}
