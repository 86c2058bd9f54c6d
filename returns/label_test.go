package returns

import (
	"testing"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/packing"
)

func TestLabelable(t *testing.T) {
	ret := func(k orderreturn.Kind, s orderreturn.Status) *ent.OrderReturn {
		return &ent.OrderReturn{Kind: k, Status: s}
	}
	for _, tc := range []struct {
		name    string
		r       *ent.OrderReturn
		kind    channel.Kind
		shipped bool
		ok      bool
	}{
		{"approved storefront return", ret(orderreturn.KindRETURN, orderreturn.StatusAPPROVED), channel.KindSTOREFRONT, false, true},
		{"approved Shopify return", ret(orderreturn.KindRETURN, orderreturn.StatusAPPROVED), channel.KindSHOPIFY, false, true},
		{"an order without a channel", ret(orderreturn.KindRETURN, orderreturn.StatusAPPROVED), "", false, true},
		{"asked again in transit", ret(orderreturn.KindRETURN, orderreturn.StatusIN_TRANSIT), channel.KindSTOREFRONT, true, true},
		{"in transit without a shipment", ret(orderreturn.KindRETURN, orderreturn.StatusIN_TRANSIT), channel.KindSTOREFRONT, false, false},
		{"requested", ret(orderreturn.KindRETURN, orderreturn.StatusREQUESTED), channel.KindSTOREFRONT, false, false},
		{"declined", ret(orderreturn.KindRETURN, orderreturn.StatusDECLINED), channel.KindSTOREFRONT, false, false},
		{"received", ret(orderreturn.KindRETURN, orderreturn.StatusRECEIVED), channel.KindSTOREFRONT, true, false},
		{"a claim", ret(orderreturn.KindCLAIM, orderreturn.StatusAPPROVED), channel.KindSTOREFRONT, false, false},
		{"Shopee", ret(orderreturn.KindRETURN, orderreturn.StatusAPPROVED), channel.KindSHOPEE, false, false},
		{"Lazada", ret(orderreturn.KindRETURN, orderreturn.StatusAPPROVED), channel.KindLAZADA, false, false},
		{"TikTok Shop", ret(orderreturn.KindRETURN, orderreturn.StatusAPPROVED), channel.KindTIKTOK_SHOP, false, false},
	} {
		err := Labelable(tc.r, tc.kind, tc.shipped)
		if tc.ok && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !tc.ok && !fault.Is(err, fault.Conflict) {
			t.Errorf("%s: err = %v, want CONFLICT", tc.name, err)
		}
	}
}

func TestParcelOf(t *testing.T) {
	line := func(sku string, q int64, v *ent.Variant) *ent.ReturnLine {
		l := &ent.ReturnLine{OrderLineID: pulid.ID("oln_" + sku), Sku: sku, Quantity: q}
		l.Edges.OrderLine = &ent.OrderLine{}
		l.Edges.OrderLine.Edges.Variant = v
		return l
	}
	in := parcelOf([]*ent.ReturnLine{
		line("TEE", 2, &ent.Variant{WeightGrams: 250, LengthMm: 300, WidthMm: 200, HeightMm: 20}),
		line("MUG", 1, &ent.Variant{LengthMm: 120, WidthMm: 120, HeightMm: 110}),
	})
	if want := 2*250 + packing.AssumedWeightGrams; in.WeightGrams != want {
		t.Errorf("weight %d g, want %d", in.WeightGrams, want)
	}
	if in.LengthMM != 300 || in.WidthMM != 200 || in.HeightMM != 110 {
		t.Errorf("dimensions %d×%d×%d", in.LengthMM, in.WidthMM, in.HeightMM)
	}
	if len(in.Contents) != 2 || in.Contents[0] != (schema.PackageItem{LineID: "oln_TEE", SKU: "TEE", Quantity: 2}) {
		t.Errorf("contents %+v", in.Contents)
	}
}

func TestReturnLabelData(t *testing.T) {
	r := &ent.OrderReturn{Number: "RMA-SO-1-1"}
	o := &ent.Order{Number: "SO-1", ShippingAddress: schema.Address{Name: "Somchai", Phone: "+66", Line1: "1 Soi 22", City: "Bangkok", CountryCode: "TH"}}
	loc := &ent.Location{Name: "Bangna DC", Address: schema.Address{Line1: "99 Bangna-Trad", City: "Samut Prakan", CountryCode: "TH"}}
	lines := []*ent.ReturnLine{{OrderLineID: "oln_1", Sku: "TEE", Quantity: 2}}
	ols := []*ent.OrderLine{{ID: "oln_1", Name: "Red tee"}}
	at := time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)

	manual := ReturnLabelData(r, o, loc, &ent.Shipment{Method: shipment.MethodMANUAL, TrackingNumbers: []string{"RMA-SO-1-1"}}, lines, ols, at)
	if manual.RMANumber != "RMA-SO-1-1" || manual.TrackingNumber != "" || manual.Carrier != "" || manual.QR != "" {
		t.Errorf("without a carrier: %+v", manual)
	}
	if manual.From.Name != "Somchai" || manual.To.Name != "Bangna DC" || manual.To.Lines[0] != "99 Bangna-Trad" || manual.To.Country != "TH" {
		t.Errorf("from %+v to %+v", manual.From, manual.To)
	}
	if len(manual.Lines) != 1 || manual.Lines[0].Name != "Red tee" || manual.Lines[0].Quantity != 2 {
		t.Errorf("lines %+v", manual.Lines)
	}
	carrier := ReturnLabelData(r, o, loc, &ent.Shipment{Method: shipment.MethodCARRIER, Carrier: "Ninja Van", TrackingNumbers: []string{"NV1"},
		TrackingURL: "https://t.test/NV1"}, lines, ols, at)
	if carrier.TrackingNumber != "NV1" || carrier.Carrier != "Ninja Van" || carrier.QR != "https://t.test/NV1" {
		t.Errorf("with a carrier label: %+v", carrier)
	}
}
