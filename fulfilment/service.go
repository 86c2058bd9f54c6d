package fulfilment

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/orders"
	"github.com/ordo-oms/ordo/packing"
)

// Service runs shipments.
type Service struct {
	DB *database.DB
	// Inventory ships and releases each shipment's stock in the shipment's transaction.
	Inventory *inventory.Service
	// Orders follows the shipments with the order's own lifecycle.
	Orders *orders.Service
	// Clock is the time shipments are stamped with; nil means the wall clock.
	Clock func() time.Time
	// Committed is called after each committed change, to wake the event hub.
	Committed func()
	// Returns hears of shipments that moved, in their transaction: return shipments and parcels the
	// carrier returned to the sender (package returns); nil hears nothing.
	Returns ReturnHook
}

// ReturnHook hears, inside the shipment's transaction, that sh moved from status from to
// sh.Status: a RETURN shipment's progress moves its return, an outbound shipment returned to its
// sender becomes a return expected back. An error rolls the move back.
type ReturnHook interface {
	ShipmentMoved(ctx context.Context, tx *ent.Tx, o *ent.Order, sh *ent.Shipment, from shipment.Status) error
}

// moved tells the return hook that sh moved from status from.
func (s *Service) moved(ctx context.Context, tx *ent.Tx, o *ent.Order, sh *ent.Shipment, from shipment.Status) error {
	if s.Returns == nil || from == sh.Status {
		return nil
	}
	return s.Returns.ShipmentMoved(ctx, tx, o, sh, from)
}

// inbound reports whether sh brings a return back: it carries no allocations, moves no outbound
// stock, and neither the order nor its channel follows it.
func inbound(sh *ent.Shipment) bool { return sh.Direction == shipment.DirectionRETURN }

func (s *Service) now() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) committed() {
	if s.Committed != nil {
		s.Committed()
	}
}

// plannable are the order states in which shipments may be planned: routed, nothing on hold.
var plannable = []order.Status{
	order.StatusALLOCATED, order.StatusPICKING, order.StatusPACKED, order.StatusREADY_TO_SHIP, order.StatusBACKORDERED,
}

// Plan makes shipments of an order's allocations that no shipment carries yet: one per origin
// location, packed by the box catalogue. A backordered order is planned only when its channel
// ships partial orders (SHIP_PARTIAL; an order without a channel follows the oldest active
// STOREFRONT channel, see settingsChannel); the rest ships later as another shipment. It returns the
// shipments made, none when every allocation is already planned. The order's product data is
// checked first (dispatch.FlagData): one whose lines lack a weight or dimensions the catalogue rule
// requires is held, its flags stored and the answer a CONFLICT with reason DATA_ISSUES; its stock
// stays reserved, and planning goes through once the data is fixed (the flags clear when a
// variant of it is updated). Missing customs data (HS code, origin) flags the order but does not
// hold packing: it matters to the label, not the boxes.
func (s *Service) Plan(ctx context.Context, orderID pulid.ID) ([]*ent.Shipment, error) {
	if err := orderID.Validate("ord"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "orderID: %v", err)
	}
	var made []*ent.Shipment
	var held []string
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		made, held = nil, nil
		o, err := tx.Order.Query().Where(order.ID(orderID)).WithChannel().Only(ctx)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "order %s not found", orderID)
		}
		if err != nil {
			return fmt.Errorf("load order: %w", err)
		}
		if !slices.Contains(plannable, o.Status) {
			return fault.New(fault.Conflict, "cannot plan shipments for an order that is %s", o.Status).With("status", string(o.Status))
		}
		if o.Status == order.StatusBACKORDERED {
			ch, err := settingsChannel(ctx, tx, o)
			if err != nil {
				return err
			}
			if !shipsPartial(ch) {
				return fault.New(fault.Conflict, "order %s waits until it is complete: its channel ships whole orders (partialShipments WAIT_COMPLETE)", o.ID).
					With("partialShipments", string(channel.PartialShipmentsWAIT_COMPLETE))
			}
		}
		// An order whose lines lack the weight or dimensions packing needs is not packed with
		// guessed boxes: its flags are stored (and committed) and planning waits for the data.
		issues, err := dispatch.FlagData(ctx, tx, o)
		if err != nil {
			return err
		}
		for _, i := range issues {
			if i.Packing() {
				held = append(held, i.Flag())
			}
		}
		if len(held) > 0 {
			return nil
		}
		made, err = s.plan(ctx, tx, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	if len(held) > 0 {
		return nil, fault.New(fault.Conflict, "order %s waits for product data: %s", orderID, strings.Join(held, "; ")).
			With("reason", "DATA_ISSUES").With("dataIssues", held)
	}
	if len(made) == 0 {
		return nil, nil
	}
	ids := make([]pulid.ID, len(made))
	for i, sh := range made {
		ids[i] = sh.ID
	}
	return s.DB.Client.Shipment.Query().Where(shipment.IDIn(ids...)).Order(shipment.ByID()).All(ctx)
}

// plan makes the shipments of o's unplanned open allocations in tx.
func (s *Service) plan(ctx context.Context, tx *ent.Tx, o *ent.Order) ([]*ent.Shipment, error) {
	open, err := tx.Allocation.Query().
		Where(allocation.OrderID(o.ID), allocation.StatusEQ(allocation.StatusOPEN), allocation.ShipmentIDIsNil()).
		WithVariant().Order(allocation.ByLocationID(), allocation.ByID()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load allocations: %w", err)
	}
	if len(open) == 0 {
		return nil, nil
	}
	if o.Edges.Channel == nil && o.ChannelID != nil {
		if o.Edges.Channel, err = tx.Channel.Get(ctx, *o.ChannelID); err != nil {
			return nil, fmt.Errorf("load channel: %w", err)
		}
	}
	boxes, err := dispatch.Boxes(ctx, tx.Client())
	if err != nil {
		return nil, err
	}
	existing, err := tx.Shipment.Query().Where(shipment.OrderID(o.ID)).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("count shipments: %w", err)
	}
	byLocation := map[pulid.ID][]*ent.Allocation{}
	var locations []pulid.ID
	for _, a := range open {
		if _, ok := byLocation[a.LocationID]; !ok {
			locations = append(locations, a.LocationID)
		}
		byLocation[a.LocationID] = append(byLocation[a.LocationID], a)
	}
	made := make([]*ent.Shipment, 0, len(locations))
	for i, loc := range locations {
		l, err := tx.Location.Get(ctx, loc)
		if err != nil {
			return nil, fmt.Errorf("load location: %w", err)
		}
		sh, err := s.create(ctx, tx, o, l, byLocation[loc], boxes, existing+i+1)
		if err != nil {
			return nil, err
		}
		made = append(made, sh)
	}
	return made, nil
}

// methodOf is who carries a shipment from l: the customer collecting it, a drop-ship supplier,
// the marketplace's logistics, or (until a label is bought) a tracking number given by hand.
func methodOf(o *ent.Order, l *ent.Location) shipment.Method {
	switch {
	case o.DeliveryMethod == order.DeliveryMethodPICKUP:
		return shipment.MethodPICKUP
	case l.Kind == location.KindDROP_SHIP_SUPPLIER:
		return shipment.MethodSUPPLIER
	case o.Edges.Channel != nil && marketplaceLogistics(o.Edges.Channel.Kind):
		return shipment.MethodMARKETPLACE
	}
	return shipment.MethodMANUAL
}

// marketplaceLogistics reports whether orders of a channel kind travel with the marketplace's own
// logistics (it arranges the carrier and prints the airway bill).
func marketplaceLogistics(k channel.Kind) bool {
	return k == channel.KindSHOPEE || k == channel.KindLAZADA || k == channel.KindTIKTOK_SHOP
}

// create makes one shipment of allocs at l, with its lines and packages, and claims the allocations.
func (s *Service) create(ctx context.Context, tx *ent.Tx, o *ent.Order, l *ent.Location, allocs []*ent.Allocation, boxes []packing.Box, n int) (*ent.Shipment, error) {
	m := methodOf(o, l)
	c := tx.Shipment.Create().SetOrderID(o.ID).SetLocationID(l.ID).SetNumber(fmt.Sprintf("%s-%d", o.Number, n)).SetMethod(m).
		SetNillablePromisedDeliveryFrom(o.PromisedDeliveryFrom).SetNillablePromisedDeliveryTo(o.PromisedDeliveryTo)
	switch {
	case o.ShipBy != nil:
		c.SetShipBy(*o.ShipBy)
	case o.PromisedShipBy != nil:
		c.SetShipBy(*o.PromisedShipBy)
	}
	if o.RepromisedDeliveryTo != nil {
		c.SetPromisedDeliveryTo(*o.RepromisedDeliveryTo)
	}
	sh, err := c.Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create shipment: %w", err)
	}
	ids := make([]pulid.ID, len(allocs))
	for i, a := range allocs {
		ids[i] = a.ID
	}
	claimed, err := tx.Allocation.Update().Where(allocation.IDIn(ids...), allocation.ShipmentIDIsNil(), allocation.StatusEQ(allocation.StatusOPEN)).
		SetShipmentID(sh.ID).SetUpdatedAt(s.now()).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("claim allocations: %w", err)
	}
	if claimed != len(ids) {
		return nil, fault.New(fault.Conflict, "order %s changed while its shipments were planned; retry", o.ID)
	}
	units, packages, err := fill(ctx, tx, sh.ID, allocs, boxes)
	if err != nil {
		return nil, err
	}
	evs := []events.Event{s.event(ctx, o, sh, events.ShipmentCreated{
		ShipmentID: string(sh.ID), Number: sh.Number, Method: string(m), Units: units, Packages: packages,
	})}
	if m == shipment.MethodSUPPLIER {
		po := events.PurchaseOrder{ShipmentID: string(sh.ID), Number: sh.Number, SupplierID: string(l.ID)}
		for _, a := range allocs {
			po.Lines = append(po.Lines, events.PurchaseLine{SKU: a.Edges.Variant.Sku, Quantity: a.Quantity})
		}
		evs = append(evs, s.event(ctx, o, sh, po))
	}
	return sh, events.Append(ctx, tx, evs...)
}

// fill writes a shipment's lines (one per allocation) and its packages, packed by the box
// catalogue, and returns its units and packages.
func fill(ctx context.Context, tx *ent.Tx, shipmentID pulid.ID, allocs []*ent.Allocation, boxes []packing.Box) (units int64, packages int, err error) {
	lines := make([]*ent.ShipmentLineCreate, len(allocs))
	for i, a := range allocs {
		units += a.Quantity
		lines[i] = tx.ShipmentLine.Create().SetShipmentID(shipmentID).SetOrderLineID(a.LineID).SetAllocationID(a.ID).
			SetSku(a.Edges.Variant.Sku).SetQuantity(a.Quantity)
	}
	if err := tx.ShipmentLine.CreateBulk(lines...).Exec(ctx); err != nil {
		return 0, 0, fmt.Errorf("create shipment lines: %w", err)
	}
	parcels := pack(allocs, boxes)
	pkgs := make([]*ent.ShipmentPackageCreate, len(parcels))
	for i, p := range parcels {
		pkgs[i] = tx.ShipmentPackage.Create().SetShipmentID(shipmentID).SetIndex(i + 1).SetBox(p.box).SetWeightGrams(p.grams).
			SetLengthMm(p.dims[0]).SetWidthMm(p.dims[1]).SetHeightMm(p.dims[2]).SetContents(p.items)
	}
	if err := tx.ShipmentPackage.CreateBulk(pkgs...).Exec(ctx); err != nil {
		return 0, 0, fmt.Errorf("create packages: %w", err)
	}
	return units, len(parcels), nil
}

// parcel is a planned package: its box, weight, outer dimensions and contents.
type parcel struct {
	box   string
	grams int
	dims  [3]int
	items []schema.PackageItem
}

// pack plans the packages of a shipment's allocations with package packing. A unit no box takes
// travels as a package of its own, in its own dimensions.
func pack(allocs []*ent.Allocation, boxes []packing.Box) []parcel {
	items := dispatch.PackingItems(allocs)
	byLine := map[string]packing.Item{}
	for _, it := range items {
		byLine[it.Ref] = it
	}
	plan := packing.Pack(items, boxes)
	catalogue := map[string]packing.Box{}
	for _, b := range boxes {
		catalogue[b.Code] = b
	}
	out := make([]parcel, 0, len(plan.Parcels)+len(plan.Unpackable))
	for _, p := range plan.Parcels {
		b := catalogue[p.Box]
		out = append(out, parcel{box: p.Box, grams: p.WeightGrams, dims: [3]int{b.LengthMM, b.WidthMM, b.HeightMM}, items: contents(p.Items)})
	}
	for _, u := range plan.Unpackable {
		it := byLine[u.Ref]
		for range u.Quantity {
			out = append(out, parcel{grams: max(it.WeightGrams, packing.AssumedWeightGrams),
				dims:  [3]int{it.LengthMM, it.WidthMM, it.HeightMM},
				items: []schema.PackageItem{{LineID: pulid.ID(u.Ref), SKU: u.SKU, Quantity: 1}}})
		}
	}
	return out
}

func contents(ps []packing.Packed) []schema.PackageItem {
	out := make([]schema.PackageItem, len(ps))
	for i, p := range ps {
		out[i] = schema.PackageItem{LineID: pulid.ID(p.Ref), SKU: p.SKU, Quantity: int64(p.Quantity)}
	}
	return out
}

// event is a shipment event on its order's timeline and its origin's stream.
func (s *Service) event(ctx context.Context, o *ent.Order, sh *ent.Shipment, p events.Payload) events.Event {
	e := events.Event{OrderID: string(o.ID), LocationID: string(sh.LocationID), Payload: p, Actor: auth.Actor(ctx)}
	if o.CustomerID != nil {
		e.CustomerID = string(*o.CustomerID)
	}
	if o.ChannelID != nil {
		e.ChannelID = string(*o.ChannelID)
	}
	return e
}

// CommandInput is a command for one shipment.
type CommandInput struct {
	ShipmentID pulid.ID
	Command    Command
	Reason     string
	// Carrier, Service, TrackingNumbers and TrackingURL go with Ship, where no label gave them.
	Carrier, Service string
	TrackingNumbers  []string
	TrackingURL      string
}

// blocked are the order states in which its shipments wait: nothing moves while a person decides.
var blocked = []order.Status{order.StatusON_HOLD, order.StatusCANCEL_REQUESTED, order.StatusCANCELLED, order.StatusPENDING_PAYMENT}

// Apply runs a command on a shipment through the transition table, with its stock effect, its
// event, and the order following. An invalid transition is a CONFLICT and changes nothing.
func (s *Service) Apply(ctx context.Context, in CommandInput) (*ent.Shipment, error) {
	if err := in.ShipmentID.Validate("shp"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "shipmentID: %v", err)
	}
	for i, t := range in.TrackingNumbers {
		in.TrackingNumbers[i] = strings.TrimSpace(t)
		if in.TrackingNumbers[i] == "" || len(t) > 64 {
			return nil, fault.New(fault.InvalidArgument, "trackingNumbers[%d]: must be 1 to 64 characters", i)
		}
	}
	if len(in.TrackingNumbers) > 50 {
		return nil, fault.New(fault.InvalidArgument, "trackingNumbers: at most 50")
	}
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		sh, o, err := load(ctx, tx, in.ShipmentID)
		if err != nil {
			return err
		}
		return s.apply(ctx, tx, o, sh, in)
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return s.DB.Client.Shipment.Get(ctx, in.ShipmentID)
}

func load(ctx context.Context, tx *ent.Tx, id pulid.ID) (*ent.Shipment, *ent.Order, error) {
	sh, err := tx.Shipment.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, nil, fault.New(fault.NotFound, "shipment %s not found", id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load shipment: %w", err)
	}
	o, err := tx.Order.Get(ctx, sh.OrderID)
	if err != nil {
		return nil, nil, fmt.Errorf("load order: %w", err)
	}
	return sh, o, nil
}

// apply runs one command on sh in tx.
func (s *Service) apply(ctx context.Context, tx *ent.Tx, o *ent.Order, sh *ent.Shipment, in CommandInput) error {
	next, err := Next(sh.Status, sh.Method, in.Command, in.Reason)
	if err != nil {
		return err
	}
	if in.Command != Cancel && !inbound(sh) && slices.Contains(blocked, o.Status) {
		return fault.New(fault.Conflict, "shipment %s waits: its order is %s", sh.ID, o.Status).With("orderStatus", string(o.Status))
	}
	upd := tx.Shipment.Update().Where(shipment.ID(sh.ID), shipment.StatusEQ(sh.Status)).SetStatus(next).SetUpdatedAt(s.now())
	now := s.now()
	switch next {
	case shipment.StatusSHIPPED:
		carrier, tracking := cmp.Or(in.Carrier, sh.Carrier), sh.TrackingNumbers
		if len(in.TrackingNumbers) > 0 {
			tracking = in.TrackingNumbers
		}
		if strings.TrimSpace(carrier) == "" || len(tracking) == 0 {
			return fault.New(fault.InvalidArgument, "shipping needs a carrier and a tracking number (buy a label, arrange the marketplace's logistics, or give them)")
		}
		upd.SetCarrier(carrier).SetTrackingNumbers(tracking).SetShippedAt(now)
		if in.Service != "" {
			upd.SetService(in.Service)
		}
		if in.TrackingURL != "" {
			upd.SetTrackingURL(in.TrackingURL)
		}
		sh.Carrier, sh.TrackingNumbers = carrier, tracking
	case shipment.StatusREADY_FOR_PICKUP:
		l, err := tx.Location.Get(ctx, sh.LocationID)
		if err != nil {
			return fmt.Errorf("load location: %w", err)
		}
		upd.SetReadyAt(now).SetPickupExpiresAt(now.AddDate(0, 0, l.PickupHoldDays))
	case shipment.StatusCOLLECTED:
		upd.SetCollectedAt(now).SetDeliveredAt(now)
	case shipment.StatusCANCELLED:
		upd.SetCancelledAt(now).SetCancelReason(in.Reason)
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return fmt.Errorf("update shipment: %w", err)
	}
	if n == 0 {
		return fault.New(fault.Conflict, "shipment %s changed while this command ran; retry", sh.ID)
	}
	from := sh.Status
	sh.Status = next
	switch {
	case inbound(sh):
		// A return shipment has no allocations: no stock leaves, none is released.
	case next == shipment.StatusSHIPPED, next == shipment.StatusCOLLECTED:
		err = s.Inventory.ShipShipment(ctx, tx, o.ID, sh.ID, "shipment "+sh.Number)
	case next == shipment.StatusCANCELLED:
		// The units stay reserved for the order; a new plan ships them.
		err = tx.Allocation.Update().Where(allocation.ShipmentID(sh.ID), allocation.StatusEQ(allocation.StatusOPEN)).
			ClearShipmentID().SetUpdatedAt(now).Exec(ctx)
	}
	if err != nil {
		return err
	}
	ev := events.ShipmentUpdated{ShipmentID: string(sh.ID), Command: string(in.Command), From: string(from), To: string(next), Reason: in.Reason}
	if next == shipment.StatusSHIPPED {
		ev.Carrier, ev.TrackingNumbers = sh.Carrier, sh.TrackingNumbers
	}
	if err := events.Append(ctx, tx, s.event(ctx, o, sh, ev)); err != nil {
		return err
	}
	if err := s.moved(ctx, tx, o, sh, from); err != nil {
		return err
	}
	if inbound(sh) {
		return nil
	}
	return s.follow(ctx, tx, o)
}

// follow tells the order what its outbound shipments add up to.
func (s *Service) follow(ctx context.Context, tx *ent.Tx, o *ent.Order) error {
	shipments, err := tx.Shipment.Query().Where(shipment.OrderID(o.ID), shipment.StatusNEQ(shipment.StatusCANCELLED),
		shipment.DirectionEQ(shipment.DirectionOUTBOUND)).
		Order(shipment.ByID()).All(ctx)
	if err != nil {
		return fmt.Errorf("load shipments: %w", err)
	}
	allocs, err := tx.Allocation.Query().Where(allocation.OrderID(o.ID), allocation.StatusIn(allocation.StatusOPEN, allocation.StatusSHIPPED)).All(ctx)
	if err != nil {
		return fmt.Errorf("load allocations: %w", err)
	}
	unplaced, err := dispatch.Unplaced(ctx, tx.Client(), o)
	if err != nil {
		return err
	}
	return s.Orders.Follow(ctx, tx, o, Sum(shipments, allocs, unplaced))
}

// Sum is what an order's shipments (cancelled ones left out) and allocations add up to, with
// unplaced units still waiting for stock. It is pure.
func Sum(shipments []*ent.Shipment, allocs []*ent.Allocation, unplaced int64) orders.Fulfilment {
	var shipped, open int64
	unplanned := false
	for _, a := range allocs {
		switch a.Status {
		case allocation.StatusSHIPPED:
			shipped += a.Quantity
		case allocation.StatusOPEN:
			open += a.Quantity
			unplanned = unplanned || a.ShipmentID == nil
		}
	}
	f := orders.Fulfilment{Status: order.FulfillmentStatusUNFULFILLED}
	switch {
	case shipped > 0 && open == 0 && unplaced == 0:
		f.Status, f.Shipped = order.FulfillmentStatusFULFILLED, true
	case shipped > 0:
		f.Status = order.FulfillmentStatusPARTIALLY_FULFILLED
	}
	f.Delivered = f.Shipped && len(shipments) > 0
	step := order.StatusREADY_TO_SHIP
	anyAtOrigin := false
	for _, sh := range shipments {
		f.Delivered = f.Delivered && Done(sh.Status)
		switch sh.Status {
		case shipment.StatusEXCEPTION:
			f.Exception = cmp.Or(f.Exception, "shipment "+sh.Number+" has a delivery exception")
		case shipment.StatusRETURNED_TO_SENDER:
			f.Exception = cmp.Or(f.Exception, "shipment "+sh.Number+" was returned to the sender")
		case shipment.StatusOPEN:
			step, anyAtOrigin = "", true
		case shipment.StatusPICKING:
			anyAtOrigin = true
			if step != "" {
				step = order.StatusPICKING
			}
		case shipment.StatusPACKED:
			anyAtOrigin = true
			if step == order.StatusREADY_TO_SHIP {
				step = order.StatusPACKED
			}
		case shipment.StatusREADY, shipment.StatusREADY_FOR_PICKUP:
			anyAtOrigin = true
		}
		if Shipped(sh.Status) && len(sh.TrackingNumbers) > 0 {
			f.Carrier, f.TrackingNumber = sh.Carrier, sh.TrackingNumbers[0]
		}
	}
	if anyAtOrigin && !unplanned && unplaced == 0 {
		f.Step = step
	}
	if f.Delivered {
		f.Status = order.FulfillmentStatusDELIVERED
	}
	return f
}

// ShipAll ships everything left of an order in tx, for the order's own SHIP (shipOrder, or a
// channel saying the order left): shipments are planned for unplanned allocations, and every
// shipment still at its origin ships with carrier and trackingNumber where it has none. It
// implements orders.Shipper; the order's transition is the caller's.
func (s *Service) ShipAll(ctx context.Context, tx *ent.Tx, o *ent.Order, carrier, trackingNumber string) error {
	if _, err := s.plan(ctx, tx, o); err != nil {
		return err
	}
	waiting, err := tx.Shipment.Query().Where(shipment.OrderID(o.ID), shipment.DirectionEQ(shipment.DirectionOUTBOUND),
		shipment.StatusIn(append(slices.Clone(atOrigin), shipment.StatusREADY_FOR_PICKUP)...)).
		Order(shipment.ByID()).All(ctx)
	if err != nil {
		return fmt.Errorf("load shipments: %w", err)
	}
	now := s.now()
	for _, sh := range waiting {
		next := shipment.StatusSHIPPED
		upd := tx.Shipment.Update().Where(shipment.ID(sh.ID), shipment.StatusEQ(sh.Status)).SetUpdatedAt(now)
		if sh.Method == shipment.MethodPICKUP {
			next = shipment.StatusCOLLECTED
			upd.SetCollectedAt(now).SetDeliveredAt(now)
		} else {
			upd.SetShippedAt(now)
		}
		n, err := upd.SetStatus(next).Save(ctx)
		if err != nil {
			return fmt.Errorf("update shipment: %w", err)
		}
		if n == 0 {
			return fault.New(fault.Conflict, "shipment %s changed while the order shipped; retry", sh.ID)
		}
		if sh.Method != shipment.MethodPICKUP {
			if err := fillTracking(ctx, tx, sh, carrier, trackingNumber); err != nil {
				return err
			}
		}
		if err := s.Inventory.ShipShipment(ctx, tx, o.ID, sh.ID, "shipment "+sh.Number); err != nil {
			return err
		}
		ev := events.ShipmentUpdated{ShipmentID: string(sh.ID), Command: string(Ship), From: string(sh.Status), To: string(next),
			Carrier: sh.Carrier, TrackingNumbers: sh.TrackingNumbers, Reason: "the order shipped"}
		sh.Status = next
		if err := events.Append(ctx, tx, s.event(ctx, o, sh, ev)); err != nil {
			return err
		}
	}
	return nil
}
