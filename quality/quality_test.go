package quality_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/quality"
)

// good is a plausible T-shirt with every attribute.
func good() quality.Facts {
	return quality.Facts{SKU: "TEE", WeightGrams: 200, LengthMM: 300, WidthMM: 250, HeightMM: 20,
		Barcode: "4006381333931", HSCode: "6109.10", CountryOfOrigin: "TH"}
}

func with(f func(*quality.Facts)) quality.Facts {
	v := good()
	f(&v)
	return v
}

type found struct {
	a quality.Attribute
	k quality.Kind
}

func TestCheck(t *testing.T) {
	all := quality.DefaultRule().Needs(true)
	part := func(grams, q int) quality.Part {
		return quality.Part{Facts: quality.Facts{SKU: "P", WeightGrams: grams, LengthMM: 100, WidthMM: 100, HeightMM: 10}, Quantity: q}
	}
	cases := []struct {
		name  string
		need  []quality.Attribute
		v     quality.Facts
		parts []quality.Part
		want  []found
	}{
		{"complete", all, good(), nil, nil},
		{"missing weight", all, with(func(v *quality.Facts) { v.WeightGrams, v.LengthMM, v.WidthMM, v.HeightMM = 0, 0, 0, 0 }), nil,
			[]found{{quality.Weight, quality.Missing}, {quality.Dimensions, quality.Missing}}},
		{"zero weight with dimensions", all, with(func(v *quality.Facts) { v.WeightGrams = 0 }), nil, []found{{quality.Weight, quality.Implausible}}},
		{"negative weight", all, with(func(v *quality.Facts) { v.WeightGrams = -5 }), nil, []found{{quality.Weight, quality.Implausible}}},
		{"no weight, not required", []quality.Attribute{quality.Dimensions}, with(func(v *quality.Facts) { v.WeightGrams = 0 }), nil, nil},
		{"missing dimensions", all, with(func(v *quality.Facts) { v.LengthMM, v.WidthMM, v.HeightMM = 0, 0, 0 }), nil, []found{{quality.Dimensions, quality.Missing}}},
		{"incomplete dimensions", all, with(func(v *quality.Facts) { v.HeightMM = 0 }), nil, []found{{quality.Dimensions, quality.Missing}}},
		{"2 m phone case", all, with(func(v *quality.Facts) { v.WeightGrams, v.LengthMM, v.WidthMM, v.HeightMM = 80, 2000, 80, 10 }), nil,
			[]found{{quality.Dimensions, quality.Implausible}}},
		{"1.5 m and light is still fine", all, with(func(v *quality.Facts) { v.WeightGrams, v.LengthMM, v.WidthMM, v.HeightMM = 900, 1500, 80, 80 }), nil, nil},
		{"2 m and heavy is a ladder", all, with(func(v *quality.Facts) { v.WeightGrams, v.LengthMM, v.WidthMM, v.HeightMM = 6000, 2000, 400, 80 }), nil, nil},
		{"kilograms typed as grams: too light", all, with(func(v *quality.Facts) { v.WeightGrams, v.LengthMM, v.WidthMM, v.HeightMM = 2, 500, 400, 300 }), nil,
			[]found{{quality.Weight, quality.Implausible}}},
		{"denser than lead", all, with(func(v *quality.Facts) { v.WeightGrams, v.LengthMM, v.WidthMM, v.HeightMM = 50000, 100, 100, 100 }), nil,
			[]found{{quality.Weight, quality.Implausible}}},
		{"bundle within tolerance", all, with(func(v *quality.Facts) { v.WeightGrams = 440 }), []quality.Part{part(200, 2)}, nil},
		{"bundle heavier than its parts", all, with(func(v *quality.Facts) { v.WeightGrams = 441 }), []quality.Part{part(200, 2)},
			[]found{{quality.Weight, quality.Implausible}}},
		{"bundle lighter than its parts", all, with(func(v *quality.Facts) { v.WeightGrams = 399 }), []quality.Part{part(200, 2)},
			[]found{{quality.Weight, quality.Implausible}}},
		{"bundle without its own weight or size", all, with(func(v *quality.Facts) { v.WeightGrams, v.LengthMM, v.WidthMM, v.HeightMM = 0, 0, 0, 0 }),
			[]quality.Part{part(200, 2)}, nil},
		{"bundle with a part of unknown weight", all, with(func(v *quality.Facts) { v.WeightGrams = 5000 }), []quality.Part{part(0, 1)}, nil},
		{"bad HS code", all, with(func(v *quality.Facts) { v.HSCode = "6109" }), nil, []found{{quality.HSCode, quality.Implausible}}},
		{"HS code with letters", all, with(func(v *quality.Facts) { v.HSCode = "61091A" }), nil, []found{{quality.HSCode, quality.Implausible}}},
		{"HS code too long", all, with(func(v *quality.Facts) { v.HSCode = "12345678901" }), nil, []found{{quality.HSCode, quality.Implausible}}},
		{"missing HS code across borders", all, with(func(v *quality.Facts) { v.HSCode = "" }), nil, []found{{quality.HSCode, quality.Missing}}},
		{"missing HS code at home", quality.DefaultRule().Needs(false), with(func(v *quality.Facts) { v.HSCode = "" }), nil, nil},
		{"bad check digit", all, with(func(v *quality.Facts) { v.Barcode = "4006381333932" }), nil, []found{{quality.Barcode, quality.Implausible}}},
		{"missing barcode when required", []quality.Attribute{quality.Barcode}, with(func(v *quality.Facts) { v.Barcode = "" }), nil,
			[]found{{quality.Barcode, quality.Missing}}},
		{"country not ISO", all, with(func(v *quality.Facts) { v.CountryOfOrigin = "XX" }), nil, []found{{quality.CountryOfOrigin, quality.Implausible}}},
		{"country lower case", all, with(func(v *quality.Facts) { v.CountryOfOrigin = "th" }), nil, []found{{quality.CountryOfOrigin, quality.Implausible}}},
		{"missing country across borders", all, with(func(v *quality.Facts) { v.CountryOfOrigin = "" }), nil,
			[]found{{quality.CountryOfOrigin, quality.Missing}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []found
			for _, i := range quality.Check(c.need, c.v, c.parts) {
				require.Equal(t, c.v.SKU, i.SKU)
				require.NotEmpty(t, i.Message)
				got = append(got, found{i.Attribute, i.Kind})
			}
			require.Equal(t, c.want, got)
		})
	}
}

func TestValidGTIN(t *testing.T) {
	for s, want := range map[string]bool{
		"4006381333931": true, "4006381333932": false, "036000291452": true, "036000291453": false,
		"96385074": true, "96385075": false, "10012345678902": true, "": false, "12345": false, "40063813339a1": false,
	} {
		require.Equal(t, want, quality.ValidGTIN(s), s)
	}
}

func TestRule(t *testing.T) {
	require.NoError(t, quality.DefaultRule().Validate())
	require.Error(t, quality.Rule{Required: []quality.Attribute{"COLOUR"}}.Validate())
	require.Error(t, quality.Rule{CrossBorderRequired: []quality.Attribute{quality.HSCode, quality.HSCode}}.Validate())
	require.Equal(t, []quality.Attribute{quality.Weight, quality.Dimensions}, quality.DefaultRule().Needs(false))
	require.Equal(t, []quality.Attribute{quality.Weight, quality.Dimensions, quality.HSCode, quality.CountryOfOrigin}, quality.DefaultRule().Needs(true))
}

func TestFlagRoundTrip(t *testing.T) {
	i := quality.Issue{SKU: "PHONE-CASE-1", Attribute: quality.Dimensions, Kind: quality.Missing, Message: "no dimensions"}
	require.Equal(t, "PHONE-CASE-1: no dimensions", i.Flag())
	require.Equal(t, quality.Flag{SKU: "PHONE-CASE-1", Message: "no dimensions"}, quality.ParseFlag(i.Flag()))
	require.True(t, i.Packing())
	require.False(t, quality.Issue{Attribute: quality.HSCode}.Packing())
}

func TestGTIN(t *testing.T) {
	for in, want := range map[string]string{
		"96385074": "00000096385074", "012345678905": "00012345678905", "4006381333931": "04006381333931",
		"10012345678902": "10012345678902", "123": "", "": "", "12345678901A": "", "123456789": "",
	} {
		require.Equal(t, want, quality.GTIN(in), in)
	}
}
