package customers_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/customers"
	"github.com/ordo-oms/ordo/ent/customeridentity"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

func TestEmail(t *testing.T) {
	tests := []struct {
		in, want string
		masked   bool
	}{
		{in: "  Ann@Example.COM ", want: "ann@example.com"},
		{in: ""},
		{in: "not an email"},
		{in: "@example.com"},
		{in: "ann@"},
		{in: "a@b@c.com"},
		{in: "a b@c.com"},
		{in: strings.Repeat("a", 250) + "@example.com"},
		// Shopee, Lazada and TikTok Shop mask or relay their buyers' addresses (channels.md, fixtures).
		{in: "********oo@shopee.com", masked: true},
		{in: "j****@gmail.com", masked: true},
		{in: "****@gmail.com", masked: true},
		{in: "buyer123@lazada.co.th", masked: true},
		{in: "x@mail.shopee.vn", masked: true},
		{in: "v6x2k9@scs.tiktokw.us", masked: true},
		{in: "a@chat.seller.tiktok.com", masked: true},
		{in: "relay123@marketplace.facebook.com", masked: true},
		// Lookalikes are real addresses.
		{in: "me@shopeelover.com", want: "me@shopeelover.com"},
		{in: "lazada@gmail.com", want: "lazada@gmail.com"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, masked := customers.Email(tc.in)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.masked, masked)
		})
	}
}

func TestPhone(t *testing.T) {
	tests := []struct {
		in, country, want string
		masked            bool
	}{
		{in: "081-234-5678", country: "TH", want: "+66812345678"},
		{in: "02 123 4567", country: "TH", want: "+6621234567"},
		{in: "+66 81 234 5678", country: "VN", want: "+66812345678"}, // international: the country does not matter
		{in: "0066812345678", country: "", want: "+66812345678"},
		{in: "66812345678", country: "TH", want: "+66812345678"},
		{in: "812345678", country: "TH", want: "+66812345678"},
		{in: "+66 (0)81 234 5678", want: "+66812345678"},
		{in: "(+62)81234567890", want: "+6281234567890"},
		{in: "0812-3456-7890", country: "ID", want: "+6281234567890"},
		{in: "0912 345 678", country: "vn", want: "+84912345678"},
		{in: "012-345 6789", country: "MY", want: "+60123456789"},
		{in: "0917 123 4567", country: "PH", want: "+639171234567"},
		{in: "9123 4567", country: "SG", want: "+6591234567"},
		{in: "+65 9123 4567", want: "+6591234567"},
		{in: "+1 415 555 0100", want: "+14155550100"},
		// Implausible: too short or long for the country, letters, a national number of an unknown country.
		{in: "0812", country: "TH"},
		{in: "081234567890123", country: "TH"},
		{in: "+66 81", country: "TH"},
		{in: "+65 9123 45678"},
		{in: "081-CALL-NOW", country: "TH"},
		{in: "0812345678", country: "US"},
		{in: "0812345678", country: ""},
		{in: "+1234"},
		{in: "++66812345678"},
		{in: "+66 8" + strings.Repeat(" ", 70) + "12345678"}, // too long to be a phone, whatever its digits
		{in: ""},
		// Masked by the marketplace: no identity.
		{in: "66*****89", country: "TH", masked: true},
		{in: "*****123", country: "TH", masked: true},
		{in: "(+62)812****678", country: "ID", masked: true},
		{in: "(+1)213-***-1234", masked: true},
	}
	for _, tc := range tests {
		t.Run(tc.in+"/"+tc.country, func(t *testing.T) {
			got, masked := customers.Phone(tc.in, tc.country)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.masked, masked)
		})
	}
}

func TestKeys(t *testing.T) {
	shopee := pulid.ID("chn_SHOPEE")
	tests := []struct {
		name string
		in   customers.Buyer
		want []customers.Key
	}{
		{name: "a masked Shopee buyer is known by the buyer id only",
			in:   customers.Buyer{ChannelID: &shopee, BuyerID: " 12345 ", Email: "****@gmail.com", EmailVerified: true, Phone: "66*****89", Country: "TH"},
			want: []customers.Key{{Kind: customeridentity.KindCHANNEL_BUYER, Value: "chn_SHOPEE:12345", Verified: true}}},
		{name: "a verified email and a phone",
			in: customers.Buyer{Email: "Ann@Example.com", EmailVerified: true, Phone: "0812345678", Country: "TH"},
			want: []customers.Key{{Kind: customeridentity.KindEMAIL, Value: "ann@example.com", Verified: true},
				{Kind: customeridentity.KindPHONE, Value: "+66812345678"}}},
		{name: "an unverified email is no identity",
			in:   customers.Buyer{Email: "ann@example.com", Phone: "+66812345678"},
			want: []customers.Key{{Kind: customeridentity.KindPHONE, Value: "+66812345678"}}},
		{name: "a buyer id without its channel is no identity", in: customers.Buyer{BuyerID: "12345"}},
		{name: "nothing", in: customers.Buyer{Name: "Ann"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, customers.Keys(tc.in))
		})
	}
}

func TestChoose(t *testing.T) {
	a, b, c := pulid.ID("cus_A"), pulid.ID("cus_B"), pulid.ID("cus_C")
	m := func(k customeridentity.Kind, id pulid.ID) customers.Match {
		return customers.Match{Kind: k, Customer: id}
	}
	tests := []struct {
		name   string
		found  []customers.Match
		want   pulid.ID
		others []pulid.ID
		ok     bool
	}{
		{name: "nothing found: a new buyer"},
		{name: "one customer", found: []customers.Match{m(customeridentity.KindPHONE, a)}, want: a, ok: true},
		{name: "all agree", found: []customers.Match{m(customeridentity.KindEMAIL, a), m(customeridentity.KindPHONE, a)}, want: a, ok: true},
		{name: "email says A, phone says B: the email wins, B is a possible duplicate",
			found: []customers.Match{m(customeridentity.KindPHONE, b), m(customeridentity.KindEMAIL, a)}, want: a, others: []pulid.ID{b}, ok: true},
		{name: "the buyer id beats both",
			found: []customers.Match{m(customeridentity.KindPHONE, b), m(customeridentity.KindEMAIL, a), m(customeridentity.KindCHANNEL_BUYER, c)},
			want:  c, others: []pulid.ID{b, a}, ok: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, others, ok := customers.Choose(tc.found)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
			require.Equal(t, tc.others, others)
		})
	}
}

func TestMasked(t *testing.T) {
	for addr, want := range map[string]bool{
		"ann@example.com":                     false,
		"Ann.Lee@Gmail.com":                   false,
		"n8miblde3i@marketplace.facebook.com": true,
		"x1@scs.tiktokw.us":                   true,
		"x1@us.tiktokw.us":                    true,
		"x1@tiktokw.us":                       true,
		"buyer@chat.seller.tiktok.com":        true,
		"buyer@tiktok.com":                    false,
		"abc123@buyer.lazada.co.th":           true,
		"abc@shopee.co.id":                    true,
		"a****@gmail.com":                     true,
		"+66****5678":                         true,
		"+66812345678":                        false,
		"someone@notshopee.com":               false,
	} {
		require.Equal(t, want, customers.Masked(addr), addr)
	}
}
