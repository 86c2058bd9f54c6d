package connections

import (
	"context"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
)

// Logistics opens the marketplace logistics (channels.Logistics) of a channel's connector; ok is
// false when its channel arranges none. As with Connector, a call the channel refuses for an
// expired access token is made once more after the token is refreshed.
func (s *Service) Logistics(ch *ent.Channel) (l channels.Logistics, ok bool, err error) {
	conn, err := s.open(ch)
	if err != nil {
		return nil, false, err
	}
	l, ok = conn.(channels.Logistics)
	if !ok {
		return nil, false, nil
	}
	if _, refreshes := conn.(channels.Refresher); !refreshes || s.Queue == nil {
		return l, true, nil
	}
	return &refreshingLogistics{r: &refreshing{Connector: conn, s: s, ch: ch}}, true, nil
}

// refreshingLogistics is a connector's logistics whose calls are retried after a token refresh.
type refreshingLogistics struct{ r *refreshing }

// ArrangeShipment implements channels.Logistics.
func (l *refreshingLogistics) ArrangeShipment(ctx context.Context, req channels.ArrangeRequest) (out channels.Arranged, err error) {
	err = l.r.retry(ctx, func(c channels.Connector) error {
		out, err = c.(channels.Logistics).ArrangeShipment(ctx, req)
		return err
	})
	return out, err
}

// ShippingDocuments implements channels.Logistics.
func (l *refreshingLogistics) ShippingDocuments(ctx context.Context, a channels.Arranged) (out []channels.Document, err error) {
	err = l.r.retry(ctx, func(c channels.Connector) error {
		out, err = c.(channels.Logistics).ShippingDocuments(ctx, a)
		return err
	})
	return out, err
}
