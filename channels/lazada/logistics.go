package lazada

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

var _ channels.Logistics = (*Client)(nil)

// ArrangeShipment implements channels.Logistics: the units of r's lines (all of the order when it
// names none) that can be packed are packed with /order/fulfill/pack, dropship with Lazada's
// carrier (TFS), which answers each package's tracking number; units packed before keep their
// package, read from /order/items/get. The packages are not marked ready to ship: print their
// airway bills (ShippingDocuments), then ConfirmShipment marks them ready to ship
// (/order/package/rts) once the parcels are handed over; Arranged.ConfirmOnHandover says so.
func (c *Client) ArrangeShipment(ctx context.Context, r channels.ArrangeRequest) (channels.Arranged, error) {
	units, err := c.units(ctx, r.OrderID)
	if err != nil {
		return channels.Arranged{}, err
	}
	want := unitSet(r.Lines)
	out := channels.Arranged{OrderID: r.OrderID, ConfirmOnHandover: true}
	seen := map[string]bool{}
	var toPack []string
	for _, u := range units {
		id := u.OrderItemID.String()
		if want != nil && !want[id] {
			continue
		}
		switch strings.ToLower(u.Status.String()) {
		case "pending", "repacked":
			toPack = append(toPack, id)
		case "packed", "ready_to_ship", "ready_to_ship_pending":
			if p := u.PackageID.String(); p != "" && !seen[p] {
				seen[p] = true
				out.Packages = append(out.Packages, channels.ArrangedPackage{Ref: p, TrackingNumber: u.TrackingCode.String(), Carrier: u.ShipmentProvider.String()})
			}
		}
	}
	if len(toPack) > 0 {
		body, err := c.packCall(ctx, r.OrderID, toPack)
		if err != nil {
			return channels.Arranged{}, err
		}
		packed, err := packedResult(body)
		if err != nil {
			return channels.Arranged{}, err
		}
		for _, p := range packed {
			if !seen[p.Ref] {
				seen[p.Ref] = true
				out.Packages = append(out.Packages, p)
			}
		}
	}
	if len(out.Packages) == 0 {
		return channels.Arranged{}, channels.Refused("lazada: order %s has no units to pack", r.OrderID)
	}
	return out, nil
}

// DocumentType is the airway bill format ShippingDocuments asks for.
const DocumentType = "PDF"

// ShippingDocuments implements channels.Logistics: /order/package/document/get for each package,
// whose answer carries the airway bill base64-encoded (PDF, or HTML where Lazada answers so).
func (c *Client) ShippingDocuments(ctx context.Context, a channels.Arranged) ([]channels.Document, error) {
	var out []channels.Document
	for _, p := range a.Packages {
		req := fmt.Sprintf(`{"doc_type":%q,"packages":[{"package_id":%q}]}`, DocumentType, p.Ref)
		body, err := c.call(ctx, http.MethodGet, "/order/package/document/get", map[string]string{"getDocumentReq": req})
		if err != nil {
			return nil, err
		}
		d, err := parseDocument(body)
		if err != nil {
			return nil, fmt.Errorf("package %s: %w", p.Ref, err)
		}
		d.PackageRef = p.Ref
		out = append(out, d)
	}
	return out, nil
}

// parseDocument reads a /order/package/document/get answer: the file, decoded.
func parseDocument(body []byte) (channels.Document, error) {
	var data struct {
		DocType scalar `json:"doc_type"`
		File    scalar `json:"file"`
	}
	if err := decodeBatch("/order/package/document/get", body, &data); err != nil {
		return channels.Document{}, err
	}
	file, err := base64.StdEncoding.DecodeString(strings.TrimSpace(data.File.String()))
	if err != nil {
		return channels.Document{}, fmt.Errorf("lazada: /order/package/document/get: file: %w", err)
	}
	if len(file) == 0 {
		return channels.Document{}, channels.Refused("lazada: /order/package/document/get: no file in the answer")
	}
	ct := "application/pdf"
	if strings.EqualFold(data.DocType.String(), "HTML") {
		ct = "text/html; charset=utf-8"
	}
	return channels.Document{ContentType: ct, Body: file}, nil
}
