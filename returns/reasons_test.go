package returns

import (
	"testing"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/returnreason"
	"github.com/ordo-oms/ordo/fault"
)

// catalogue is DefaultReasons as stored rows, in code order as Reasons loads them.
func catalogue() []*ent.ReturnReason {
	var out []*ent.ReturnReason
	for _, d := range DefaultReasons() {
		out = append(out, &ent.ReturnReason{Code: d.Code, Label: d.Label, ParentCode: d.ParentCode,
			DefaultDisposition: d.DefaultDisposition, ChannelCodes: channelCodes(d.ChannelCodes), Active: true})
	}
	return out
}

func TestDefaultReasons(t *testing.T) {
	seen := map[string]bool{}
	byKind := map[channel.Kind]map[string]string{}
	for _, d := range DefaultReasons() {
		if err := CheckReason(d); err != nil {
			t.Errorf("%s: %v", d.Code, err)
		}
		if seen[d.Code] {
			t.Errorf("%s twice", d.Code)
		}
		seen[d.Code] = true
		for k, codes := range d.ChannelCodes {
			if byKind[k] == nil {
				byKind[k] = map[string]string{}
			}
			for _, c := range codes {
				if other, dup := byKind[k][c]; dup {
					t.Errorf("%s code %s means both %s and %s", k, c, other, d.Code)
				}
				byKind[k][c] = d.Code
			}
		}
	}
	for _, d := range DefaultReasons() {
		if d.ParentCode != "" && !seen[d.ParentCode] {
			t.Errorf("%s: parent %s is not in the catalogue", d.Code, d.ParentCode)
		}
	}
	for _, code := range []string{"NOT_WANTED", "DEFECTIVE", "WRONG_ITEM", "NOT_AS_DESCRIBED", "SIZE_TOO_SMALL", "SIZE_TOO_LARGE",
		"DAMAGED_IN_TRANSIT", "MISSING_ITEM", ReasonCODRefused, ReasonCancelledAfterHandover, ReasonOther} {
		if !seen[code] {
			t.Errorf("the catalogue lacks %s", code)
		}
	}
	for _, r := range catalogue() {
		if r.Code == "DEFECTIVE" && r.DefaultDisposition != returnreason.DefaultDispositionDAMAGED {
			t.Errorf("DEFECTIVE suggests %s, want DAMAGED", r.DefaultDisposition)
		}
	}
	// Every value of Shopify's ReturnReason enum maps to a reason of its own or to OTHER on purpose.
	for _, v := range []string{"COLOR", "DEFECTIVE", "NOT_AS_DESCRIBED", "OTHER", "SIZE_TOO_LARGE", "SIZE_TOO_SMALL", "STYLE", "UNKNOWN", "UNWANTED", "WRONG_ITEM"} {
		if _, ok := byKind[channel.KindSHOPIFY][v]; !ok {
			t.Errorf("Shopify's %s is not mapped", v)
		}
	}
	for _, v := range []string{"NOT_RECEIPT", "WRONG_ITEM", "ITEM_DAMAGED", "DIFFERENT_DESCRIPTION", "MUTUAL_AGREE", "OTHER",
		"ITEM_WRONGDAMAGED", "CHANGE_MIND", "ITEM_MISSING", "EXPECTATION_FAILED", "ITEM_FAKE", "PHYSICAL_DMG", "FUNCTIONAL_DMG"} {
		if _, ok := byKind[channel.KindSHOPEE][v]; !ok {
			t.Errorf("Shopee's %s is not mapped", v)
		}
	}
}

func TestMapReason(t *testing.T) {
	rs := catalogue()
	inactive := catalogue()
	for _, r := range inactive {
		if r.Code == "SIZE_TOO_SMALL" {
			r.Active = false
		}
	}
	for _, tc := range []struct {
		name    string
		reasons []*ent.ReturnReason
		kind    channel.Kind
		code    string
		want    string
	}{
		{"Shopify enum", rs, channel.KindSHOPIFY, "SIZE_TOO_SMALL", "SIZE_TOO_SMALL"},
		{"Shopify webhook spelling", rs, channel.KindSHOPIFY, "size_too_small", "SIZE_TOO_SMALL"},
		{"Shopify colour is not wanted", rs, channel.KindSHOPIFY, "color", "NOT_WANTED"},
		{"Shopify unknown", rs, channel.KindSHOPIFY, "UNKNOWN", "OTHER"},
		{"Shopee change of mind", rs, channel.KindSHOPEE, "CHANGE_MIND", "NOT_WANTED"},
		{"Shopee physical damage", rs, channel.KindSHOPEE, "PHYSICAL_DMG", "DAMAGED_IN_TRANSIT"},
		{"Shopee functional damage", rs, channel.KindSHOPEE, "FUNCTIONAL_DMG", "DEFECTIVE"},
		{"Shopee not received", rs, channel.KindSHOPEE, "NOT_RECEIPT", "MISSING_ITEM"},
		{"Shopee fake", rs, channel.KindSHOPEE, "ITEM_FAKE", "NOT_AS_DESCRIBED"},
		{"TikTok wrong item", rs, channel.KindTIKTOK_SHOP, "ecom_order_delivered_refund_and_return_reason_wrong_item", "WRONG_ITEM"},
		{"TikTok no longer needed", rs, channel.KindTIKTOK_SHOP, "ecom_order_delivered_refund_and_return_reason_no_longer_needed_new", "NOT_WANTED"},
		{"TikTok damaged", rs, channel.KindTIKTOK_SHOP, "ecom_order_delivered_refund_and_return_reason_damaged", "DAMAGED_IN_TRANSIT"},
		{"a code of another channel", rs, channel.KindTIKTOK_SHOP, "CHANGE_MIND", "OTHER"},
		{"unknown code", rs, channel.KindSHOPEE, "SOMETHING_NEW", "OTHER"},
		{"empty code", rs, channel.KindSHOPEE, "  ", "OTHER"},
		{"Lazada has no defaults", rs, channel.KindLAZADA, "10001", "OTHER"},
		{"an inactive reason is not mapped to", inactive, channel.KindSHOPIFY, "SIZE_TOO_SMALL", "OTHER"},
		{"spaces around", rs, channel.KindSHOPEE, " WRONG_ITEM ", "WRONG_ITEM"},
		{"no catalogue", nil, channel.KindSHOPEE, "WRONG_ITEM", "OTHER"},
	} {
		if got := MapReason(tc.reasons, tc.kind, tc.code); got != tc.want {
			t.Errorf("%s: MapReason(%s, %q) = %s, want %s", tc.name, tc.kind, tc.code, got, tc.want)
		}
	}
}

func TestChannelReason(t *testing.T) {
	rs := catalogue()
	for _, tc := range []struct {
		kind   channel.Kind
		code   string
		want   string
		wantOK bool
	}{
		{channel.KindSHOPIFY, "WRONG_ITEM", "WRONG_ITEM", true},
		{channel.KindSHOPEE, "NOT_WANTED", "CHANGE_MIND", true},
		{channel.KindSHOPEE, "SIZE_TOO_SMALL", "CHANGE_MIND", true}, // from its parent
		{channel.KindSHOPEE, "DAMAGED_IN_TRANSIT", "ITEM_DAMAGED", true},
		{channel.KindSHOPEE, ReasonCODRefused, "OTHER", true}, // OTHER's code
		{channel.KindSHOPEE, "NO_SUCH_REASON", "OTHER", true},
		{channel.KindTIKTOK_SHOP, "SIZE_TOO_LARGE", "ecom_order_delivered_refund_and_return_reason_no_longer_needed_new", true},
		{channel.KindTIKTOK_SHOP, "NOT_AS_DESCRIBED", "", false}, // neither it nor OTHER has a TikTok code
		{channel.KindLAZADA, "WRONG_ITEM", "", false},
	} {
		got, ok := ChannelReason(rs, tc.kind, tc.code)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("ChannelReason(%s, %s) = %q, %v; want %q, %v", tc.kind, tc.code, got, ok, tc.want, tc.wantOK)
		}
	}
	// A cycle in stored data (set before a check existed) ends instead of looping.
	loop := []*ent.ReturnReason{{Code: "A", ParentCode: "B", Active: true}, {Code: "B", ParentCode: "A", Active: true}}
	if got, ok := ChannelReason(loop, channel.KindSHOPEE, "A"); ok {
		t.Errorf("ChannelReason on a cycle = %q, true", got)
	}
}

func TestCheckReason(t *testing.T) {
	ok := ReasonInput{Code: "GIFT_RETURN", Label: "Gift return", ChannelCodes: map[channel.Kind][]string{channel.KindLAZADA: {"10023"}}}
	if err := CheckReason(ok); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	for name, edit := range map[string]func(*ReasonInput){
		"lower case code":     func(in *ReasonInput) { in.Code = "gift" },
		"one letter":          func(in *ReasonInput) { in.Code = "G" },
		"no label":            func(in *ReasonInput) { in.Label = " " },
		"own parent":          func(in *ReasonInput) { in.ParentCode = in.Code },
		"bad parent":          func(in *ReasonInput) { in.ParentCode = "not a code" },
		"unknown disposition": func(in *ReasonInput) { in.DefaultDisposition = "BROKEN" },
		"unknown channel":     func(in *ReasonInput) { in.ChannelCodes = map[channel.Kind][]string{"EBAY": {"X"}} },
		"empty channel code":  func(in *ReasonInput) { in.ChannelCodes = map[channel.Kind][]string{channel.KindSHOPEE: {""}} },
	} {
		in := ok
		edit(&in)
		if err := CheckReason(in); fault.CodeOf(err) != fault.InvalidArgument {
			t.Errorf("%s: err = %v, want INVALID_ARGUMENT", name, err)
		}
	}
}

func TestCyclic(t *testing.T) {
	for _, tc := range []struct {
		parents map[string]string
		code    string
		want    bool
	}{
		{map[string]string{"A": ""}, "A", false},
		{map[string]string{"A": "B", "B": ""}, "A", false},
		{map[string]string{"A": "B", "B": "A"}, "A", true},
		{map[string]string{"A": "B", "B": "C", "C": "B"}, "A", true},
		{map[string]string{"A": "MISSING"}, "A", false},
	} {
		if got := cyclic(tc.parents, tc.code); got != tc.want {
			t.Errorf("cyclic(%v, %s) = %v, want %v", tc.parents, tc.code, got, tc.want)
		}
	}
}

func TestChannelCodes(t *testing.T) {
	got := channelCodes(map[channel.Kind][]string{channel.KindSHOPEE: {" A ", "A", "B"}, channel.KindLAZADA: {}})
	if len(got) != 1 || len(got["SHOPEE"]) != 2 || got["SHOPEE"][0] != "A" || got["SHOPEE"][1] != "B" {
		t.Errorf("channelCodes = %v", got)
	}
}
