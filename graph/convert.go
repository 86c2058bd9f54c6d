package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/ordo-oms/ordo/fulfilment"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/connections"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/outbound"

	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/graph/model"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/orders"
	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/promise"
	"github.com/ordo-oms/ordo/routing"
)

func money(amount int64, currency string) *model.Money {
	return &model.Money{Amount: amount, Currency: currency}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func placeInput(in model.PlaceOrderInput) orders.PlaceInput {
	lines := make([]orders.Line, len(in.Lines))
	for i, l := range in.Lines {
		lines[i] = orders.Line{SKU: l.Sku, Quantity: int64(l.Quantity), UnitPrice: l.UnitPrice, ReleaseAt: l.ReleaseAt}
	}
	out := orders.PlaceInput{
		Lines: lines, ShippingAddress: in.ShippingAddress, Paid: deref(in.Paid), Priority: deref(in.Priority),
		Currency: deref(in.Currency), ShippingAmount: deref(in.ShippingAmount), DiscountAmount: deref(in.DiscountAmount),
		TaxAmount: deref(in.TaxAmount), ShipBy: in.ShipBy, Note: deref(in.Note), ChannelID: in.ChannelID,
		ExternalID: deref(in.ExternalID), IdempotencyKey: deref(in.IdempotencyKey), PaymentMethod: deref(in.PaymentMethod),
		AllowBackorder: deref(in.AllowBackorder), DeliveryMethod: deref(in.DeliveryMethod), PickupLocationID: in.PickupLocationID,
		HoldID: in.HoldID,
	}
	out.Customer.ID = in.CustomerID
	if c := in.Customer; c != nil {
		out.Customer.Email, out.Customer.Name, out.Customer.Phone = deref(c.Email), deref(c.Name), deref(c.Phone)
	}
	return out
}

// apply runs a lifecycle command from a mutation.
func (r *Resolver) apply(ctx context.Context, in model.OrderCommandInput, cmd orders.Command) (*model.OrderPayload, error) {
	o, err := r.Orders.Apply(ctx, orders.ApplyInput{OrderID: in.OrderID, Command: cmd, Reason: deref(in.Reason)})
	if err != nil {
		return nil, err
	}
	return &model.OrderPayload{Order: o}, nil
}

func stockPayload(res inventory.Result, err error) (*model.StockPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.StockPayload{Levels: res.Levels, Replayed: res.Replayed}, nil
}

func viewerOf(rec *ent.APIKey) *model.Viewer { return viewerModel(auth.ViewerOf(rec)) }

func viewerModel(v auth.Viewer) *model.Viewer {
	return &model.Viewer{KeyID: v.KeyID, Name: v.Name, Role: v.Role, CustomerID: v.CustomerID, LocationIDs: append([]pulid.ID{}, v.LocationIDs...)}
}

func drift(d inventory.Drift) *model.InventoryDrift {
	return &model.InventoryDrift{
		Sku: d.SKU, LocationID: d.LocationID, OnHand: d.OnHand, LedgerOnHand: d.LedgerOnHand,
		Reserved: d.Reserved, LedgerReserved: d.LedgerReserved, OpenAllocations: d.OpenAllocations,
	}
}

func idPtr(s string) *pulid.ID {
	if s == "" {
		return nil
	}
	id := pulid.ID(s)
	return &id
}

func (r *Resolver) shipmentPlans(ctx context.Context, plans []dispatch.Shipment) ([]*model.ShipmentPlan, error) {
	out := make([]*model.ShipmentPlan, len(plans))
	for i, p := range plans {
		loc, err := r.DB.Client.Location.Get(ctx, p.LocationID)
		if err != nil {
			return nil, err
		}
		sp := &model.ShipmentPlan{Location: loc, Parcels: make([]*model.Parcel, len(p.Plan.Parcels)), Unpackable: packed(p.Plan.Unpackable)}
		for j, parcel := range p.Plan.Parcels {
			sp.Parcels[j] = &model.Parcel{Box: parcel.Box, WeightGrams: parcel.WeightGrams, FillRatio: parcel.FillRatio, Items: packed(parcel.Items)}
		}
		out[i] = sp
	}
	return out, nil
}

func packed(items []packing.Packed) []*model.PackedItem {
	out := make([]*model.PackedItem, len(items))
	for i, it := range items {
		out[i] = &model.PackedItem{LineID: pulid.ID(it.Ref), Sku: it.SKU, Quantity: it.Quantity}
	}
	return out
}

func values[T any](ps []*T) []T {
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

func promiseLines(in []*model.PlaceOrderLineInput) []dispatch.PromiseLine {
	out := make([]dispatch.PromiseLine, len(in))
	for i, l := range in {
		out[i] = dispatch.PromiseLine{SKU: l.Sku, Quantity: int64(l.Quantity)}
	}
	return out
}

func (r *Resolver) deliveryOptions(ctx context.Context, opts []promise.Option) ([]*model.DeliveryOption, error) {
	out := make([]*model.DeliveryOption, len(opts))
	for i, o := range opts {
		loc, err := r.DB.Client.Location.Get(ctx, o.LocationID)
		if err != nil {
			return nil, err
		}
		out[i] = &model.DeliveryOption{Service: string(o.Service), Location: loc, ShipBy: o.ShipBy,
			DeliverFrom: o.DeliverFrom, DeliverTo: o.DeliverTo, Cost: money(o.Cost, o.Currency)}
	}
	return out, nil
}

func draft(in *model.RoutingPolicyDraftInput) dispatch.PolicyInput {
	return dispatch.PolicyInput{Criteria: values(in.Criteria), MaxShipments: in.MaxShipments, ShipFromStore: deref(in.ShipFromStore),
		DropShip: deref(in.DropShip), SplitBundles: deref(in.SplitBundles), Backorder: in.Backorder}
}

func previewRequest(in model.PreviewRoutingInput) dispatch.PreviewRequest {
	req := dispatch.PreviewRequest{OrderID: in.OrderID, Lines: promiseLines(in.Lines), Destination: deref(in.ShippingAddress),
		ChannelID: in.ChannelID, COD: deref(in.PaymentMethod) == "COD", ShipBy: in.ShipBy, Priority: deref(in.Priority)}
	if in.Policy != nil {
		d := draft(in.Policy)
		req.Policy = &d
	}
	return req
}

func (r *Resolver) routingPreview(ctx context.Context, d routing.Decision) (*model.RoutingPreview, error) {
	out := &model.RoutingPreview{Outcome: string(d.Outcome), Cost: d.Cost, DistanceKm: d.Distance, Shipments: []*model.RoutedShipment{}}
	for _, sf := range d.Backordered {
		out.BackorderedUnits += sf.Quantity
	}
	for _, sh := range d.Shipments {
		loc, err := r.DB.Client.Location.Get(ctx, sh.LocationID)
		if err != nil {
			return nil, err
		}
		out.Shipments = append(out.Shipments, &model.RoutedShipment{Location: loc, Units: sh.Units, Cost: sh.Cost, Zone: string(sh.Zone), EarliestShip: sh.EarliestShip})
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	return out, json.Unmarshal(raw, &out.Decision)
}

// credentials reads a credentials input; extra values must be strings.
func credentials(in *model.ChannelCredentialsInput) (channels.Credentials, error) {
	var c channels.Credentials
	if in == nil {
		return c, nil
	}
	c = channels.Credentials{AppKey: deref(in.AppKey), AppSecret: deref(in.AppSecret), AccessToken: deref(in.AccessToken), RefreshToken: deref(in.RefreshToken), WebhookSecret: deref(in.WebhookSecret)}
	extra, err := stringMap("credentials.extra", in.Extra)
	c.Extra = extra
	return c, err
}

// stringMap reads a Map input whose values must all be strings (numbers are taken as written).
func stringMap(field string, m map[string]any) (map[string]string, error) {
	if len(m) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		switch x := v.(type) {
		case string:
			out[k] = x
		case json.Number:
			out[k] = x.String()
		case int, int64, float64:
			out[k] = fmt.Sprint(x)
		default:
			return nil, fault.New(fault.InvalidArgument, "%s.%s must be a string", field, k)
		}
	}
	return out, nil
}

func buffer(in *model.StockBufferInput) *connections.Buffer {
	if in == nil {
		return nil
	}
	return &connections.Buffer{Kind: in.Kind, Value: in.Value}
}

func syncStatus(st outbound.Status) *model.StockSyncStatus {
	return &model.StockSyncStatus{
		Listings: st.Listings, Pending: st.Pending, Failing: st.Failing, OldestPendingSince: st.OldestPendingSince,
		LagMs: st.Lag.Milliseconds(), LastPushLagMs: st.LastPushLag.Milliseconds(), LastPushedAt: st.LastPushedAt,
	}
}

func (r *Resolver) shipment(ctx context.Context, in fulfilment.CommandInput) (*model.ShipmentPayload, error) {
	sh, err := r.Fulfilment.Apply(ctx, in)
	if err != nil {
		return nil, err
	}
	return &model.ShipmentPayload{Shipment: sh}, nil
}
