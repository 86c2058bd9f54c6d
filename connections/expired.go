package connections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
)

// refreshWait bounds how long a call refused for its access token waits for the refresh.
const refreshWait = 30 * time.Second

// refreshing is a connector whose calls, when the channel refuses them for an expired access
// token, have the token refreshed (by the channel's refresh job, wherever it runs) and are made
// once more with the new one.
type refreshing struct {
	channels.Connector
	s  *Service
	ch *ent.Channel
}

// retry runs call with the connector; if the channel refuses the access token, it waits for the
// refresh and runs call once more with the refreshed connector.
func (r *refreshing) retry(ctx context.Context, call func(channels.Connector) error) error {
	err := call(r.Connector)
	if !errors.Is(err, channels.ErrTokenExpired) {
		return err
	}
	conn, rerr := r.s.refreshed(ctx, r.ch)
	if rerr != nil {
		return rerr
	}
	if err = call(conn); errors.Is(err, channels.ErrTokenExpired) {
		// Not a refusal of the call: it is tried again later, when the refresh has come.
		return fmt.Errorf("connections: channel %s refused its refreshed access token: %s", r.ch.ID, err.Error())
	}
	return err
}

// refreshed has ch's access token refreshed now, waits for the new credentials and returns their
// connector. A channel whose refresh failed is a refusal: it must be connected again.
func (s *Service) refreshed(ctx context.Context, ch *ent.Channel) (channels.Connector, error) {
	sys := auth.NewContext(ctx, auth.System)
	// The channel says the token of this version is expired: its job refreshes it now.
	if err := s.DB.Client.Channel.Update().Where(channel.ID(ch.ID), channel.CredentialsVersion(ch.CredentialsVersion)).
		SetTokenExpiresAt(time.Now().UTC()).Exec(sys); err != nil {
		return nil, fmt.Errorf("connections: channel %s: %w", ch.ID, err)
	}
	ctx, cancel := context.WithTimeout(sys, refreshWait)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var kicked time.Time
	for {
		cur, err := s.DB.Client.Channel.Get(ctx, ch.ID)
		switch {
		case err != nil:
			return nil, fmt.Errorf("connections: channel %s: waiting for its token refresh: %w", ch.ID, err)
		case cur.CredentialsVersion != ch.CredentialsVersion:
			return s.open(cur)
		case cur.AuthStatus == channel.AuthStatusFAILED:
			return nil, channels.Refused("connections: channel %s: its token refresh failed (%s): connect it again", ch.ID, cur.AuthError)
		}
		// (Re)start the job now and then, in case it snoozed before the token was marked expired.
		if time.Since(kicked) > time.Second {
			if err := s.Queue.InsertNow(ctx, RefreshArgs{ChannelID: ch.ID, Version: ch.CredentialsVersion}); err != nil {
				return nil, err
			}
			kicked = time.Now()
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("connections: channel %s: waiting for its token refresh: %w", ch.ID, ctx.Err())
		case <-tick.C:
		}
	}
}

// Orders implements channels.Connector.
func (r *refreshing) Orders(ctx context.Context, ids []string) (out []channels.Order, err error) {
	err = r.retry(ctx, func(c channels.Connector) error {
		out, err = c.Orders(ctx, ids)
		return err
	})
	return out, err
}

// Updated implements channels.Connector.
func (r *refreshing) Updated(ctx context.Context, q channels.PullQuery) (out channels.OrderPage, err error) {
	err = r.retry(ctx, func(c channels.Connector) error {
		out, err = c.Updated(ctx, q)
		return err
	})
	return out, err
}

// Accept implements channels.Connector.
func (r *refreshing) Accept(ctx context.Context, orders []channels.Order) error {
	return r.retry(ctx, func(c channels.Connector) error { return c.Accept(ctx, orders) })
}

// PushStock implements channels.Connector. Channels may refuse the token per listing (Shopee
// answers each item's call): then the whole push is made again, quantities being absolute.
func (r *refreshing) PushStock(ctx context.Context, levels []channels.StockLevel) (out []channels.StockResult, err error) {
	err = r.retry(ctx, func(c channels.Connector) error {
		out, err = c.PushStock(ctx, levels)
		if err != nil {
			return err
		}
		for _, res := range out {
			if errors.Is(res.Err, channels.ErrTokenExpired) {
				return res.Err
			}
		}
		return nil
	})
	return out, err
}

// ConfirmShipment implements channels.Connector.
func (r *refreshing) ConfirmShipment(ctx context.Context, sh channels.Shipment) error {
	return r.retry(ctx, func(c channels.Connector) error { return c.ConfirmShipment(ctx, sh) })
}

// CancelOrder implements channels.Connector.
func (r *refreshing) CancelOrder(ctx context.Context, x channels.Cancellation) error {
	return r.retry(ctx, func(c channels.Connector) error { return c.CancelOrder(ctx, x) })
}
