package documents

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNewPickList(t *testing.T) {
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		items []PickItem
		want  PickListData
	}{
		{"empty", nil, PickListData{Location: "BKK-1", GeneratedAt: at, Lines: []PickLine{}}},
		{
			"one line per SKU, totals and shares, walking order",
			[]PickItem{
				{Shipment: "SHP-2", Bin: "B-02", SKU: "MUG", Name: "Mug", Quantity: 1},
				{Shipment: "SHP-1", Bin: "A-01", SKU: "TEA", Name: "Tea", Quantity: 2},
				{Shipment: "SHP-3", Bin: "A-01", SKU: "TEA", Name: "Tea", Quantity: 3},
				{Shipment: "SHP-1", Bin: "B-02", SKU: "MUG", Name: "Mug", Quantity: 4},
				{Shipment: "SHP-1", Bin: "B-02", SKU: "MUG", Name: "Mug", Quantity: 1},
				{Shipment: "SHP-3", SKU: "CARD", Name: "Gift card", Quantity: 1},
				{Shipment: "SHP-2", Bin: "A-01", SKU: "CUP", Name: "Cup", Quantity: 1},
			},
			PickListData{Location: "BKK-1", GeneratedAt: at, Shipments: []string{"SHP-1", "SHP-2", "SHP-3"}, Lines: []PickLine{
				{Bin: "A-01", SKU: "CUP", Name: "Cup", Quantity: 1, Shipments: []PickShare{{"SHP-2", 1}}},
				{Bin: "A-01", SKU: "TEA", Name: "Tea", Quantity: 5, Shipments: []PickShare{{"SHP-1", 2}, {"SHP-3", 3}}},
				{Bin: "B-02", SKU: "MUG", Name: "Mug", Quantity: 6, Shipments: []PickShare{{"SHP-1", 5}, {"SHP-2", 1}}},
				{SKU: "CARD", Name: "Gift card", Quantity: 1, Shipments: []PickShare{{"SHP-3", 1}}},
			}},
		},
		{
			"a SKU in two bins lists both, the first name seen kept",
			[]PickItem{
				{Shipment: "S2", Bin: "C-9", SKU: "X", Name: "", Quantity: 1},
				{Shipment: "S1", Bin: "A-1", SKU: "X", Name: "Ex", Quantity: 2},
				{Shipment: "S1", Bin: "C-9", SKU: "X", Name: "Other", Quantity: 1},
			},
			PickListData{Location: "BKK-1", GeneratedAt: at, Shipments: []string{"S1", "S2"}, Lines: []PickLine{
				{Bin: "A-1, C-9", SKU: "X", Name: "Ex", Quantity: 4, Shipments: []PickShare{{"S1", 3}, {"S2", 1}}},
			}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := NewPickList("BKK-1", at, tc.items)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestPickList(t *testing.T) {
	t.Parallel()
	needTools(t)
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	var items []PickItem
	for i := range 70 {
		items = append(items, PickItem{
			Shipment: fmt.Sprintf("SHP-%04d", 1000+i%9),
			Bin:      fmt.Sprintf("%c-%02d", 'A'+i%5, i%13),
			SKU:      fmt.Sprintf("SKU-%03d", i%40),
			Name:     []string{"Trà ô long Bảo Lộc", "แก้วมัคเซรามิก ลายช้าง", strings.Repeat("Very long product name ", 8)}[i%3],
			Quantity: 1 + i%4,
		})
	}
	d := NewPickList("Kho Thủ Đức", at, items)
	pdf, err := PickList(d)
	if err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, pdf)
	sizes := pageSizes(t, path)
	if len(sizes) < 2 {
		t.Errorf("%d pages, want the 40 lines and 9 barcodes to run over more than one", len(sizes))
	}
	for i, s := range sizes {
		if math.Abs(s[0]-595.28) > 0.1 || math.Abs(s[1]-841.89) > 0.1 {
			t.Errorf("page %d is %v pt, want A4", i+1, s)
		}
	}
	text := pdfText(t, path)
	for _, want := range []string{"Pick list — Kho Thủ Đức", "9 shipments · 40 SKUs", "SKU-000", "SKU-039", "แก้วมัคเซรามิก", "Trà ô long Bảo Lộc", "SHP-1000 ×", "page 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	var want []string
	for _, s := range d.Shipments {
		want = append(want, "CODE-128:"+s)
	}
	if got := symbols(t, path); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("decoded %q, want %q", got, want)
	}
}

func TestPickListInvalid(t *testing.T) {
	good := NewPickList("BKK", time.Time{}, []PickItem{{Shipment: "S1", SKU: "X", Quantity: 1}})
	bad := good
	bad.Lines = []PickLine{{SKU: "X", Quantity: 0}}
	if _, err := PickList(bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("zero quantity: err = %v, want ErrInvalid", err)
	}
	bad = good
	bad.Shipments = []string{"S^1"}
	if _, err := PickList(bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad reference: err = %v, want ErrInvalid", err)
	}
	if _, err := PickList(good); err != nil {
		t.Errorf("good list: %v", err)
	}
}
