package fulfilment

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/documents"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/document"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/shipping"
)

func labelFixture() (*ent.Shipment, *ent.Order, *ent.Location, []*ent.ShipmentPackage) {
	sh := &ent.Shipment{ID: "shp_1", Number: "SO-1-1", Status: shipment.StatusPACKED, Method: shipment.MethodMANUAL}
	o := &ent.Order{Number: "SO-1", Currency: "THB", TotalAmount: 125000, PaymentMethod: order.PaymentMethodPREPAID,
		PaymentStatus:   order.PaymentStatusPAID,
		ShippingAddress: schema.Address{Name: "สมชาย ใจดี", Phone: "+66812345678", Line1: "99 ถนนสุขุมวิท", City: "กรุงเทพฯ", PostalCode: "10110", CountryCode: "TH"}}
	loc := &ent.Location{Name: "Bangkok DC", Address: schema.Address{Line1: "1 Rama IV Rd", City: "Bangkok", CountryCode: "TH"}}
	pkgs := []*ent.ShipmentPackage{
		{ID: "pkg_1", Index: 1, WeightGrams: 850, LengthMm: 300, WidthMm: 200, HeightMm: 100},
		{ID: "pkg_2", Index: 2, WeightGrams: 1250, LengthMm: 400, WidthMm: 300, HeightMm: 200},
	}
	return sh, o, loc, pkgs
}

func TestLabelRequest(t *testing.T) {
	sh, o, loc, pkgs := labelFixture()
	req, err := labelRequest(sh, o, loc, pkgs, "Priority", documents.ZPL)
	if err != nil {
		t.Fatal(err)
	}
	if req.Reference != "shp_1" || req.Service != "Priority" || req.Format != shipping.ZPL {
		t.Errorf("reference, service, format = %q %q %q", req.Reference, req.Service, req.Format)
	}
	if req.From.Line1 != "1 Rama IV Rd" || req.From.Name != "Bangkok DC" || req.From.Country != "TH" {
		t.Errorf("from = %+v", req.From)
	}
	if req.To.Name != "สมชาย ใจดี" || req.To.City != "กรุงเทพฯ" || req.To.Phone != "+66812345678" {
		t.Errorf("to = %+v", req.To)
	}
	if len(req.Parcels) != 2 || req.Parcels[1] != (shipping.Parcel{WeightGrams: 1250, LengthMM: 400, WidthMM: 300, HeightMM: 200, Reference: "pkg_2"}) {
		t.Errorf("parcels = %+v", req.Parcels)
	}
	if req.COD != (shipping.Money{}) {
		t.Errorf("a paid order collects nothing, got %+v", req.COD)
	}
	if pdf, _ := labelRequest(sh, o, loc, pkgs, "", documents.PDFA6); pdf.Format != shipping.PDF {
		t.Errorf("PDF A6 asks the carrier for PDF, got %q", pdf.Format)
	}

	o.PaymentMethod, o.PaymentStatus = order.PaymentMethodCOD, order.PaymentStatusPENDING
	req, err = labelRequest(sh, o, loc, pkgs, "", documents.PDF4x6)
	if err != nil {
		t.Fatal(err)
	}
	if req.COD != (shipping.Money{Amount: 125000, Currency: "THB"}) {
		t.Errorf("an unpaid COD order collects its total, got %+v", req.COD)
	}
	o.PaymentStatus = order.PaymentStatusPAID
	if req, _ := labelRequest(sh, o, loc, pkgs, "", documents.PDF4x6); req.COD.Amount != 0 {
		t.Errorf("a COD order already paid collects nothing, got %+v", req.COD)
	}
}

func TestLabelRequestRefused(t *testing.T) {
	for name, change := range map[string]func(*ent.Order, *ent.Location, *[]*ent.ShipmentPackage){
		"origin without street":   func(_ *ent.Order, l *ent.Location, _ *[]*ent.ShipmentPackage) { l.Address.Line1 = "" },
		"ship-to without country": func(o *ent.Order, _ *ent.Location, _ *[]*ent.ShipmentPackage) { o.ShippingAddress.CountryCode = "" },
		"no packages":             func(_ *ent.Order, _ *ent.Location, p *[]*ent.ShipmentPackage) { *p = nil },
	} {
		t.Run(name, func(t *testing.T) {
			sh, o, loc, pkgs := labelFixture()
			change(o, loc, &pkgs)
			if _, err := labelRequest(sh, o, loc, pkgs, "", documents.PDF4x6); !fault.Is(err, fault.Conflict) {
				t.Errorf("err = %v, want CONFLICT", err)
			}
		})
	}
}

func TestMayBuyLabel(t *testing.T) {
	for _, tc := range []struct {
		status shipment.Status
		method shipment.Method
		ok     bool
	}{
		{shipment.StatusOPEN, shipment.MethodMANUAL, true},
		{shipment.StatusREADY, shipment.MethodCARRIER, true},
		{shipment.StatusPACKED, shipment.MethodMARKETPLACE, false},
		{shipment.StatusOPEN, shipment.MethodPICKUP, false},
		{shipment.StatusOPEN, shipment.MethodSUPPLIER, false},
		{shipment.StatusSHIPPED, shipment.MethodCARRIER, false},
		{shipment.StatusCANCELLED, shipment.MethodMANUAL, false},
	} {
		err := mayBuyLabel(tc.status, tc.method)
		if (err == nil) != tc.ok || (err != nil && !fault.Is(err, fault.Conflict)) {
			t.Errorf("%s %s: err = %v, want ok=%v", tc.status, tc.method, err, tc.ok)
		}
	}
}

func TestCarrierFault(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want fault.Code
	}{
		{shipping.Refused("easypost: ADDRESS.VERIFY.FAILURE"), fault.InvalidArgument},
		{fmt.Errorf("open: %w", shipping.ErrAccount), fault.Conflict},
		{&shipping.RateLimitError{RetryAfter: 3 * time.Second}, fault.Unavailable},
		{errors.New("dial tcp: connection refused"), fault.Unavailable},
		{fault.New(fault.NotFound, "x"), fault.NotFound},
	} {
		if got := fault.CodeOf(carrierFault(tc.err)); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.err, got, tc.want)
		}
	}
	if msg := carrierFault(shipping.Refused("easypost: ADDRESS.VERIFY.FAILURE")).Error(); !strings.Contains(msg, "ADDRESS.VERIFY.FAILURE") {
		t.Errorf("the carrier's message is lost: %s", msg)
	}
}

func TestTrackingURL(t *testing.T) {
	for _, tc := range []struct{ carrier, number, want string }{
		{"USPS", "EZ0000000001", "https://tools.usps.com/go/TrackConfirmAction?tLabels=EZ0000000001"},
		{" ninja van ", "NV1", "https://www.ninjavan.co/en-sg/tracking?id=NV1"},
		{"Kerry", "KER 1/2", "https://track.aftership.com/KER%201%2F2"},
	} {
		if got := TrackingURL(tc.carrier, tc.number); got != tc.want {
			t.Errorf("TrackingURL(%q, %q) = %q, want %q", tc.carrier, tc.number, got, tc.want)
		}
	}
}

func TestLabelDocuments(t *testing.T) {
	served := []byte("%PDF-1.4 carrier label")
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/label.pdf" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(served)
	}))
	defer ts.Close()
	sh, o, loc, pkgs := labelFixture()
	req, err := labelRequest(sh, o, loc, pkgs, "", documents.PDF4x6)
	if err != nil {
		t.Fatal(err)
	}
	label := shipping.Label{Carrier: "USPS", Service: "Priority", TrackingNumbers: []string{"EZ1", "EZ2"}}
	data := labelData(sh, o, req, label, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
	if len(data) != 2 || data[1].TrackingNumber != "EZ2" || data[1].PackageIndex != 2 || data[1].PackageCount != 2 ||
		data[0].QRURL != TrackingURL("USPS", "EZ1") || data[0].ShipmentRef != "SO-1-1" || data[0].To.Name != "สมชาย ใจดี" {
		t.Fatalf("label data = %+v", data)
	}
	ctx := context.Background()

	t.Run("carrier bodies", func(t *testing.T) {
		l := label
		l.Documents = []shipping.Document{{Format: shipping.ZPL, Body: []byte("^XA^XZ")}}
		docs, err := labelDocuments(ctx, ts.Client(), l, data, documents.PDF4x6)
		if err != nil || len(docs) != 1 || docs[0].format != document.FormatZPL || string(docs[0].body) != "^XA^XZ" {
			t.Fatalf("docs = %+v, %v", docs, err)
		}
	})
	t.Run("carrier URL fetched", func(t *testing.T) {
		l := label
		l.Documents = []shipping.Document{{Format: shipping.PDF, URL: ts.URL + "/label.pdf"}}
		docs, err := labelDocuments(ctx, ts.Client(), l, data, documents.PDF4x6)
		if err != nil || len(docs) != 1 || docs[0].format != document.FormatPDF || string(docs[0].body) != string(served) {
			t.Fatalf("docs = %+v, %v", docs, err)
		}
	})
	for name, docs := range map[string][]shipping.Document{
		"no carrier documents": nil,
		"carrier URL missing":  {{Format: shipping.PDF, URL: ts.URL + "/gone.pdf"}},
	} {
		t.Run(name, func(t *testing.T) {
			l := label
			l.Documents = docs
			out, err := labelDocuments(ctx, ts.Client(), l, data, documents.ZPL)
			if err != nil || len(out) != 2 {
				t.Fatalf("Ordo renders one label per package: %+v, %v", out, err)
			}
			for i, d := range out {
				if d.format != document.FormatZPL || d.contentType != "application/x-zpl" || !strings.Contains(string(d.body), label.TrackingNumbers[i]) {
					t.Errorf("label %d: %s %s %q", i+1, d.format, d.contentType, d.body)
				}
			}
		})
	}
}
