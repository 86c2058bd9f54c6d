package documents

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func sampleReturn() ReturnLabelData {
	return ReturnLabelData{
		RMANumber: "RMA-1001-1",
		From: Address{
			Name: "สมชาย ใจดี", Phone: "+66 81 234 5678",
			Lines: []string{"123/45 ถนนสุขุมวิท แขวงคลองเตย"}, City: "กรุงเทพมหานคร", PostalCode: "10110", Country: "Thailand",
		},
		To: Address{
			Name: "Ordo Returns Bangna", Phone: "+66 2 000 0000",
			Lines: []string{"99 Bangna-Trad Rd"}, City: "Bang Phli", Region: "Samut Prakan", PostalCode: "10540", Country: "Thailand",
		},
		OrderNumber: "ORD-1001",
		Lines:       []ReturnLine{{SKU: "TEE-RED-M", Name: "Red tee", Quantity: 2}, {SKU: "CAP-1", Name: "Cap", Quantity: 1}},
		PrintedAt:   time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC),
	}
}

func TestReturnLabelPDF(t *testing.T) {
	t.Parallel()
	needTools(t)
	carrier := sampleReturn()
	carrier.TrackingNumber, carrier.Carrier, carrier.Service = "NV0123456789", "Ninja Van", "Return"
	carrier.QR = "https://www.ninjavan.co/en-sg/tracking?id=NV0123456789"
	for _, tc := range []struct {
		name     string
		data     ReturnLabelData
		format   Format
		size     [2]float64
		text     []string
		barcodes []string
	}{
		{
			name: "4x6 without a carrier", data: sampleReturn(), format: PDF4x6, size: [2]float64{288, 432},
			text:     []string{"RETURN", "RETURN TO", "Ordo Returns Bangna", "99 Bangna-Trad Rd", "สมชาย ใจดี", "2 × TEE-RED-M Red tee", "1 × CAP-1 Cap", "ORD-1001", "No carrier label"},
			barcodes: []string{"CODE-128:RMA-1001-1", "QR-Code:RMA-1001-1"},
		},
		{
			name: "A6 with a carrier label", data: carrier, format: PDFA6, size: [2]float64{297.64, 419.53},
			text:     []string{"Ninja Van · Return", "NV0123456789", "RMA-1001-1", "Samut Prakan"},
			barcodes: []string{"CODE-128:NV0123456789", "QR-Code:https://www.ninjavan.co/en-sg/tracking?id=NV0123456789"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf, err := ReturnLabel(tc.data, tc.format)
			if err != nil {
				t.Fatal(err)
			}
			path := writePDF(t, pdf)
			sizes := pageSizes(t, path)
			if len(sizes) != 1 {
				t.Fatalf("%d pages, want 1", len(sizes))
			}
			if math.Abs(sizes[0][0]-tc.size[0]) > 0.1 || math.Abs(sizes[0][1]-tc.size[1]) > 0.1 {
				t.Errorf("page %v pt, want %v", sizes[0], tc.size)
			}
			text := pdfText(t, path)
			for _, want := range tc.text {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
			if got := symbols(t, path); strings.Join(got, "\n") != strings.Join(tc.barcodes, "\n") {
				t.Errorf("decoded %q, want %q", got, tc.barcodes)
			}
		})
	}
}

// TestReturnLabelHostile: long names, many lines and text no font covers still render one page
// whose barcode decodes.
func TestReturnLabelHostile(t *testing.T) {
	t.Parallel()
	d := sampleReturn()
	d.From.Name = "名前 😀 \xff " + strings.Repeat("กรุงเทพมหานคร", 30)
	d.To.Lines = []string{strings.Repeat("Nguyễn ", 200), "\x00\r\n"}
	for i := range 40 {
		d.Lines = append(d.Lines, ReturnLine{SKU: strings.Repeat("S", 80), Name: strings.Repeat("n", i*10), Quantity: 1})
	}
	out, err := ReturnLabel(d, PDF4x6)
	if err != nil {
		t.Fatal(err)
	}
	needTools(t)
	path := writePDF(t, out)
	if n := len(pageSizes(t, path)); n != 1 {
		t.Fatalf("%d pages, want 1", n)
	}
	if got := symbols(t, path); !slices.Contains(got, "CODE-128:RMA-1001-1") {
		t.Errorf("decoded %q, want the RMA number", got)
	}
	if text := pdfText(t, path); !strings.Contains(text, "more items") {
		t.Errorf("the lines past the room are not summed up:\n%s", text)
	}
}

func TestReturnLabelInvalid(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(*ReturnLabelData)
		format Format
	}{
		{"no RMA number", func(d *ReturnLabelData) { d.RMANumber = "" }, PDF4x6},
		{"RMA number with a space", func(d *ReturnLabelData) { d.RMANumber = "RMA 1" }, PDF4x6},
		{"tracking number not ASCII", func(d *ReturnLabelData) { d.TrackingNumber = "ทห01" }, PDFA6},
		{"QR with a newline", func(d *ReturnLabelData) { d.QR = "https://x.test/\n" }, PDF4x6},
		{"zero quantity", func(d *ReturnLabelData) { d.Lines[0].Quantity = 0 }, PDF4x6},
		{"ZPL", func(*ReturnLabelData) {}, ZPL},
		{"unknown format", func(*ReturnLabelData) {}, Format(0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := sampleReturn()
			d.Lines = slices.Clone(d.Lines)
			tc.edit(&d)
			out, err := ReturnLabel(d, tc.format)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if out != nil {
				t.Errorf("returned %d bytes with the error", len(out))
			}
		})
	}
}

func TestReturnLabelReproducible(t *testing.T) {
	a, err := ReturnLabel(sampleReturn(), PDFA6)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReturnLabel(sampleReturn(), PDFA6)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two renders differ")
	}
}

func TestReturnLines(t *testing.T) {
	ls := []ReturnLine{{"A", "Apple", 2}, {"B", "", 1}, {"C", "Cherry", 3}, {"D", "Date", 4}}
	for _, tc := range []struct {
		max  int
		want []string
	}{
		{0, nil},
		{4, []string{"2 × A Apple", "1 × B", "3 × C Cherry", "4 × D Date"}},
		{3, []string{"2 × A Apple", "1 × B", "+ 7 more items"}},
		{1, []string{"+ 10 more items"}},
	} {
		if got := returnLines(ls, tc.max); !slices.Equal(got, tc.want) {
			t.Errorf("returnLines(max %d) = %q, want %q", tc.max, got, tc.want)
		}
	}
}
