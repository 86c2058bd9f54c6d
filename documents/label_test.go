package documents

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func thaiLabel() LabelData {
	return LabelData{
		ShipmentRef:    "SHP-1001-01",
		TrackingNumber: "TH0123456789AB",
		Carrier:        "Ninja Van",
		Service:        "Standard",
		From: Address{
			Name: "Ordo Warehouse Bangna", Phone: "+66 2 000 0000",
			Lines: []string{"99 Bangna-Trad Rd"}, City: "Bang Phli", Region: "Samut Prakan", PostalCode: "10540", Country: "Thailand",
		},
		To: Address{
			Name: "สมชาย ใจดี", Phone: "+66 81 234 5678",
			Lines: []string{"123/45 ถนนสุขุมวิท แขวงคลองเตย", "Sukhumvit Soi 22"},
			City:  "กรุงเทพมหานคร", PostalCode: "10110", Country: "Thailand",
		},
		OrderNumber:  "ORD-1001",
		WeightGrams:  1250,
		PackageIndex: 1, PackageCount: 2,
		COD:       &Amount{Minor: 125000, Currency: "THB", Digits: 2},
		QRURL:     "https://ordo.test/t/SHP-1001-01",
		ShipBy:    time.Date(2026, 12, 8, 17, 0, 0, 0, time.UTC),
		PrintedAt: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC),
	}
}

func vietLabel() LabelData {
	return LabelData{
		ShipmentRef:    "SHP-2002-01",
		TrackingNumber: "SPXVN0456789123",
		Carrier:        "J&T Express",
		Service:        "Express",
		From:           Address{Name: "Ordo Kho Thủ Đức", Lines: []string{"12 Võ Văn Ngân"}, City: "Thủ Đức", Country: "Việt Nam"},
		To: Address{
			Name: "Nguyễn Thị Minh Khai", Phone: "+84 90 123 4567",
			Lines: []string{"45 Đường Lê Lợi, Phường Bến Nghé, Quận 1"},
			City:  "Thành phố Hồ Chí Minh", PostalCode: "700000", Country: "Việt Nam",
		},
		OrderNumber: "ORD-2002",
		WeightGrams: 800,
		QRURL:       "https://ordo.test/t/SHP-2002-01?lang=vi",
	}
}

func TestLabelPDF(t *testing.T) {
	t.Parallel()
	needTools(t)
	for _, tc := range []struct {
		name     string
		data     LabelData
		format   Format
		size     [2]float64 // points
		text     []string
		barcodes []string
	}{
		{
			name: "4x6 Thai COD", data: thaiLabel(), format: PDF4x6, size: [2]float64{288, 432},
			text:     []string{"กรุงเทพมหานคร", "สมชาย ใจดี", "ถนนสุขุมวิท", "COD 1,250.00 THB", "Parcel 1 of 2", "Weight 1.25 kg", "Ship by 2026-12-08", "Order ORD-1001", "SHP-1001-01"},
			barcodes: []string{"CODE-128:TH0123456789AB", "QR-Code:https://ordo.test/t/SHP-1001-01"},
		},
		{
			name: "A6 Vietnamese", data: vietLabel(), format: PDFA6, size: [2]float64{297.64, 419.53},
			text:     []string{"Thành phố Hồ Chí Minh", "Nguyễn Thị Minh Khai", "Đường Lê Lợi", "Weight 800 g"},
			barcodes: []string{"CODE-128:SPXVN0456789123", "QR-Code:https://ordo.test/t/SHP-2002-01?lang=vi"},
		},
		{
			name: "A6 Thai", data: thaiLabel(), format: PDFA6, size: [2]float64{297.64, 419.53},
			text:     []string{"กรุงเทพมหานคร", "COD 1,250.00 THB"},
			barcodes: []string{"CODE-128:TH0123456789AB", "QR-Code:https://ordo.test/t/SHP-1001-01"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf, err := Label(tc.data, tc.format)
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

func TestLabelInvalid(t *testing.T) {
	for _, tc := range []struct {
		name   string
		edit   func(*LabelData)
		format Format
	}{
		{"no tracking number", func(d *LabelData) { d.TrackingNumber = "" }, PDF4x6},
		{"no tracking number, ZPL", func(d *LabelData) { d.TrackingNumber = "" }, ZPL},
		{"tracking number with a caret", func(d *LabelData) { d.TrackingNumber = "TH01^XZ" }, ZPL},
		{"tracking number with a space", func(d *LabelData) { d.TrackingNumber = "TH 01" }, PDFA6},
		{"tracking number not ASCII", func(d *LabelData) { d.TrackingNumber = "ทห01" }, PDF4x6},
		{"tracking number too long", func(d *LabelData) { d.TrackingNumber = strings.Repeat("9", 65) }, PDF4x6},
		{"package past the count", func(d *LabelData) { d.PackageIndex, d.PackageCount = 3, 2 }, PDF4x6},
		{"package index zero", func(d *LabelData) { d.PackageIndex, d.PackageCount = 0, 2 }, ZPL},
		{"negative weight", func(d *LabelData) { d.WeightGrams = -1 }, PDF4x6},
		{"negative COD", func(d *LabelData) { d.COD.Minor = -5 }, PDF4x6},
		{"COD currency not ISO", func(d *LabelData) { d.COD.Currency = "baht" }, ZPL},
		{"QR URL with a newline", func(d *LabelData) { d.QRURL = "https://x.test/\n^XZ" }, ZPL},
		{"QR URL too long", func(d *LabelData) { d.QRURL = "https://x.test/" + strings.Repeat("a", 600) }, PDF4x6},
		{"unknown format", func(*LabelData) {}, Format(0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := thaiLabel()
			cod := *d.COD
			d.COD = &cod
			tc.edit(&d)
			out, err := Label(d, tc.format)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if out != nil {
				t.Errorf("returned %d bytes with the error", len(out))
			}
		})
	}
}

// TestLabelHostileText renders text no font covers, invalid UTF-8, control characters and very
// long words in every format: no panic, no error, a barcode that still decodes.
func TestLabelHostileText(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("กรุงเทพมหานครอมรรัตนโกสินทร์", 20)
	d := thaiLabel()
	d.Carrier = strings.Repeat("Carrier", 40)
	d.Service = "\x00\x01\r\n\t"
	d.To.Name = "名前 😀 \xff\xfe " + long
	d.To.Lines = []string{long, strings.Repeat("Nguyễn ", 200), "", "^XZ~JA\\&"}
	d.From.Lines = []string{strings.Repeat("x", 500)}
	d.OrderNumber = strings.Repeat("ORD", 100)
	pdfs := map[Format][]byte{}
	for _, f := range []Format{PDF4x6, PDFA6, ZPL} {
		out, err := Label(d, f)
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		if len(out) == 0 {
			t.Fatalf("%v: empty output", f)
		}
		if f == ZPL {
			checkZPL(t, string(out))
			continue
		}
		pdfs[f] = out
	}
	needTools(t)
	for f, out := range pdfs {
		got := symbols(t, writePDF(t, out))
		if !slices.Contains(got, "CODE-128:"+d.TrackingNumber) {
			t.Errorf("%v: decoded %q, want the tracking number", f, got)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	for _, tc := range []struct {
		a    Amount
		want string
	}{
		{Amount{125000, "THB", 2}, "1,250.00 THB"},
		{Amount{5, "THB", 2}, "0.05 THB"},
		{Amount{0, "USD", 2}, "0.00 USD"},
		{Amount{1234567890, "VND", 0}, "1,234,567,890 VND"},
		{Amount{100, "VND", 0}, "100 VND"},
		{Amount{1500, "KWD", 3}, "1.500 KWD"},
		{Amount{99999999, "IDR", 0}, "99,999,999 IDR"},
		{Amount{math.MaxInt64, "USD", 2}, "92,233,720,368,547,758.07 USD"},
	} {
		got, err := formatAmount(tc.a)
		if err != nil || got != tc.want {
			t.Errorf("formatAmount(%+v) = %q, %v; want %q", tc.a, got, err, tc.want)
		}
	}
	for _, bad := range []Amount{{-1, "THB", 2}, {1, "thb", 2}, {1, "THB", 5}, {1, "THB", -1}, {1, "", 2}} {
		if _, err := formatAmount(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("formatAmount(%+v): err = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestFormatWeight(t *testing.T) {
	for g, want := range map[int]string{1: "1 g", 999: "999 g", 1000: "1.00 kg", 1250: "1.25 kg", 1994: "1.99 kg", 1995: "2.00 kg", 1996: "2.00 kg", 25005: "25.01 kg"} {
		if got := formatWeight(g); got != want {
			t.Errorf("formatWeight(%d) = %q, want %q", g, got, want)
		}
	}
}
