package fulfilment

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// MaxShipByAlertHours bounds how long before its ship-by time a shipment may raise its alert.
const MaxShipByAlertHours = 24 * 14

// ChannelFulfilment is a channel's fulfilment settings: whether a backordered order ships what it
// has (SHIP_PARTIAL) or waits until it is complete (WAIT_COMPLETE), and how many hours before its
// ship-by time a shipment still at its origin raises an alert. Nil fields are left as they are.
type ChannelFulfilment struct {
	ChannelID        pulid.ID
	PartialShipments *channel.PartialShipments
	ShipByAlertHours *int
}

// Validate checks the settings without the database.
func (in ChannelFulfilment) Validate() error {
	if err := in.ChannelID.Validate("chn"); err != nil {
		return fault.New(fault.InvalidArgument, "channelID: %v", err)
	}
	if p := in.PartialShipments; p != nil {
		if err := channel.PartialShipmentsValidator(*p); err != nil {
			return fault.New(fault.InvalidArgument, "unknown partialShipments %q", *p)
		}
	}
	if h := in.ShipByAlertHours; h != nil && (*h < 0 || *h > MaxShipByAlertHours) {
		return fault.New(fault.InvalidArgument, "shipByAlertHours must be between 0 and %d, got %d", MaxShipByAlertHours, *h)
	}
	return nil
}

// SetChannelFulfilment changes a channel's fulfilment settings. The settings of the oldest active
// STOREFRONT channel also apply to orders placed through the API without a channel (see
// shipsPartial).
func (s *Service) SetChannelFulfilment(ctx context.Context, in ChannelFulfilment) (*ent.Channel, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	upd := s.DB.Client.Channel.UpdateOneID(in.ChannelID)
	if in.PartialShipments != nil {
		upd.SetPartialShipments(*in.PartialShipments)
	}
	if in.ShipByAlertHours != nil {
		upd.SetShipByAlertHours(*in.ShipByAlertHours)
	}
	ch, err := upd.Save(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "channel %s not found", in.ChannelID)
	}
	if err != nil {
		return nil, fmt.Errorf("update channel: %w", err)
	}
	s.committed()
	return ch, nil
}

// settingsChannel is the channel whose fulfilment settings apply to o: its own channel, or, for an
// order placed through the API without one (a storefront key, staff), the oldest active
// STOREFRONT channel, which stands for the business's own shop. Nil when there is neither: the
// schema's defaults apply (WAIT_COMPLETE).
func settingsChannel(ctx context.Context, tx *ent.Tx, o *ent.Order) (*ent.Channel, error) {
	if o.Edges.Channel != nil {
		return o.Edges.Channel, nil
	}
	if o.ChannelID != nil {
		ch, err := tx.Channel.Get(ctx, *o.ChannelID)
		if err != nil {
			return nil, fmt.Errorf("load channel: %w", err)
		}
		return ch, nil
	}
	ch, err := tx.Channel.Query().Where(channel.KindEQ(channel.KindSTOREFRONT), channel.Active(true)).
		Order(channel.ByID()).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load storefront channel: %w", err)
	}
	return ch, nil
}

// shipsPartial decides whether a backordered order's units in stock may ship ahead of the rest:
// only when the channel whose settings apply says SHIP_PARTIAL. It is pure.
func shipsPartial(ch *ent.Channel) bool {
	return ch != nil && ch.PartialShipments == channel.PartialShipmentsSHIP_PARTIAL
}
