package connections

import (
	"context"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
)

// DeliveryConfirmer opens the delivery confirmations (channels.DeliveryConfirmer) of a channel's
// connector; ok is false when its channel takes none. As with Connector, a call the channel
// refuses for an expired access token is made once more after the token is refreshed.
func (s *Service) DeliveryConfirmer(ch *ent.Channel) (d channels.DeliveryConfirmer, ok bool, err error) {
	conn, err := s.open(ch)
	if err != nil {
		return nil, false, err
	}
	d, ok = conn.(channels.DeliveryConfirmer)
	if !ok {
		return nil, false, nil
	}
	if _, refreshes := conn.(channels.Refresher); !refreshes || s.Queue == nil {
		return d, true, nil
	}
	return &refreshingDelivery{r: &refreshing{Connector: conn, s: s, ch: ch}}, true, nil
}

// refreshingDelivery is a connector's delivery confirmations, retried after a token refresh.
type refreshingDelivery struct{ r *refreshing }

// ConfirmDelivery implements channels.DeliveryConfirmer.
func (d *refreshingDelivery) ConfirmDelivery(ctx context.Context, del channels.Delivery) error {
	return d.r.retry(ctx, func(c channels.Connector) error {
		return c.(channels.DeliveryConfirmer).ConfirmDelivery(ctx, del)
	})
}
