package listings

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

func testIndex() *Index {
	return NewIndex([]Variant{
		{ID: "sku_tee_r_m", SKU: "TEE-RED-M", Name: "Red / M", ProductID: "prd_tee", ProductName: "Classic Tee", Options: map[string]string{"Color": "Red", "Size": "M"}, Barcode: "4006381333931"},
		{ID: "sku_tee_r_l", SKU: "TEE-RED-L", Name: "Red / L", ProductID: "prd_tee", ProductName: "Classic Tee", Options: map[string]string{"Color": "Red", "Size": "L"}, Barcode: "4006381333948"},
		{ID: "sku_mug", SKU: "mug.blue", Name: "Blue mug", ProductID: "prd_mug", ProductName: "Mug", Barcode: "012345678905"},
		// Two SKUs that normalise alike: AB-12 and ab_12.
		{ID: "sku_ab1", SKU: "AB-12", Name: "Widget", ProductID: "prd_w", ProductName: "Widget"},
		{ID: "sku_ab2", SKU: "ab_12", Name: "Widget old", ProductID: "prd_w", ProductName: "Widget"},
		// Two variants sharing a barcode (a data error the matcher must not paper over).
		{ID: "sku_dup1", SKU: "CAP-1", Name: "Cap", ProductID: "prd_cap", ProductName: "Cap", Barcode: "96385074"},
		{ID: "sku_dup2", SKU: "CAP-2", Name: "Cap", ProductID: "prd_cap", ProductName: "Cap", Barcode: "0000096385074"},
		{ID: "sku_set", SKU: "GIFT-SET", Name: "Gift set", ProductID: "prd_set", ProductName: "Gift set", Components: map[string]int{"TEE-RED-M": 1, "mug.blue": 2}},
		{ID: "sku_sock", SKU: "SOCK-BLK-42", Name: "Black 42", ProductID: "prd_sock", ProductName: "Wool socks", Options: map[string]string{"Color": "Black"}},
		{ID: "sku_sock2", SKU: "SOCK-BLK-43", Name: "Black 43", ProductID: "prd_sock", ProductName: "Wool socks", Options: map[string]string{"Color": "Black"}},
	})
}

func TestMatch(t *testing.T) {
	ix := testIndex()
	for _, tc := range []struct {
		name    string
		item    Item
		want    pulid.ID
		reason  Reason
		suggest []pulid.ID // the first suggestions, in order
	}{
		{"exact SKU", Item{SellerSKU: "TEE-RED-M"}, "sku_tee_r_m", ExactSKU, nil},
		{"exact SKU with spaces around", Item{SellerSKU: "  TEE-RED-L "}, "sku_tee_r_l", ExactSKU, nil},
		{"exact wins over a normalised tie", Item{SellerSKU: "AB-12"}, "sku_ab1", ExactSKU, nil},
		{"normalised: case and separators", Item{SellerSKU: "tee red m"}, "sku_tee_r_m", NormalisedSKU, nil},
		{"normalised: dots and slashes", Item{SellerSKU: "MUG/BLUE"}, "sku_mug", NormalisedSKU, nil},
		{"normalised tie is ambiguous", Item{SellerSKU: "Ab.12"}, "", Ambiguous, []pulid.ID{"sku_ab1", "sku_ab2"}},
		{"barcode: EAN-13", Item{SellerSKU: "X", Barcode: "4006381333931"}, "sku_tee_r_m", Barcode, nil},
		{"barcode: GTIN-14 of a UPC-A", Item{Barcode: "00012345678905"}, "sku_mug", Barcode, nil},
		{"barcode: dashes and spaces dropped", Item{Barcode: "0-12345 678905"}, "sku_mug", Barcode, nil},
		{"barcode settles a normalised tie", Item{SellerSKU: "ab 12", Barcode: "012345678905"}, "sku_mug", Barcode, nil},
		{"barcode shared by two variants is ambiguous", Item{Barcode: "96385074"}, "", Ambiguous, []pulid.ID{"sku_dup1", "sku_dup2"}},
		{"barcode of a wrong length is no barcode", Item{Barcode: "12345"}, "", NoMatch, nil},
		{"barcode with letters is no barcode", Item{Barcode: "40063813339A1"}, "", NoMatch, nil},
		{"options pick one variant of the titled product", Item{Title: "Classic Tee - Red/L", Options: map[string]string{"color": "red", "SIZE": "L"}}, "sku_tee_r_l", Options, nil},
		{"options that pick two variants are not enough", Item{Title: "Wool Socks", Options: map[string]string{"Color": "Black"}}, "", NoMatch, nil},
		{"options without a titled product", Item{Title: "Something else", Options: map[string]string{"Color": "Red", "Size": "M"}}, "", NoMatch, nil},
		{"options that pick no variant", Item{Title: "Classic Tee", Options: map[string]string{"Color": "Green", "Size": "M"}}, "", NoMatch, []pulid.ID{}},
		{"a one-variant product by its whole title", Item{Title: "Mug"}, "sku_mug", Options, nil},
		{"a one-variant product's title with an unknown SKU is another article", Item{SellerSKU: "MUG-2019", Title: "Mug"}, "", NoMatch, nil},
		{"a title that only contains a product's name is not enough without options", Item{Title: "Mug warmer"}, "", NoMatch, nil},
		{"a title naming a product of several variants is not enough without options", Item{Title: "Classic Tee"}, "", NoMatch, nil},
		{"bundle by its components", Item{Title: "Set", Components: []string{"mug-blue*2", "TEE-RED-M"}}, "sku_set", Bundle, nil},
		{"bundle with other quantities is not it", Item{Components: []string{"mug.blue*1", "TEE-RED-M"}}, "", NoMatch, nil},
		{"bundle with a bad quantity is not read", Item{Components: []string{"mug.blue*x"}}, "", NoMatch, nil},
		{"unknown SKU gets edit-distance suggestions", Item{SellerSKU: "TEE-RED-XL"}, "", NoMatch, []pulid.ID{"sku_tee_r_l"}},
		{"unknown SKU with a known prefix", Item{SellerSKU: "GIFT-SET-2024-XMAS"}, "", NoMatch, []pulid.ID{"sku_set"}},
		{"barcode prefix suggests", Item{Barcode: "4006381333900"}, "", NoMatch, []pulid.ID{"sku_tee_r_l", "sku_tee_r_m"}},
		{"title suggests", Item{Title: "Wool socks black 42"}, "", NoMatch, []pulid.ID{"sku_sock", "sku_sock2"}},
		{"nothing at all", Item{}, "", NoMatch, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ix.Match(tc.item)
			require.Equal(t, tc.want, m.VariantID)
			require.Equal(t, tc.reason, m.Reason)
			if m.Mapped() {
				require.Empty(t, m.Suggestions)
			}
			require.LessOrEqual(t, len(m.Suggestions), MaxSuggestions)
			if tc.suggest != nil {
				require.GreaterOrEqual(t, len(m.Suggestions), len(tc.suggest), "%+v", m.Suggestions)
				for i, id := range tc.suggest {
					require.Equal(t, id, m.Suggestions[i].VariantID, "suggestion %d of %+v", i, m.Suggestions)
				}
			} else if !m.Mapped() && tc.name == "nothing at all" {
				require.Empty(t, m.Suggestions)
			}
		})
	}
}

func TestAmbiguousSuggestionsNameTheirRule(t *testing.T) {
	m := testIndex().Match(Item{SellerSKU: "AB_12"})
	require.Equal(t, Ambiguous, m.Reason)
	require.Len(t, m.Suggestions, 2)
	for _, s := range m.Suggestions {
		require.Equal(t, string(NormalisedSKU), s.Reason)
		require.InDelta(t, 0.9, s.Score, 1e-9)
	}
}

func TestSuggestionsAreCapped(t *testing.T) {
	var vs []Variant
	for _, s := range []string{"A-100", "A-101", "A-102", "A-103", "A-104", "A-105", "A-106"} {
		vs = append(vs, Variant{ID: pulid.ID("sku_" + s), SKU: s, Name: s, ProductName: "P"})
	}
	m := NewIndex(vs).Match(Item{SellerSKU: "A-10"})
	require.Equal(t, NoMatch, m.Reason)
	require.Len(t, m.Suggestions, MaxSuggestions)
	for i := 1; i < len(m.Suggestions); i++ {
		require.GreaterOrEqual(t, m.Suggestions[i-1].Score, m.Suggestions[i].Score)
	}
}

func TestNormaliseSKU(t *testing.T) {
	for in, want := range map[string]string{"TEE-RED-M": "teeredm", " tee_red.m/ ": "teeredm", "Ab 12": "ab12", "": ""} {
		require.Equal(t, want, NormaliseSKU(in), in)
	}
}

func TestEditDistance(t *testing.T) {
	require.Equal(t, 0, editDistance("abc", "abc", 2))
	require.Equal(t, 1, editDistance("abc", "abd", 2))
	require.Equal(t, 2, editDistance("abc", "a", 2))
	require.Equal(t, 3, editDistance("abcdef", "uvwxyz", 2))
}
