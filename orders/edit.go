package orders

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// EditQuantity sets the units a line wants.
type EditQuantity struct {
	LineID   pulid.ID
	Quantity int64
}

// EditInput is one edit of an order before picking: quantities set (0 removes the line's units),
// lines added and removed, a new shipping address (routed again), a new shipping method.
type EditInput struct {
	OrderID         pulid.ID
	SetQuantities   []EditQuantity
	AddLines        []Line
	RemoveLines     []pulid.ID
	ShippingAddress *schema.Address
	ShippingMethod  *string
	Reason          string
	// AllowBackorder accepts added units that must wait for stock; without it a shortfall is
	// INSUFFICIENT_STOCK and nothing changes. A channel's order always allows it (it is sold).
	AllowBackorder bool

	// source is CHANNEL for a channel's own edit (Shopify orders/edited), else EDIT.
	source Source
}

// Validate checks an edit without the database.
func (in EditInput) Validate() error {
	if err := in.OrderID.Validate("ord"); err != nil {
		return fault.New(fault.InvalidArgument, "orderID: %v", err)
	}
	if len(in.SetQuantities)+len(in.AddLines)+len(in.RemoveLines) == 0 && in.ShippingAddress == nil && in.ShippingMethod == nil {
		return fault.New(fault.InvalidArgument, "an edit changes something: quantities, lines, the address or the shipping method")
	}
	if len(in.SetQuantities) > MaxLines || len(in.RemoveLines) > MaxLines || len(in.AddLines) > MaxLines {
		return fault.New(fault.InvalidArgument, "an edit names at most %d lines in each list", MaxLines)
	}
	for i, q := range in.SetQuantities {
		if err := q.LineID.Validate("lin"); err != nil {
			return fault.New(fault.InvalidArgument, "setQuantities[%d].lineID: %v", i, err)
		}
	}
	for i, id := range in.RemoveLines {
		if err := id.Validate("lin"); err != nil {
			return fault.New(fault.InvalidArgument, "removeLines[%d]: %v", i, err)
		}
	}
	if m := in.ShippingMethod; m != nil && (strings.TrimSpace(*m) == "" || len(*m) > 64) {
		return fault.New(fault.InvalidArgument, "shippingMethod: 1 to 64 characters")
	}
	if len(in.Reason) > 500 {
		return fault.New(fault.InvalidArgument, "reason: at most 500 characters")
	}
	return nil
}

// editable are the order states an edit may start from: nothing picked, nothing shipped.
var editable = []order.Status{order.StatusPENDING_PAYMENT, order.StatusCONFIRMED, order.StatusALLOCATED, order.StatusBACKORDERED, order.StatusON_HOLD}

// Edit changes an order before picking, in one transaction: lower quantities and removed lines
// cancel units (as CancelLines, source EDIT), higher quantities and new lines are routed and
// reserved (backordered when allowed, else INSUFFICIENT_STOCK and nothing changes), a new address
// releases the order's reservations and routes it again (it may now ship from elsewhere, with a new
// promise), a new shipping method is stored. Open shipments are packed again. The order's version
// moves on and an order.edited event records the changes. Once any shipment of the order is being
// picked, or the order is past allocation (or cancelled), an edit is a CONFLICT and changes
// nothing.
func (s *Service) Edit(ctx context.Context, in EditInput) (*ent.Order, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.source == "" {
		in.source = SourceEdit
	}
	added, err := resolveAdded(ctx, s.DB.Client, in.AddLines)
	if err != nil {
		return nil, err
	}
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		o, err := loadForChange(ctx, tx, in.OrderID)
		if err != nil {
			return err
		}
		return s.edit(ctx, tx, o, in, added)
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	s.replenished(ctx, in.OrderID)
	return s.DB.Client.Order.Get(ctx, in.OrderID)
}

// resolveAdded loads the variants of added lines with c (a transaction's client, inside one).
func resolveAdded(ctx context.Context, c *ent.Client, add []Line) (catalog.Resolved, error) {
	if len(add) == 0 {
		return catalog.Resolved{}, nil
	}
	skus := make([]string, len(add))
	for i, l := range add {
		skus[i] = l.SKU
	}
	return catalog.Resolve(ctx, c, skus)
}

// mayEdit refuses an edit once picking started: the order past allocation, or any of its
// shipments past OPEN.
func mayEdit(ctx context.Context, tx *ent.Tx, o *ent.Order) error {
	st := o.Status
	if st == order.StatusON_HOLD && o.StatusBeforeHold != nil {
		st = order.Status(*o.StatusBeforeHold)
	}
	if !slices.Contains(editable, st) {
		return fault.New(fault.Conflict, "cannot edit an order that is %s: edits stop once picking starts", o.Status).With("status", string(o.Status))
	}
	started, err := tx.Shipment.Query().Where(shipment.OrderID(o.ID), shipment.DirectionEQ(shipment.DirectionOUTBOUND),
		shipment.StatusNotIn(shipment.StatusOPEN, shipment.StatusCANCELLED)).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("load shipments: %w", err)
	}
	if started != nil {
		return fault.New(fault.Conflict, "cannot edit the order: picking started (shipment %s is %s)", started.Number, started.Status).
			With("reason", "PICKING_STARTED")
	}
	return nil
}

// edit is Edit inside tx.
func (s *Service) edit(ctx context.Context, tx *ent.Tx, o *ent.Order, in EditInput, added catalog.Resolved) error {
	// The order's row is locked first, so that the shipments read below are the latest committed:
	// a pick that committed meanwhile refuses the edit.
	if err := bump(ctx, tx, o); err != nil {
		return err
	}
	if err := mayEdit(ctx, tx, o); err != nil {
		return err
	}
	lines, err := tx.OrderLine.Query().Where(orderline.OrderID(o.ID)).Order(orderline.ByID()).All(ctx)
	if err != nil {
		return fmt.Errorf("load lines: %w", err)
	}
	p, err := planEdit(lines, in)
	if err != nil {
		return err
	}
	upd := tx.Order.UpdateOneID(o.ID)
	readdress := in.ShippingAddress != nil && !reflect.DeepEqual(*in.ShippingAddress, o.ShippingAddress)
	if readdress {
		if o.DeliveryMethod == order.DeliveryMethodPICKUP {
			return fault.New(fault.InvalidArgument, "a pickup order has no shipping address to change")
		}
		upd.SetShippingAddress(*in.ShippingAddress)
		p.Changes = append(p.Changes, events.EditChange{Kind: events.ChangeAddress, Detail: in.ShippingAddress.City + " " + in.ShippingAddress.CountryCode})
	}
	if m := in.ShippingMethod; m != nil && strings.TrimSpace(*m) != o.ShippingMethod {
		upd.SetShippingMethod(strings.TrimSpace(*m))
		p.Changes = append(p.Changes, events.EditChange{Kind: events.ChangeShippingMethod, Detail: strings.TrimSpace(*m)})
	}
	if len(p.Changes) == 0 {
		return fault.New(fault.InvalidArgument, "the edit changes nothing: the order already is as asked")
	}
	if err := upd.Exec(ctx); err != nil {
		return fmt.Errorf("update order: %w", err)
	}
	if readdress {
		o.ShippingAddress = *in.ShippingAddress
	}
	source := SourceEdit
	if in.source == SourceChannel {
		source = SourceChannel
	}
	if len(p.Cancel) > 0 {
		done, err := s.cancelUnits(ctx, tx, o, p.Cancel, editReason(in.Reason))
		if err != nil {
			return err
		}
		ev := events.LinesCancelled{Lines: done, Reason: editReason(in.Reason), Source: string(source), Version: o.Version}
		if err := events.Append(ctx, tx, orderEvent(ctx, o, ev)); err != nil {
			return err
		}
	}
	for _, r := range p.Raise {
		l := lineOf(lines, r.LineID)
		n, err := tx.OrderLine.Update().Where(orderline.ID(l.ID), orderline.Quantity(l.Quantity)).AddQuantity(r.Quantity).Save(ctx)
		if err != nil {
			return fmt.Errorf("update line: %w", err)
		}
		if n != 1 {
			return fault.New(fault.Conflict, "line %s changed while this edit ran; retry", l.ID)
		}
	}
	if err := s.addLines(ctx, tx, o, p.Add, added); err != nil {
		return err
	}
	if readdress {
		if err := s.unroute(ctx, tx, o); err != nil {
			return err
		}
	}
	if len(p.Raise)+len(p.Add) > 0 || readdress {
		if err := s.routeEdited(ctx, tx, o, in.AllowBackorder || o.ChannelID != nil, readdress); err != nil {
			return err
		}
	}
	if err := s.finish(ctx, tx, o, events.OrderEdited{Changes: p.Changes, Reason: in.Reason, Source: string(source), Version: o.Version}); err != nil {
		return err
	}
	if len(p.Cancel) > 0 {
		return s.afterCancel(ctx, tx, o, editReason(in.Reason))
	}
	return nil
}

func editReason(r string) string {
	if strings.TrimSpace(r) == "" {
		return "order edited"
	}
	return r
}

func lineOf(lines []*ent.OrderLine, id pulid.ID) *ent.OrderLine {
	for _, l := range lines {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// addLines creates an edit's new lines, priced as at placement: the price given, else the
// variant's list price (which must be in the order's currency).
func (s *Service) addLines(ctx context.Context, tx *ent.Tx, o *ent.Order, add []Line, r catalog.Resolved) error {
	if len(add) == 0 {
		return nil
	}
	creates := make([]*ent.OrderLineCreate, len(add))
	for i, l := range add {
		v := r.BySKU[l.SKU]
		price := v.PriceAmount
		if l.UnitPrice != nil {
			price = *l.UnitPrice
		} else if v.Currency != o.Currency {
			return fault.New(fault.InvalidArgument, "%s is priced in %s, not %s: give a unit price", l.SKU, v.Currency, o.Currency)
		}
		creates[i] = tx.OrderLine.Create().SetOrderID(o.ID).SetSku(l.SKU).SetVariantID(v.ID).SetQuantity(l.Quantity).
			SetUnitPriceAmount(price).SetExternalLineID(l.ChannelLineID).SetListingID(l.ListingID).SetName(l.Name)
		if len(l.UnitIDs) > 0 {
			creates[i].SetExternalUnitIds(l.UnitIDs)
		}
	}
	if err := tx.OrderLine.CreateBulk(creates...).Exec(ctx); err != nil {
		return fmt.Errorf("create lines: %w", err)
	}
	return nil
}

// unroute gives back every open reservation of an order whose address changed, emptying its open
// shipments, so that it is routed again from scratch.
func (s *Service) unroute(ctx context.Context, tx *ent.Tx, o *ent.Order) error {
	open, err := tx.Shipment.Query().Where(shipment.OrderID(o.ID), shipment.StatusEQ(shipment.StatusOPEN)).IDs(ctx)
	if err != nil {
		return fmt.Errorf("load shipments: %w", err)
	}
	if err := s.Inventory.Release(ctx, tx, o.ID, nil, "shipping address changed"); err != nil {
		return err
	}
	if len(open) > 0 && s.Replanner != nil {
		return s.Replanner.Replan(ctx, tx, o, open)
	}
	return nil
}

// routeEdited routes the units of an edited order no allocation covers, refusing a shortfall
// unless backorders are allowed, keeps the new promise when the order was routed again from
// scratch, packs new units into the open shipments at their locations, and moves an allocated or
// backordered order to what its reservations now call for.
func (s *Service) routeEdited(ctx context.Context, tx *ent.Tx, o *ent.Order, allowBackorder, fresh bool) error {
	exclude := make([]pulid.ID, len(o.RejectedLocations))
	for i, id := range o.RejectedLocations {
		exclude[i] = pulid.ID(id)
	}
	r, err := s.Router.Route(ctx, tx, o, exclude, s.now())
	if err != nil {
		return err
	}
	if !r.FullyPlaced() && len(r.Short) > 0 && !allowBackorder {
		return r.Refusal()
	}
	if fresh {
		if err := s.keepPromise(ctx, tx, o, r); err != nil {
			return err
		}
	}
	if err := s.joinOpenShipments(ctx, tx, o); err != nil {
		return err
	}
	unplaced, err := dispatch.Unplaced(ctx, tx.Client(), o)
	if err != nil {
		return err
	}
	cmd := Backorder
	if unplaced == 0 {
		cmd = Allocate
	}
	switch {
	case o.Status != order.StatusALLOCATED && o.Status != order.StatusBACKORDERED:
		return nil // pending payment or held: its status is not routing's to change
	case (cmd == Allocate) == (o.Status == order.StatusALLOCATED):
		return nil
	}
	t, err := Next(o.Status, nil, o.PaymentStatus, o.PaymentMethod, cmd, "")
	if err != nil {
		return err
	}
	return s.move(ctx, tx, o, t, "", events.StatusChanged{Command: string(cmd), Reason: "order edited"})
}

// joinOpenShipments has the open shipments of an order, at the locations where an edit reserved new
// units, packed again with them.
func (s *Service) joinOpenShipments(ctx context.Context, tx *ent.Tx, o *ent.Order) error {
	if s.Replanner == nil {
		return nil
	}
	locs, err := tx.Allocation.Query().Where(allocation.OrderID(o.ID), allocation.StatusEQ(allocation.StatusOPEN), allocation.ShipmentIDIsNil()).
		Unique(true).Select(allocation.FieldLocationID).Strings(ctx)
	if err != nil || len(locs) == 0 {
		return err
	}
	ids := make([]pulid.ID, len(locs))
	for i, l := range locs {
		ids[i] = pulid.ID(l)
	}
	open, err := tx.Shipment.Query().Where(shipment.OrderID(o.ID), shipment.StatusEQ(shipment.StatusOPEN),
		shipment.DirectionEQ(shipment.DirectionOUTBOUND), shipment.LocationIDIn(ids...)).IDs(ctx)
	if err != nil || len(open) == 0 {
		return err
	}
	return s.Replanner.Replan(ctx, tx, o, open)
}
