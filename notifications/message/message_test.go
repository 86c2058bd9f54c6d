package message

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ordo-oms/ordo/ent/schema"
)

func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 10, 0, 0, 0, time.UTC)
	return &t
}

// full is a message with every field set, so that each kind finds what it tells.
func full(kind string, l Locale) Data {
	return Data{
		Kind: kind, Locale: l, Zone: ZoneOfCountry("TH"),
		Brand:        Brand{Name: "Siam Goods", LogoURL: "https://cdn.example/logo.png", Color: "#0F766E", AccentColor: "#f59e0b", SupportEmail: "help@siam.example"},
		CustomerName: "Somchai Jaidee", OrderNumber: "1042", PlacedAt: *day(2026, 12, 1), Currency: "THB", Total: 125000,
		Lines:          []Line{{SKU: "TEE-M", Name: "Cotton tee", Quantity: 2, Amount: 100000}, {SKU: "CAP", Name: "Cap", Quantity: 1, Amount: 25000}},
		ShipmentNumber: "SO-7KX2M9QD-1",
		Parcels: []Parcel{
			{Carrier: "Kerry Express", TrackingNumber: "KEX0001", TrackingURL: "https://track.example/kerry?n=KEX0001&lang=th"},
			{Carrier: "Flash Express", TrackingNumber: "TH0002FLASH", TrackingURL: "https://track.example/flash/TH0002FLASH"},
		},
		ExpectedBy: day(2026, 12, 9), PreviousPromise: day(2026, 12, 5),
		PickupLocation: "Siam Square", PickupAddress: "Rama I Rd, Pathum Wan, Bangkok 10330", PickupBy: day(2026, 12, 14),
		ReturnNumber: "RMA-7KX2M9QD-1", ReturnLabelAttached: true, RefundAmount: 25000,
		CancelledLines: []Line{{SKU: "CAP", Name: "Cap", Quantity: 1}}, Reason: "Out of stock",
		OrderURL: "https://siam.example/orders/1042", UnsubscribeURL: "https://ordo.example/unsubscribe/tok123",
	}
}

// TestEveryKindEveryLocale: the schema's kinds are exactly the kinds Render knows, and each renders
// in each locale with the order number in all three parts, the unsubscribe link in both bodies,
// no HTML in the text part and no placeholder left unfilled.
func TestEveryKindEveryLocale(t *testing.T) {
	known := make([]string, 0, len(kinds))
	for k := range kinds {
		known = append(known, k)
	}
	slices.Sort(known)
	want := slices.Sorted(slices.Values(schema.NotificationKinds))
	if !slices.Equal(known, want) {
		t.Fatalf("Render knows %v; the schema's kinds are %v", known, want)
	}
	for _, kind := range schema.NotificationKinds {
		for _, l := range locales {
			t.Run(kind+"/"+string(l), func(t *testing.T) {
				r, err := Render(full(kind, l))
				if err != nil {
					t.Fatal(err)
				}
				for part, s := range map[string]string{"subject": r.Subject, "html": r.HTML, "text": r.Text} {
					if !strings.Contains(s, "#1042") {
						t.Errorf("%s lacks the order number: %q", part, s)
					}
					if strings.Contains(s, "##") || placeholder.MatchString(s) {
						t.Errorf("%s has an unfilled or doubled mark: %q", part, s)
					}
				}
				if r.Subject != catalogSubject(l, kind) {
					t.Errorf("subject %q is not %s's", r.Subject, l)
				}
				if !strings.Contains(r.HTML, `href="https://ordo.example/unsubscribe/tok123"`) || !strings.Contains(r.Text, "https://ordo.example/unsubscribe/tok123") {
					t.Error("no unsubscribe link")
				}
				if strings.ContainsAny(r.Text, "<>") {
					t.Errorf("text part has markup:\n%s", r.Text)
				}
				if !strings.HasPrefix(r.HTML, "<!DOCTYPE html>") || !strings.Contains(r.HTML, `lang="`+string(l)+`"`) {
					t.Errorf("html is not a %s page: %.80q", l, r.HTML)
				}
			})
		}
	}
}

func catalogSubject(l Locale, kind string) string {
	return strings.ReplaceAll(catalog[l]["subject."+kind], "{order}", "1042")
}

// TestTrackingInBothParts: whoever reads either part can follow every parcel.
func TestTrackingInBothParts(t *testing.T) {
	for _, kind := range []string{"SHIPPED", "OUT_FOR_DELIVERY", "DELIVERED"} {
		for _, l := range locales {
			d := full(kind, l)
			r, err := Render(d)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range d.Parcels {
				for part, s := range map[string]string{"html": r.HTML, "text": r.Text} {
					if !strings.Contains(s, p.TrackingNumber) {
						t.Errorf("%s %s %s lacks %s", kind, l, part, p.TrackingNumber)
					}
					if !strings.Contains(s, p.Carrier) {
						t.Errorf("%s %s %s lacks carrier %s", kind, l, part, p.Carrier)
					}
				}
				if !strings.Contains(r.HTML, `href="`+html.EscapeString(p.TrackingURL)+`"`) {
					t.Errorf("%s %s html lacks the link %s", kind, l, p.TrackingURL)
				}
				if !strings.Contains(r.Text, p.TrackingURL) {
					t.Errorf("%s %s text lacks the link %s", kind, l, p.TrackingURL)
				}
			}
			if !strings.Contains(r.Text, d.ShipmentNumber) {
				t.Errorf("%s %s lacks the shipment number", kind, l)
			}
		}
	}
}

// TestThaiShipped: a Thai customer reads Thai, with the promise dated in Bangkok in the Buddhist
// era: 23:30 UTC on 6 December is 7 December there.
func TestThaiShipped(t *testing.T) {
	d := full("SHIPPED", Thai)
	promise := time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC)
	d.ExpectedBy = &promise
	r, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if r.Subject != "คำสั่งซื้อ #1042 ของคุณจัดส่งแล้ว" {
		t.Errorf("subject %q", r.Subject)
	}
	for _, s := range []string{r.HTML, r.Text} {
		if !strings.Contains(s, "7 ธันวาคม 2569") || strings.Contains(s, "2026") {
			t.Errorf("want the promise as 7 ธันวาคม 2569 and no Gregorian year:\n%s", s)
		}
		if !strings.Contains(s, "คาดว่าจะได้รับภายใน") || !strings.Contains(s, "หมายเลขติดตามพัสดุ") {
			t.Errorf("labels are not Thai:\n%s", s)
		}
	}
}

// TestVietnameseMoney: amounts in a Vietnamese message are written the Vietnamese way.
func TestVietnameseMoney(t *testing.T) {
	d := full("ORDER_CONFIRMED", Vietnamese)
	d.Currency, d.Total = "VND", 1250000
	d.Lines = []Line{{Name: "Áo thun", Quantity: 2, Amount: 1000000}, {Name: "Mũ", Quantity: 1, Amount: 250000}}
	r, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1.250.000 ₫", "1.000.000 ₫", "250.000 ₫", "Tổng cộng"} {
		if !strings.Contains(r.HTML, want) || !strings.Contains(r.Text, want) {
			t.Errorf("lacks %q:\n%s", want, r.Text)
		}
	}
	d = full("REFUND_ISSUED", Vietnamese)
	d.Currency, d.RefundAmount = "VND", 250000
	if r, err = Render(d); err != nil {
		t.Fatal(err)
	}
	if want := "Chúng tôi đã hoàn 250.000 ₫ cho đơn hàng #1042."; !strings.Contains(r.Text, want) {
		t.Errorf("lacks %q:\n%s", want, r.Text)
	}
}

var (
	styleBlock  = regexp.MustCompile(`(?i)<style`)
	headerStyle = regexp.MustCompile(`<div class="header" style="[^"]*background-color:#0f766e[^"]*color:#ffffff`)
	buttonStyle = regexp.MustCompile(`<a class="button" href="[^"]*" style="[^"]*background-color:#f59e0b[^"]*color:#111827`)
)

// TestInlinedCSS: the brand's colours reach the elements themselves (clients that strip <style>
// still show them), with a readable ink on each; no style block is left to need.
func TestInlinedCSS(t *testing.T) {
	r, err := Render(full("SHIPPED", English))
	if err != nil {
		t.Fatal(err)
	}
	if !headerStyle.MatchString(r.HTML) {
		t.Errorf("header is not styled in the brand's colour:\n%s", r.HTML)
	}
	if !buttonStyle.MatchString(r.HTML) {
		t.Errorf("button is not styled in the accent colour:\n%s", r.HTML)
	}
	if styleBlock.MatchString(r.HTML) {
		t.Errorf("a <style> block is left:\n%s", r.HTML)
	}
	if !strings.Contains(r.HTML, `<img class="logo" src="https://cdn.example/logo.png" alt="Siam Goods"`) {
		t.Errorf("no logo")
	}
}

func TestBrandColours(t *testing.T) {
	cases := []struct{ in, want, ink string }{
		{"#0F766E", "#0f766e", "#ffffff"},
		{"#ffcc00", "#ffcc00", "#111827"},
		{"#ffffff", "#ffffff", "#111827"},
		{"#000000", "#000000", "#ffffff"},
		{"", defaultColor, "#ffffff"},
		{"red", defaultColor, "#ffffff"},
		{"#fff", defaultColor, "#ffffff"},
		{"#123456; background:url(x)", defaultColor, "#ffffff"},
	}
	for _, tc := range cases {
		got := color(tc.in, defaultColor)
		if got != tc.want || inkOn(got) != tc.ink {
			t.Errorf("color(%q) = %s ink %s; want %s ink %s", tc.in, got, inkOn(got), tc.want, tc.ink)
		}
	}
}

// TestEscaping: customer and brand data stay text in the HTML part; a script URL does not become a
// link.
func TestEscaping(t *testing.T) {
	d := full("LINES_CANCELLED", English)
	d.CustomerName = `<script>alert(1)</script>`
	d.Brand.Name = `Evil <b onclick="x()">`
	d.Brand.LogoURL = ""
	d.CancelledLines = []Line{{SKU: `"><img src=x>`, Name: `<i>Cap</i>`, Quantity: 1}}
	d.Reason = `</td><script>x</script>`
	d.OrderURL = "javascript:alert(1)"
	r, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "<b ", "<i>", "<img src=x", "javascript:"} {
		if strings.Contains(r.HTML, bad) {
			t.Errorf("html contains %q:\n%s", bad, r.HTML)
		}
	}
	for _, escaped := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;i&gt;Cap&lt;/i&gt;", "Evil &lt;b onclick="} {
		if !strings.Contains(r.HTML, escaped) {
			t.Errorf("html lacks %q as text:\n%s", escaped, r.HTML)
		}
	}
	if !strings.Contains(r.Text, "Hi <script>alert(1)</script>,") {
		t.Errorf("the text part should carry the name as written:\n%s", r.Text)
	}
}

func TestUnknownKind(t *testing.T) {
	for _, kind := range []string{"", "shipped", "ORDER_SHIPPED"} {
		if _, err := Render(Data{Kind: kind, OrderNumber: "1042"}); err == nil || !strings.Contains(err.Error(), "unknown kind") {
			t.Errorf("kind %q: err %v", kind, err)
		}
	}
}

// TestCurrency: a message that shows amounts refuses a currency that is not one (its amounts would
// be scaled by a guess); a message without amounts does not need one.
func TestCurrency(t *testing.T) {
	for _, kind := range []string{"ORDER_CONFIRMED", "REFUND_ISSUED"} {
		d := full(kind, English)
		d.Currency = "baht"
		if _, err := Render(d); err == nil {
			t.Errorf("%s rendered amounts in %q", kind, d.Currency)
		}
	}
	d := full("SHIPPED", English)
	d.Currency = ""
	if _, err := Render(d); err != nil {
		t.Errorf("SHIPPED needs no currency: %v", err)
	}
}

// TestContent: what each kind says, by the data it is given (English text part; the other locales
// say the same through the same view).
func TestContent(t *testing.T) {
	cases := []struct {
		name   string
		kind   string
		edit   func(*Data)
		want   []string
		absent []string
	}{
		{"confirmed: lines, total, dates", "ORDER_CONFIRMED", nil,
			[]string{"Your order #1042 is confirmed", "- 2 × Cotton tee (TEE-M)  ฿1,000.00", "- 1 × Cap (CAP)  ฿250.00", "Total: ฿1,250.00", "Expected by: 9 December 2026", "Order date: 1 December 2026", "View your order: https://siam.example/orders/1042"}, nil},
		{"backordered with a date", "BACKORDERED", nil,
			[]string{"We expect them by 9 December 2026.", "Items on backorder", "- 2 × Cotton tee"}, []string{"as soon as we have a date"}},
		{"backordered without a date", "BACKORDERED", func(d *Data) { d.ExpectedBy = nil },
			[]string{"We will let you know as soon as we have a date."}, []string{"We expect them"}},
		{"allocated", "ALLOCATED", nil, []string{"back in stock", "preparing your order #1042"}, []string{"Tracking"}},
		{"shipped without a promise", "SHIPPED", func(d *Data) { d.ExpectedBy = nil },
			[]string{"Shipment: SO-7KX2M9QD-1", "Tracking number: KEX0001"}, []string{"Expected by"}},
		{"parcel without carrier or link", "SHIPPED", func(d *Data) { d.Parcels = []Parcel{{TrackingNumber: "ONLY123"}} },
			[]string{"Tracking number: ONLY123"}, []string{"Carrier:", "Track parcel:"}},
		{"delayed: new date and previous promise", "DELAYED", nil,
			[]string{"It is now expected by 9 December 2026.", "We had expected it by 5 December 2026.", "Reason: Out of stock"}, nil},
		{"delayed without a previous promise", "DELAYED", func(d *Data) { d.PreviousPromise = nil; d.Reason = "" },
			[]string{"It is now expected by 9 December 2026."}, []string{"We had expected", "Reason"}},
		{"delayed without a new date", "DELAYED", func(d *Data) { d.ExpectedBy = nil },
			[]string{"We will let you know the new date"}, []string{"now expected by"}},
		{"ready for pickup", "READY_FOR_PICKUP", nil,
			[]string{"Store: Siam Square", "Address: Rama I Rd, Pathum Wan, Bangkok 10330", "We will keep it for you until 14 December 2026."}, nil},
		{"pickup expiring", "PICKUP_EXPIRING", nil, []string{"Store: Siam Square", "Please collect it by 14 December 2026."}, nil},
		{"return approved with a label", "RETURN_APPROVED", nil,
			[]string{"Return: RMA-7KX2M9QD-1", "Your return label is attached"}, nil},
		{"return approved without a label", "RETURN_APPROVED", func(d *Data) { d.ReturnLabelAttached = false },
			[]string{"Return: RMA-7KX2M9QD-1"}, []string{"return label"}},
		{"return received", "RETURN_RECEIVED", nil, []string{"Return: RMA-7KX2M9QD-1", "We have received the items"}, nil},
		{"refund", "REFUND_ISSUED", nil, []string{"We have refunded ฿250.00 for order #1042."}, nil},
		{"cancelled with reason and lines", "CANCELLED", nil,
			[]string{"Your order #1042 has been cancelled.", "Reason: Out of stock", "Cancelled items", "- 1 × Cap (CAP)"}, []string{"฿"}},
		{"lines cancelled", "LINES_CANCELLED", func(d *Data) { d.Reason = "" },
			[]string{"- 1 × Cap (CAP)", "The rest of your order is not affected."}, []string{"Reason"}},
		{"no name: a greeting without one", "SHIPPED", func(d *Data) { d.CustomerName = " " }, []string{"Hello,"}, []string{"Hi"}},
		{"a '#' in the order number is not doubled", "SHIPPED", func(d *Data) { d.OrderNumber = "#1042" }, []string{"Order: #1042"}, nil},
		{"unsupported locale falls back to English", "SHIPPED", func(d *Data) { d.Locale = "fr" }, []string{"Your order #1042 has shipped"}, nil},
		{"no support email, no brand: no such footer lines", "SHIPPED", func(d *Data) { d.Brand = Brand{} },
			[]string{"Unsubscribe: https://ordo.example/unsubscribe/tok123"}, []string{"Questions?", "You are receiving"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := full(tc.kind, English)
			if tc.edit != nil {
				tc.edit(&d)
			}
			r, err := Render(d)
			if err != nil {
				t.Fatal(err)
			}
			all := r.Subject + "\n" + r.Text
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("lacks %q:\n%s", w, all)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(all, a) {
					t.Errorf("has %q:\n%s", a, all)
				}
			}
		})
	}
}

// TestSubjectOneLine: nothing in the data can break the subject over lines (a mail header).
func TestSubjectOneLine(t *testing.T) {
	d := full("SHIPPED", English)
	d.OrderNumber = "1042\r\nBcc: x@example.com"
	r, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(r.Subject, "\r\n") {
		t.Fatalf("subject %q", r.Subject)
	}
}

func BenchmarkRender(b *testing.B) {
	d := full("ORDER_CONFIRMED", Thai)
	for b.Loop() {
		if _, err := Render(d); err != nil {
			b.Fatal(err)
		}
	}
}
