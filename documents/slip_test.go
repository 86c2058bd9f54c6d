package documents

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func sampleSlip() SlipData {
	return SlipData{
		ShipmentRef: "SHP-2002-01",
		OrderNumber: "ORD-2002",
		ChannelName: "Shopee Việt Nam",
		PlacedAt:    time.Date(2026, 12, 6, 14, 30, 0, 0, time.UTC),
		ShipTo: Address{
			Name: "Nguyễn Thị Minh Khai", Phone: "+84 90 123 4567",
			Lines: []string{"45 Đường Lê Lợi, Phường Bến Nghé, Quận 1"},
			City:  "Thành phố Hồ Chí Minh", PostalCode: "700000", Country: "Việt Nam",
		},
		Lines: []SlipLine{
			{SKU: "TEA-OOLONG-100", Name: "Trà ô long Bảo Lộc 100 g", Quantity: 2, Box: "B1"},
			{SKU: "MUG-TH-01", Name: "แก้วมัคเซรามิก ลายช้าง", Quantity: 1, Box: "B1"},
		},
		Note:      "Gói quà, cảm ơn! ขอบคุณครับ",
		PrintedAt: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC),
	}
}

func TestPackingSlip(t *testing.T) {
	t.Parallel()
	needTools(t)
	long := sampleSlip()
	long.Paper = PaperA5
	long.Lines = nil
	for i := range 40 {
		long.Lines = append(long.Lines, SlipLine{SKU: fmt.Sprintf("SKU-%03d", i), Name: strings.Repeat("Sản phẩm rất dài ", 1+i%4) + "กรุงเทพมหานคร", Quantity: 1 + i%3, Box: "B2"})
	}
	for _, tc := range []struct {
		name  string
		data  SlipData
		size  [2]float64
		pages int
		text  []string
	}{
		{"A4", sampleSlip(), [2]float64{595.28, 841.89}, 1,
			[]string{"Packing slip", "Order ORD-2002", "Shopee Việt Nam", "Placed 2026-12-06 14:30", "Nguyễn Thị Minh Khai", "Thành phố Hồ Chí Minh", "Trà ô long Bảo Lộc 100 g", "แก้วมัคเซรามิก", "TEA-OOLONG-100", "Total units", "ขอบคุณครับ", "Gói quà"}},
		{"A5 over pages", long, [2]float64{419.53, 595.28}, 0,
			[]string{"SKU-000", "SKU-039", "SHP-2002-01 · page 2", "Thành phố Hồ Chí Minh", "กรุงเทพมหานคร"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf, err := PackingSlip(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			path := writePDF(t, pdf)
			sizes := pageSizes(t, path)
			if tc.pages > 0 && len(sizes) != tc.pages {
				t.Errorf("%d pages, want %d", len(sizes), tc.pages)
			}
			if tc.pages == 0 && len(sizes) < 2 {
				t.Errorf("%d pages, want the lines to run over more than one", len(sizes))
			}
			for i, s := range sizes {
				if math.Abs(s[0]-tc.size[0]) > 0.1 || math.Abs(s[1]-tc.size[1]) > 0.1 {
					t.Errorf("page %d is %v pt, want %v", i+1, s, tc.size)
				}
			}
			text := pdfText(t, path)
			for _, want := range tc.text {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
			got := symbols(t, path)
			if len(got) != 1 || got[0] != "CODE-128:"+tc.data.ShipmentRef {
				t.Errorf("decoded %q, want the one Code 128 %s", got, tc.data.ShipmentRef)
			}
		})
	}
}

func TestPackingSlipInvalid(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*SlipData)
	}{
		{"no shipment reference", func(d *SlipData) { d.ShipmentRef = "" }},
		{"reference with a space", func(d *SlipData) { d.ShipmentRef = "SHP 1" }},
		{"zero quantity", func(d *SlipData) { d.Lines[1].Quantity = 0 }},
		{"unknown paper", func(d *SlipData) { d.Paper = Paper(7) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := sampleSlip()
			tc.edit(&d)
			if _, err := PackingSlip(d); !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}
