package tiktokshop

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

var _ channels.Logistics = (*Client)(nil)

// DocumentType is the shipping document ShippingDocuments downloads.
const DocumentType = "SHIPPING_LABEL"

func packagePath(packageID string) string {
	return "/fulfillment/202309/packages/" + url.PathEscape(packageID)
}

func documentsPath(packageID string) string { return packagePath(packageID) + "/shipping_documents" }

// orderPackages is what ArrangeShipment reads of a Get Order Detail order: its packages and which
// line item (unit) is in which.
type orderPackages struct {
	Packages []string
	// Units maps a line item id to its package; SKUs a sku_id to its packages.
	Units map[string]string
	SKUs  map[string][]string
}

// parseOrderPackages reads Get Order Detail's data for one order's packages.
func parseOrderPackages(data []byte, orderID string) (orderPackages, error) {
	var d struct {
		Orders []struct {
			ID       scalar `json:"id"`
			Packages []struct {
				ID scalar `json:"id"`
			} `json:"packages"`
			LineItems []struct {
				ID        scalar `json:"id"`
				SKUID     scalar `json:"sku_id"`
				PackageID scalar `json:"package_id"`
			} `json:"line_items"`
		} `json:"orders"`
	}
	if err := decodeData(data, &d); err != nil {
		return orderPackages{}, fmt.Errorf("tiktokshop: %s: %w", pathOrders, err)
	}
	for _, o := range d.Orders {
		if o.ID.String() != orderID {
			continue
		}
		out := orderPackages{Units: map[string]string{}, SKUs: map[string][]string{}}
		for _, p := range o.Packages {
			out.Packages = appendNew(out.Packages, p.ID.String())
		}
		listed := len(out.Packages) > 0 // packages[] is the order's packages; else the lines say
		for _, it := range o.LineItems {
			p := it.PackageID.String()
			if p == "" {
				continue
			}
			if !listed {
				out.Packages = appendNew(out.Packages, p)
			}
			out.Units[it.ID.String()] = p
			out.SKUs[it.SKUID.String()] = appendNew(out.SKUs[it.SKUID.String()], p)
		}
		return out, nil
	}
	return orderPackages{}, channels.Refused("tiktokshop: order %s is not found", orderID)
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

// packagesOf picks the order's packages holding lines: by their unit ids (line item ids), else by
// their listing (sku_id). Every package of the order when lines are empty or name none of them.
func packagesOf(op orderPackages, lines []channels.ShipmentLine) []string {
	var out []string
	for _, l := range lines {
		for _, u := range l.UnitIDs {
			out = appendNew(out, op.Units[u])
		}
		if len(l.UnitIDs) == 0 {
			for _, p := range op.SKUs[l.ListingID] {
				out = appendNew(out, p)
			}
		}
	}
	var ordered []string // in the order's own order, those it lists
	for _, p := range op.Packages {
		for _, q := range out {
			if p == q {
				ordered = append(ordered, p)
			}
		}
	}
	if len(ordered) == 0 {
		return op.Packages
	}
	return ordered
}

// packageDetail is what ArrangeShipment reads of Get Package Detail.
type packageDetail struct {
	Status           string
	TrackingNumber   string
	ShippingProvider string
}

// parsePackageDetail reads Get Package Detail's data.
func parsePackageDetail(data []byte) (packageDetail, error) {
	var d struct {
		PackageStatus        scalar `json:"package_status"`
		TrackingNumber       scalar `json:"tracking_number"`
		ShippingProviderName scalar `json:"shipping_provider_name"`
	}
	if err := decodeData(data, &d); err != nil {
		return packageDetail{}, fmt.Errorf("tiktokshop: package detail: %w", err)
	}
	return packageDetail{Status: d.PackageStatus.String(), TrackingNumber: d.TrackingNumber.String(), ShippingProvider: d.ShippingProviderName.String()}, nil
}

// arranged reports whether a package has left the seller's hands to TikTok's logistics: it has a
// tracking number and is past PROCESSING (packages to ship are PROCESSING).
func (d packageDetail) arranged() bool {
	return d.TrackingNumber != "" && d.Status != "" && d.Status != "PROCESSING"
}

// ArrangeShipment implements channels.Logistics: Ship Package with TikTok's own label for every
// package of the order that holds r's lines (every package when r names none), then Get Package
// Detail for its tracking number. Handover defaults to DROP_OFF, which needs no pickup slot. A
// package shipped before is not shipped again.
func (c *Client) ArrangeShipment(ctx context.Context, r channels.ArrangeRequest) (channels.Arranged, error) {
	handover := r.Handover
	switch handover {
	case "":
		handover = channels.HandoverDropOff
	case channels.HandoverPickup, channels.HandoverDropOff:
	default:
		return channels.Arranged{}, channels.Refused("tiktokshop: unknown handover %q", handover)
	}
	data, err := c.call(ctx, http.MethodGet, pathOrders, url.Values{"ids": {r.OrderID}}, nil)
	if err != nil {
		return channels.Arranged{}, err
	}
	op, err := parseOrderPackages(data, r.OrderID)
	if err != nil {
		return channels.Arranged{}, err
	}
	pkgs := packagesOf(op, r.Lines)
	if len(pkgs) == 0 {
		return channels.Arranged{}, channels.Refused("tiktokshop: order %s has no package", r.OrderID)
	}
	out := channels.Arranged{OrderID: r.OrderID}
	for _, p := range pkgs {
		d, err := c.packageDetail(ctx, p)
		if err != nil {
			return out, err
		}
		if !d.arranged() {
			if _, err := c.call(ctx, http.MethodPost, shipPath(p), nil, shipRequest{HandoverMethod: handover}); err != nil {
				return out, err
			}
			if d, err = c.packageDetail(ctx, p); err != nil {
				return out, err
			}
		}
		out.Packages = append(out.Packages, channels.ArrangedPackage{Ref: p, TrackingNumber: d.TrackingNumber, Carrier: d.ShippingProvider})
	}
	return out, nil
}

func (c *Client) packageDetail(ctx context.Context, pkg string) (packageDetail, error) {
	data, err := c.call(ctx, http.MethodGet, packagePath(pkg), nil, nil)
	if err != nil {
		return packageDetail{}, err
	}
	return parsePackageDetail(data)
}

// parseDocURL reads Get Package Shipping Document's data: the document's URL.
func parseDocURL(data []byte) (string, error) {
	var d struct {
		DocURL scalar `json:"doc_url"`
	}
	if err := decodeData(data, &d); err != nil {
		return "", fmt.Errorf("tiktokshop: shipping document: %w", err)
	}
	u, err := url.Parse(d.DocURL.String())
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("tiktokshop: shipping document: doc_url %q is not a URL", d.DocURL.String())
	}
	return u.String(), nil
}

// ShippingDocuments implements channels.Logistics: Get Package Shipping Document (SHIPPING_LABEL)
// for each package, then the document from its doc_url (a short-lived link that needs no
// signature).
func (c *Client) ShippingDocuments(ctx context.Context, a channels.Arranged) ([]channels.Document, error) {
	var out []channels.Document
	for _, p := range a.Packages {
		data, err := c.call(ctx, http.MethodGet, documentsPath(p.Ref), url.Values{"document_type": {DocumentType}}, nil)
		if err != nil {
			return nil, err
		}
		link, err := parseDocURL(data)
		if err != nil {
			return nil, err
		}
		resp, err := c.caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
		})
		if err != nil {
			return nil, fmt.Errorf("tiktokshop: package %s: shipping document: %w", p.Ref, err)
		}
		if resp.Status < 200 || resp.Status > 299 || len(resp.Body) == 0 {
			return nil, channels.Refused("tiktokshop: package %s: shipping document: HTTP %d", p.Ref, resp.Status)
		}
		ct := resp.Header.Get("Content-Type")
		if ct == "" || strings.HasPrefix(ct, "application/octet-stream") {
			ct = http.DetectContentType(resp.Body)
		}
		out = append(out, channels.Document{PackageRef: p.Ref, ContentType: ct, Body: resp.Body})
	}
	return out, nil
}
