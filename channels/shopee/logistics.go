package shopee

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	neturl "net/url"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

var _ channels.Logistics = (*Client)(nil)

// DocumentType is the shipping document the client prints: a thermal airway bill.
const DocumentType = "THERMAL_AIR_WAYBILL"

// Document polling: get_shipping_document_result is asked at most docPolls times, docWait apart,
// before the document is given up as not ready.
const (
	docPolls = 10
	docWait  = 300 * time.Millisecond
)

// shippingParameter is get_shipping_parameter's response: which ways to ship the order allows,
// and what each needs.
type shippingParameter struct {
	InfoNeeded map[string][]string `json:"info_needed"`
	Pickup     *struct {
		AddressList []struct {
			AddressID    text   `json:"address_id"`
			AddressFlag  []text `json:"address_flag"`
			TimeSlotList []struct {
				PickupTimeID text `json:"pickup_time_id"`
			} `json:"time_slot_list"`
		} `json:"address_list"`
	} `json:"pickup"`
	Dropoff *struct {
		BranchList []struct {
			BranchID text `json:"branch_id"`
		} `json:"branch_list"`
		SlugList []struct {
			Slug text `json:"slug"`
		} `json:"slug_list"`
	} `json:"dropoff"`
}

// parseShippingParameter reads get_shipping_parameter's response object.
func parseShippingParameter(raw []byte) (shippingParameter, error) {
	var p shippingParameter
	if err := decode(raw, &p); err != nil {
		return shippingParameter{}, fmt.Errorf("shopee: %s: %w", PathShippingParameter, err)
	}
	return p, nil
}

// shipMethod is ship_order's way to ship: exactly one of pickup or dropoff.
type shipMethod struct {
	Pickup  map[string]any `json:"pickup,omitempty"`
	Dropoff map[string]any `json:"dropoff,omitempty"`
}

// chooseShipping picks how to ship from the order's shipping parameters: pickup (from the
// pickup address, else the first address, at its first time slot) or dropoff (at the first
// branch where one is needed), as handover asks or, when it is empty, pickup where the order allows
// it. Parameters that allow neither, or lack what they say is needed, are a refusal.
func chooseShipping(p shippingParameter, handover string) (shipMethod, error) {
	_, pickup := p.InfoNeeded["pickup"]
	_, dropoff := p.InfoNeeded["dropoff"]
	switch handover {
	case "":
		if !pickup && !dropoff {
			return shipMethod{}, channels.Refused("shopee: the order can be shipped neither by pickup nor by dropoff")
		}
		if !pickup {
			handover = channels.HandoverDropOff
		} else {
			handover = channels.HandoverPickup
		}
	case channels.HandoverPickup:
		if !pickup {
			return shipMethod{}, channels.Refused("shopee: the order cannot be shipped by pickup")
		}
	case channels.HandoverDropOff:
		if !dropoff {
			return shipMethod{}, channels.Refused("shopee: the order cannot be shipped by dropoff")
		}
	default:
		return shipMethod{}, channels.Refused("shopee: unknown handover %q", handover)
	}
	if handover == channels.HandoverDropOff {
		return dropoffOf(p)
	}
	return pickupOf(p)
}

func has(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// pickupOf fills pickup with what info_needed asks for: the pickup address (flagged
// pickup_address, else the first) and its first time slot.
func pickupOf(p shippingParameter) (shipMethod, error) {
	need := p.InfoNeeded["pickup"]
	out := map[string]any{}
	if !has(need, "address_id") && !has(need, "pickup_time_id") {
		return shipMethod{Pickup: out}, nil
	}
	if p.Pickup == nil || len(p.Pickup.AddressList) == 0 {
		return shipMethod{}, channels.Refused("shopee: pickup needs an address, and the shop has none")
	}
	addr := p.Pickup.AddressList[0]
	for _, a := range p.Pickup.AddressList {
		flagged := false
		for _, f := range a.AddressFlag {
			flagged = flagged || f.String() == "pickup_address"
		}
		if flagged {
			addr = a
			break
		}
	}
	if id := addr.AddressID.String(); id == "" || strings.Trim(id, "0123456789") != "" {
		return shipMethod{}, channels.Refused("shopee: pickup address id %q is not a number", id)
	}
	out["address_id"] = json.Number(addr.AddressID.String())
	if has(need, "pickup_time_id") {
		if len(addr.TimeSlotList) == 0 {
			return shipMethod{}, channels.Refused("shopee: pickup address %s has no time slot", addr.AddressID.String())
		}
		out["pickup_time_id"] = addr.TimeSlotList[0].PickupTimeID.String()
	}
	return shipMethod{Pickup: out}, nil
}

// dropoffOf fills dropoff with what info_needed asks for: the first branch, the first slug.
func dropoffOf(p shippingParameter) (shipMethod, error) {
	need := p.InfoNeeded["dropoff"]
	out := map[string]any{}
	if has(need, "branch_id") {
		if p.Dropoff == nil || len(p.Dropoff.BranchList) == 0 {
			return shipMethod{}, channels.Refused("shopee: dropoff needs a branch, and none is offered")
		}
		id := p.Dropoff.BranchList[0].BranchID.String()
		if id == "" || strings.Trim(id, "0123456789") != "" {
			return shipMethod{}, channels.Refused("shopee: dropoff branch id %q is not a number", id)
		}
		out["branch_id"] = json.Number(id)
	}
	if has(need, "slug") {
		if p.Dropoff == nil || len(p.Dropoff.SlugList) == 0 {
			return shipMethod{}, channels.Refused("shopee: dropoff needs a slug, and none is offered")
		}
		out["slug"] = p.Dropoff.SlugList[0].Slug.String()
	}
	return shipMethod{Dropoff: out}, nil
}

// orderPackage is one package of get_order_detail's package_list.
type orderPackage struct {
	Number          text `json:"package_number"`
	ShippingCarrier text `json:"shipping_carrier"`
	ItemList        []struct {
		ItemID  text `json:"item_id"`
		ModelID text `json:"model_id"`
	} `json:"item_list"`
}

// parsePackageList reads get_order_detail's response for one order's package_list.
func parsePackageList(raw []byte, sn string) ([]orderPackage, error) {
	var r struct {
		OrderList []struct {
			OrderSN     text           `json:"order_sn"`
			PackageList []orderPackage `json:"package_list"`
		} `json:"order_list"`
	}
	if err := decode(raw, &r); err != nil {
		return nil, fmt.Errorf("shopee: %s: %w", PathOrderDetail, err)
	}
	for _, o := range r.OrderList {
		if o.OrderSN.String() == sn {
			return o.PackageList, nil
		}
	}
	return nil, channels.Refused("shopee: order %s is not found", sn)
}

// packagesFor keeps the packages holding any of lines (by ListingID "item_id:model_id"); all of
// them when lines are empty or name none of them.
func packagesFor(pkgs []orderPackage, lines []channels.ShipmentLine) []orderPackage {
	want := map[string]bool{}
	for _, l := range lines {
		want[l.ListingID] = true
	}
	var out []orderPackage
	for _, p := range pkgs {
		for _, it := range p.ItemList {
			if want[ListingID(it.ItemID.String(), it.ModelID.String())] {
				out = append(out, p)
				break
			}
		}
	}
	if len(out) == 0 {
		return pkgs
	}
	return out
}

// ArrangeShipment implements channels.Logistics: for each package of the order holding r's lines,
// get_shipping_parameter, then ship_order by pickup or dropoff as the parameters require (see
// chooseShipping), then get_tracking_number. A package already arranged (it has a tracking number)
// is not shipped again. A package_number is sent only for a split order, as Shopee requires. A
// tracking number Shopee has not assigned yet is left empty.
func (c *Client) ArrangeShipment(ctx context.Context, r channels.ArrangeRequest) (channels.Arranged, error) {
	all, err := c.packages(ctx, r.OrderID)
	if err != nil {
		return channels.Arranged{}, err
	}
	if len(all) == 0 {
		return channels.Arranged{}, channels.Refused("shopee: order %s has no package", r.OrderID)
	}
	split := len(all) > 1
	out := channels.Arranged{OrderID: r.OrderID, Refs: map[string]string{}}
	for _, p := range packagesFor(all, r.Lines) {
		q := neturl.Values{"order_sn": {r.OrderID}}
		if split {
			q.Set("package_number", p.Number.String())
		}
		tracking, err := c.trackingNumber(ctx, q)
		if err != nil {
			return out, err
		}
		if tracking == "" {
			if err := c.shipPackage(ctx, r.OrderID, p.Number.String(), split, r.Handover, q); err != nil {
				return out, err
			}
			if tracking, err = c.trackingNumber(ctx, q); err != nil {
				return out, err
			}
		}
		out.Packages = append(out.Packages, channels.ArrangedPackage{Ref: p.Number.String(), TrackingNumber: tracking, Carrier: p.ShippingCarrier.String()})
	}
	return out, nil
}

// packages reads an order's package_list with get_order_detail.
func (c *Client) packages(ctx context.Context, sn string) ([]orderPackage, error) {
	raw, err := c.call(ctx, http.MethodGet, PathOrderDetail, neturl.Values{
		"order_sn_list": {sn}, "response_optional_fields": {"package_list"},
	}, nil)
	if err != nil {
		return nil, err
	}
	return parsePackageList(raw, sn)
}

// split reports whether Shopee split an order into several packages.
func (c *Client) split(ctx context.Context, sn string) (bool, error) {
	pkgs, err := c.packages(ctx, sn)
	return len(pkgs) > 1, err
}

// shipPackage asks for the package's shipping parameters and ships it.
func (c *Client) shipPackage(ctx context.Context, sn, number string, split bool, handover string, q neturl.Values) error {
	raw, err := c.call(ctx, http.MethodGet, PathShippingParameter, q, nil)
	if err != nil {
		return err
	}
	params, err := parseShippingParameter(raw)
	if err != nil {
		return err
	}
	m, err := chooseShipping(params, handover)
	if err != nil {
		return fmt.Errorf("order %s: %w", sn, err)
	}
	body := map[string]any{"order_sn": sn}
	if split {
		body["package_number"] = number
	}
	if m.Pickup != nil {
		body["pickup"] = m.Pickup
	} else {
		body["dropoff"] = m.Dropoff
	}
	_, err = c.call(ctx, http.MethodPost, PathShipOrder, nil, body)
	return err
}

// trackingNumber calls get_tracking_number.
func (c *Client) trackingNumber(ctx context.Context, q neturl.Values) (string, error) {
	raw, err := c.call(ctx, http.MethodGet, PathTrackingNumber, q, nil)
	if err != nil {
		return "", err
	}
	return parseTrackingNumber(raw)
}

// parseTrackingNumber reads get_tracking_number's response object.
func parseTrackingNumber(raw []byte) (string, error) {
	var r struct {
		TrackingNumber text `json:"tracking_number"`
	}
	if err := decode(raw, &r); err != nil {
		return "", fmt.Errorf("shopee: %s: %w", PathTrackingNumber, err)
	}
	return r.TrackingNumber.String(), nil
}

// docEntry is one entry of the shipping document calls' order_list.
type docEntry struct {
	OrderSN        string `json:"order_sn"`
	PackageNumber  string `json:"package_number,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`
	DocumentType   string `json:"shipping_document_type,omitempty"`
}

// docResult is one entry of the result_list of create_shipping_document and
// get_shipping_document_result.
type docResult struct {
	OrderSN     text `json:"order_sn"`
	Package     text `json:"package_number"`
	Status      text `json:"status"`
	FailError   text `json:"fail_error"`
	FailMessage text `json:"fail_message"`
}

// parseDocResults reads a result_list and returns its one entry, refusing a failed one.
func parseDocResults(path string, raw []byte) (docResult, error) {
	var r struct {
		ResultList []docResult `json:"result_list"`
	}
	if err := decode(raw, &r); err != nil {
		return docResult{}, fmt.Errorf("shopee: %s: %w", path, err)
	}
	if len(r.ResultList) != 1 {
		return docResult{}, fmt.Errorf("shopee: %s: %d results for one package", path, len(r.ResultList))
	}
	res := r.ResultList[0]
	if res.FailError.String() != "" || res.Status.String() == "FAILED" {
		return res, channels.Refused("shopee: %s: order %s package %s: %s %s", path, res.OrderSN.String(), res.Package.String(), res.FailError.String(), res.FailMessage.String())
	}
	return res, nil
}

// ShippingDocuments implements channels.Logistics: for each package, create_shipping_document,
// get_shipping_document_result until READY (docPolls times at most), then
// download_shipping_document, whose answer is the PDF itself.
func (c *Client) ShippingDocuments(ctx context.Context, a channels.Arranged) ([]channels.Document, error) {
	var out []channels.Document
	for _, p := range a.Packages {
		d, err := c.document(ctx, a.OrderID, p)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (c *Client) document(ctx context.Context, sn string, p channels.ArrangedPackage) (channels.Document, error) {
	e := docEntry{OrderSN: sn, PackageNumber: p.Ref, TrackingNumber: p.TrackingNumber}
	raw, err := c.call(ctx, http.MethodPost, PathCreateDocument, nil, map[string]any{"order_list": []docEntry{{OrderSN: sn, PackageNumber: p.Ref, TrackingNumber: p.TrackingNumber, DocumentType: DocumentType}}})
	if err != nil {
		return channels.Document{}, err
	}
	if _, err := parseDocResults(PathCreateDocument, raw); err != nil {
		return channels.Document{}, err
	}
	e.TrackingNumber, e.DocumentType = "", DocumentType
	for poll := 1; ; poll++ {
		raw, err := c.call(ctx, http.MethodPost, PathDocumentResult, nil, map[string]any{"order_list": []docEntry{e}})
		if err != nil {
			return channels.Document{}, err
		}
		res, err := parseDocResults(PathDocumentResult, raw)
		if err != nil {
			return channels.Document{}, err
		}
		if res.Status.String() == "READY" {
			break
		}
		if poll == docPolls {
			return channels.Document{}, fmt.Errorf("shopee: order %s package %s: the shipping document is still %s", sn, p.Ref, res.Status.String())
		}
		select {
		case <-ctx.Done():
			return channels.Document{}, ctx.Err()
		case <-time.After(docWait):
		}
	}
	e.DocumentType = ""
	resp, err := c.send(ctx, http.MethodPost, PathDownloadDocument, nil, map[string]any{"shipping_document_type": DocumentType, "order_list": []docEntry{e}})
	if err != nil {
		return channels.Document{}, err
	}
	return downloaded(c, resp, p.Ref)
}

// downloaded reads download_shipping_document's answer: the file, or Shopee's JSON error.
func downloaded(c *Client, resp *channels.Response, pkg string) (channels.Document, error) {
	ct := resp.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/json") || bytes.HasPrefix(bytes.TrimSpace(resp.Body), []byte("{")) {
		if _, err := c.envelope(PathDownloadDocument, resp); err != nil {
			return channels.Document{}, err
		}
		return channels.Document{}, fmt.Errorf("shopee: %s: a JSON answer without a document", PathDownloadDocument)
	}
	if resp.Status < 200 || resp.Status > 299 || len(resp.Body) == 0 {
		return channels.Document{}, channels.Refused("shopee: %s: HTTP %d without a document", PathDownloadDocument, resp.Status)
	}
	if ct == "" {
		ct = http.DetectContentType(resp.Body)
	}
	return channels.Document{PackageRef: pkg, ContentType: ct, Body: resp.Body}, nil
}
