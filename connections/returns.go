package connections

import (
	"context"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
)

// Returns opens the returns (channels.Returns) of a channel's connector; ok is false when its
// channel has none. As with Connector, a call the channel refuses for an expired access token is
// made once more after the token is refreshed.
func (s *Service) Returns(ch *ent.Channel) (r channels.Returns, ok bool, err error) {
	conn, err := s.open(ch)
	if err != nil {
		return nil, false, err
	}
	r, ok = conn.(channels.Returns)
	if !ok {
		return nil, false, nil
	}
	if _, refreshes := conn.(channels.Refresher); !refreshes || s.Queue == nil {
		return r, true, nil
	}
	return &refreshingReturns{r: &refreshing{Connector: conn, s: s, ch: ch}}, true, nil
}

// refreshingReturns is a connector's returns, whose calls are retried after a token refresh.
type refreshingReturns struct{ r *refreshing }

// UpdatedReturns implements channels.Returns.
func (x *refreshingReturns) UpdatedReturns(ctx context.Context, q channels.PullQuery) (out channels.ReturnPage, err error) {
	err = x.r.retry(ctx, func(c channels.Connector) error {
		out, err = c.(channels.Returns).UpdatedReturns(ctx, q)
		return err
	})
	return out, err
}

// ReturnsByID implements channels.Returns.
func (x *refreshingReturns) ReturnsByID(ctx context.Context, ids []string) (out []channels.Return, err error) {
	err = x.r.retry(ctx, func(c channels.Connector) error {
		out, err = c.(channels.Returns).ReturnsByID(ctx, ids)
		return err
	})
	return out, err
}

// DecideReturn implements channels.Returns.
func (x *refreshingReturns) DecideReturn(ctx context.Context, d channels.ReturnDecision) error {
	return x.r.retry(ctx, func(c channels.Connector) error {
		return c.(channels.Returns).DecideReturn(ctx, d)
	})
}
