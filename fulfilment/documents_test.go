package fulfilment

import (
	"strings"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/documents"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/document"
	"github.com/ordo-oms/ordo/ent/schema"
)

func TestSlipData(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	o := &ent.Order{Number: "SO-9", PlacedAt: at.Add(-time.Hour), Note: "gift",
		ShippingAddress: schema.Address{Name: "Nguyễn Văn A", Line1: "12 Đường Lê Lợi", City: "Thành phố Hồ Chí Minh", CountryCode: "VN"}}
	o.Edges.Channel = &ent.Channel{Name: "Shopee VN"}
	o.Edges.Lines = []*ent.OrderLine{
		{ID: "oln_1", Sku: "TEA", Name: "Trà xanh"},
		{ID: "oln_2", Sku: "CUP", Edges: ent.OrderLineEdges{Variant: &ent.Variant{Name: "Ceramic cup"}}},
	}
	sh := &ent.Shipment{Number: "SO-9-1"}
	sh.Edges.Packages = []*ent.ShipmentPackage{
		{Index: 1, Box: "S", Contents: []schema.PackageItem{{LineID: "oln_1", SKU: "TEA", Quantity: 2}}},
		{Index: 2, Contents: []schema.PackageItem{{LineID: "oln_1", SKU: "TEA", Quantity: 1}, {LineID: "oln_2", SKU: "CUP", Quantity: 1}}},
	}
	sh.Edges.Lines = []*ent.ShipmentLine{{OrderLineID: "oln_1", Sku: "TEA", Quantity: 3}, {OrderLineID: "oln_2", Sku: "CUP", Quantity: 1}}
	d := slipData(sh, o, at)
	if d.ShipmentRef != "SO-9-1" || d.OrderNumber != "SO-9" || d.ChannelName != "Shopee VN" || d.Note != "gift" || !d.PrintedAt.Equal(at) {
		t.Errorf("header = %+v", d)
	}
	if d.ShipTo.Name != "Nguyễn Văn A" || d.ShipTo.City != "Thành phố Hồ Chí Minh" || len(d.ShipTo.Lines) != 1 || d.ShipTo.Lines[0] != "12 Đường Lê Lợi" {
		t.Errorf("ship-to = %+v", d.ShipTo)
	}
	want := []documents.SlipLine{
		{SKU: "TEA", Name: "Trà xanh", Quantity: 2, Box: "S"},
		{SKU: "TEA", Name: "Trà xanh", Quantity: 1, Box: "Parcel 2"},
		{SKU: "CUP", Name: "Ceramic cup", Quantity: 1, Box: "Parcel 2"},
	}
	if len(d.Lines) != len(want) {
		t.Fatalf("lines = %+v", d.Lines)
	}
	for i := range want {
		if d.Lines[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, d.Lines[i], want[i])
		}
	}
	sh.Edges.Packages = nil
	if d := slipData(sh, o, at); len(d.Lines) != 2 || d.Lines[0].Quantity != 3 || d.Lines[1].Name != "Ceramic cup" {
		t.Errorf("without package contents the slip lists the lines: %+v", d.Lines)
	}
}

func TestPickItems(t *testing.T) {
	a := &ent.Shipment{Number: "SO-1-1"}
	a.Edges.Lines = []*ent.ShipmentLine{{Sku: "TEA", Quantity: 2}, {Sku: "CUP", Quantity: 1}}
	b := &ent.Shipment{Number: "SO-2-1"}
	b.Edges.Lines = []*ent.ShipmentLine{{Sku: "TEA", Quantity: 3}}
	items := pickItems([]*ent.Shipment{a, b}, map[string]string{"TEA": "Green tea"})
	if len(items) != 3 || items[2] != (documents.PickItem{Shipment: "SO-2-1", SKU: "TEA", Name: "Green tea", Quantity: 3}) {
		t.Fatalf("items = %+v", items)
	}
	pl := documents.NewPickList("BKK", time.Time{}, items)
	if pl.Lines[0].SKU != "CUP" && pl.Lines[1].SKU != "CUP" {
		t.Errorf("lines = %+v", pl.Lines)
	}
	for _, l := range pl.Lines {
		if l.SKU == "TEA" && (l.Quantity != 5 || len(l.Shipments) != 2) {
			t.Errorf("TEA is one line of 5 units for two shipments: %+v", l)
		}
	}
}

func TestFileName(t *testing.T) {
	for _, tc := range []struct {
		kind document.Kind
		ref  string
		f    document.Format
		want string
	}{
		{document.KindLABEL, "SO-7KX2-1", document.FormatPDF_4X6, "label-SO-7KX2-1-doc_1.pdf"},
		{document.KindPACKING_SLIP, "SO-1", document.FormatPDF_A4, "packing-slip-SO-1-doc_1.pdf"},
		{document.KindLABEL, "x", document.FormatZPL, "label-x-doc_1.zpl"},
		{document.KindPICK_LIST, "doc_1", document.FormatPDF_A4, "pick-list-doc_1.pdf"},
		{document.KindLABEL, `"; filename=evil.exe` + "\r\n/../", document.FormatPDF, "label-_filename_evil.exe_.._-doc_1.pdf"},
	} {
		got := FileName(tc.kind, tc.ref, "doc_1", tc.f)
		if got != tc.want {
			t.Errorf("FileName(%s, %q) = %q, want %q", tc.kind, tc.ref, got, tc.want)
		}
		if strings.ContainsAny(got, "\"/\\\r\n;= ") {
			t.Errorf("unsafe file name %q", got)
		}
	}
}
