package lazada

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// DefaultCancelReasonID is the reason_id CancelOrder gives Lazada unless the account's
// Extra["cancel_reason_id"] names another: the value of the docs' own InitReverseOrderCancel
// sample [U: its meaning is not documented; /order/reverse/cancel/validate lists a seller's
// reasons].
const DefaultCancelReasonID = "10000021"

// maxPackages is how many packages one /order/package/rts call may name.
const maxPackages = 20

// ConfirmShipment implements channels.Connector with Lazada's fulfilment flow. The order's units
// (those of s.Lines, or all) that can be packed (pending, repacked) are packed with
// /order/fulfill/pack as dropship with Lazada's carrier allocation (TFS); their packages and those
// of units packed before (as ArrangeShipment packs them), and the packages s.Packages name, are then
// marked ready to ship with /order/package/rts. Lazada assigns the
// carrier and the tracking number, so s.Carrier and s.TrackingNumber are not sent: the docs forbid
// a shipment provider for local sellers. An order with nothing left to pack or ship is refused.
func (c *Client) ConfirmShipment(ctx context.Context, s channels.Shipment) error {
	units, err := c.units(ctx, s.OrderID)
	if err != nil {
		return err
	}
	want := unitSet(s.Lines)
	var toPack, packages []string
	for _, u := range units {
		id := u.OrderItemID.String()
		if want != nil && !want[id] {
			continue
		}
		switch strings.ToLower(u.Status.String()) {
		case "pending", "repacked":
			toPack = append(toPack, id)
		case "packed":
			packages = appendNew(packages, u.PackageID.String())
		}
	}
	for _, p := range s.Packages {
		packages = appendNew(packages, p.Ref)
	}
	if len(toPack) == 0 && len(packages) == 0 {
		return channels.Refused("lazada: order %s has no units to pack or ship", s.OrderID)
	}
	if len(toPack) > 0 {
		packed, err := c.pack(ctx, s.OrderID, toPack)
		if err != nil {
			return err
		}
		for _, p := range packed {
			packages = appendNew(packages, p)
		}
	}
	return c.readyToShip(ctx, packages)
}

// CancelOrder implements channels.Connector: /order/reverse/cancel/create for the units of x.Lines,
// or every unit that has not shipped and is not cancelled yet (the others are for returns, not
// cancellations). Lazada takes a reason id, not Ordo's free-text reason.
func (c *Client) CancelOrder(ctx context.Context, x channels.Cancellation) error {
	var ids []string
	for _, l := range x.Lines {
		ids = append(ids, l.UnitIDs...)
	}
	if len(ids) == 0 {
		units, err := c.units(ctx, x.OrderID)
		if err != nil {
			return err
		}
		for _, u := range units {
			if toShip(ItemStatus(u.Status.String())) {
				ids = append(ids, u.OrderItemID.String())
			}
		}
	}
	if len(ids) == 0 {
		return channels.Refused("lazada: order %s has no units left to cancel", x.OrderID)
	}
	reason := c.account.Extra["cancel_reason_id"]
	if reason == "" {
		reason = DefaultCancelReasonID
	}
	_, err := c.call(ctx, http.MethodGet, "/order/reverse/cancel/create", map[string]string{
		"order_id": x.OrderID, "order_item_id_list": idList(ids), "reason_id": reason,
	})
	return err
}

// units reads an order's items (one per unit) with /order/items/get.
func (c *Client) units(ctx context.Context, orderID string) ([]item, error) {
	body, err := c.call(ctx, http.MethodGet, "/order/items/get", map[string]string{"order_id": orderID})
	if err != nil {
		return nil, err
	}
	return decodeItems(body, orderID)
}

// unitSet is the unit ids of lines, or nil (every unit) when they name none.
func unitSet(lines []channels.ShipmentLine) map[string]bool {
	var set map[string]bool
	for _, l := range lines {
		for _, id := range l.UnitIDs {
			if set == nil {
				set = map[string]bool{}
			}
			set[id] = true
		}
	}
	return set
}

// appendNew appends v to list unless it is empty or already there.
func appendNew(list []string, v string) []string {
	if v == "" {
		return list
	}
	for _, have := range list {
		if have == v {
			return list
		}
	}
	return append(list, v)
}

// packRequest is /order/fulfill/pack's packReq.
type packRequest struct {
	PackOrderList []packOrder `json:"pack_order_list"`
	DeliveryType  string      `json:"delivery_type"`
	// ShippingAllocateType is TFS for local sellers, whose carrier Lazada allocates (NTFS, for
	// cross-border sellers, would need a shipment_provider_code).
	ShippingAllocateType string `json:"shipping_allocate_type"`
}

type packOrder struct {
	OrderItemList []json.Number `json:"order_item_list"`
	OrderID       json.Number   `json:"order_id"`
}

// pack packs units of an order and returns their packages.
func (c *Client) pack(ctx context.Context, orderID string, unitIDs []string) ([]string, error) {
	body, err := c.packCall(ctx, orderID, unitIDs)
	if err != nil {
		return nil, err
	}
	return packedPackages(body)
}

// packCall calls /order/fulfill/pack for units of an order, dropship with Lazada's carrier.
func (c *Client) packCall(ctx context.Context, orderID string, unitIDs []string) ([]byte, error) {
	items := make([]json.Number, len(unitIDs))
	for i, id := range unitIDs {
		items[i] = json.Number(id)
	}
	req, err := json.Marshal(packRequest{
		PackOrderList:        []packOrder{{OrderItemList: items, OrderID: json.Number(orderID)}},
		DeliveryType:         "dropship",
		ShippingAllocateType: "TFS",
	})
	if err != nil {
		return nil, fmt.Errorf("lazada: pack order %s: %w", orderID, err)
	}
	return c.call(ctx, http.MethodPost, "/order/fulfill/pack", map[string]string{"packReq": string(req)})
}

// outcome is how Lazada took one unit or package of a batch: item_err_code "0" is success.
type outcome struct {
	OrderItemID scalar `json:"order_item_id"`
	PackageID   scalar `json:"package_id"`
	ErrCode     scalar `json:"item_err_code"`
	Msg         scalar `json:"msg"`
}

// decodeBatch reads the result of /order/fulfill/pack or /order/package/rts into data: success
// false fails the whole batch (a refusal); otherwise each entry of data says how it went.
func decodeBatch(api string, body []byte, data any) error {
	var a struct {
		Result struct {
			Success scalar          `json:"success"`
			ErrCode scalar          `json:"error_code"`
			ErrMsg  scalar          `json:"error_msg"`
			Data    json.RawMessage `json:"data"`
		} `json:"result"`
	}
	if err := decode(body, &a); err != nil {
		return fmt.Errorf("lazada: %s: %w", api, err)
	}
	if !a.Result.Success.Truthy() {
		return channels.Refused("lazada: %s: %s: %s", api, a.Result.ErrCode.String(), a.Result.ErrMsg.String())
	}
	if err := decode(a.Result.Data, data); err != nil {
		return fmt.Errorf("lazada: %s: data: %w", api, err)
	}
	return nil
}

// failed refuses a batch in which any entry failed, naming them.
func failed(api string, outcomes []outcome) error {
	var bad []string
	for _, o := range outcomes {
		if o.ErrCode.String() == "0" {
			continue
		}
		name := o.OrderItemID.String()
		if name == "" {
			name = o.PackageID.String()
		}
		bad = append(bad, fmt.Sprintf("%s: %s %s", name, o.ErrCode.String(), o.Msg.String()))
	}
	if len(bad) > 0 {
		return channels.Refused("lazada: %s: %s", api, strings.Join(bad, "; "))
	}
	return nil
}

// packedPackages reads a /order/fulfill/pack answer: the packages the units went into, or a
// refusal naming the units that could not be packed.
func packedPackages(body []byte) ([]string, error) {
	packed, err := packedResult(body)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(packed))
	for i, p := range packed {
		ids[i] = p.Ref
	}
	return ids, nil
}

// packedResult reads a /order/fulfill/pack answer: each package the units went into, with the
// tracking number and carrier Lazada allocated, or a refusal naming the units that could not be
// packed.
func packedResult(body []byte) ([]channels.ArrangedPackage, error) {
	var data struct {
		PackOrderList []struct {
			OrderItemList []packOutcome `json:"order_item_list"`
		} `json:"pack_order_list"`
	}
	if err := decodeBatch("/order/fulfill/pack", body, &data); err != nil {
		return nil, err
	}
	var all []packOutcome
	var outcomes []outcome
	for _, o := range data.PackOrderList {
		all = append(all, o.OrderItemList...)
		for _, it := range o.OrderItemList {
			outcomes = append(outcomes, it.outcome)
		}
	}
	if err := failed("/order/fulfill/pack", outcomes); err != nil {
		return nil, err
	}
	var out []channels.ArrangedPackage
	seen := map[string]bool{}
	for _, o := range all {
		id := o.PackageID.String()
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, channels.ArrangedPackage{Ref: id, TrackingNumber: o.TrackingNumber.String(), Carrier: o.ShipmentProvider.String()})
	}
	if len(out) == 0 {
		return nil, channels.Refused("lazada: /order/fulfill/pack: no package in the answer")
	}
	return out, nil
}

// packOutcome is how Lazada packed one unit: the outcome, and the package's tracking number and
// carrier.
type packOutcome struct {
	outcome
	TrackingNumber   scalar `json:"tracking_number"`
	ShipmentProvider scalar `json:"shipment_provider"`
}

// readyToShip marks packages ready to ship, 20 a call.
func (c *Client) readyToShip(ctx context.Context, packages []string) error {
	type pkg struct {
		PackageID string `json:"package_id"`
	}
	for start := 0; start < len(packages); start += maxPackages {
		var list []pkg
		for _, p := range packages[start:min(start+maxPackages, len(packages))] {
			list = append(list, pkg{p})
		}
		req, err := json.Marshal(map[string][]pkg{"packages": list})
		if err != nil {
			return fmt.Errorf("lazada: ready to ship: %w", err)
		}
		body, err := c.call(ctx, http.MethodPost, "/order/package/rts", map[string]string{"readyToShipReq": string(req)})
		if err != nil {
			return err
		}
		if err := shippedPackages(body); err != nil {
			return err
		}
	}
	return nil
}

// shippedPackages reads a /order/package/rts answer: nil when every package is ready to ship.
func shippedPackages(body []byte) error {
	var data struct {
		Packages []outcome `json:"packages"`
	}
	if err := decodeBatch("/order/package/rts", body, &data); err != nil {
		return err
	}
	return failed("/order/package/rts", data.Packages)
}
