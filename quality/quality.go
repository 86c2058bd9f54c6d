// Package quality decides whether a SKU's product data is fit for fulfilment: which attributes the
// catalogue rule requires (weight and dimensions for packing and rates; HS code and country of
// origin across borders), which of them are missing, and which values are implausible (a zero
// weight, a 2 m tall phone case, a bundle heavier than its parts, a barcode failing its check
// digit). It is pure: the store's shell is in catalog (the report, the rule) and dispatch (flagging
// orders).
package quality

import (
	"fmt"
	"slices"
	"strings"
)

// Attribute is a piece of product data fulfilment may need.
type Attribute string

// The attributes a rule may require.
const (
	Weight          Attribute = "WEIGHT"
	Dimensions      Attribute = "DIMENSIONS"
	Barcode         Attribute = "BARCODE"
	HSCode          Attribute = "HS_CODE"
	CountryOfOrigin Attribute = "COUNTRY_OF_ORIGIN"
)

// Attributes are all the attributes, in the order reports list them.
var Attributes = []Attribute{Weight, Dimensions, Barcode, HSCode, CountryOfOrigin}

// Kind says what is wrong with an attribute.
type Kind string

// The kinds of issue.
const (
	// Missing: the rule requires the attribute and the SKU has none.
	Missing Kind = "MISSING"
	// Implausible: the SKU has a value that cannot be right.
	Implausible Kind = "IMPLAUSIBLE"
)

// Thresholds of plausibility. They catch data-entry slips (grams typed as kilograms, centimetres as
// millimetres), not unusual products: each is far from any real parcel.
const (
	// LongSideMM and LightGrams: a side longer than 1.5 m on an item lighter than 1 kg is a slip
	// (a 2 m tall phone case), not a product.
	LongSideMM = 1500
	LightGrams = 1000
	// MinDensity and MaxDensity (kg/m³) bound the weight per volume of a packed item: below 5 is
	// lighter than expanded polystyrene, above 20,000 is denser than gold and lead.
	MinDensity = 5
	MaxDensity = 20000
	// BundleTolerancePct is how much heavier than the sum of its parts a bundle may be (its own
	// packaging); a bundle lighter than its parts is never right.
	BundleTolerancePct = 10
	// MinHSDigits and MaxHSDigits bound an HS code: 6 digits of the international Harmonized System,
	// up to 10 with a country's own subdivisions.
	MinHSDigits = 6
	MaxHSDigits = 10
)

// Rule is which attributes fulfilment requires of every SKU, and of SKUs shipped across borders.
type Rule struct {
	Required            []Attribute
	CrossBorderRequired []Attribute
}

// DefaultRule is the rule while none is stored: weight and dimensions for packing and rates, HS
// code and country of origin for customs.
func DefaultRule() Rule {
	return Rule{Required: []Attribute{Weight, Dimensions}, CrossBorderRequired: []Attribute{HSCode, CountryOfOrigin}}
}

// Validate refuses unknown or repeated attributes.
func (r Rule) Validate() error {
	for name, list := range map[string][]Attribute{"required": r.Required, "crossBorderRequired": r.CrossBorderRequired} {
		seen := map[Attribute]bool{}
		for _, a := range list {
			if !slices.Contains(Attributes, a) {
				return fmt.Errorf("%s: %q is not an attribute (%v)", name, a, Attributes)
			}
			if seen[a] {
				return fmt.Errorf("%s: %s is listed twice", name, a)
			}
			seen[a] = true
		}
	}
	return nil
}

// Needs is the attributes required of a SKU shipped within its origin's country, or also across a
// border when crossBorder is true.
func (r Rule) Needs(crossBorder bool) []Attribute {
	out := slices.Clone(r.Required)
	if crossBorder {
		for _, a := range r.CrossBorderRequired {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// Facts are a SKU's product data as checked.
type Facts struct {
	SKU                         string
	WeightGrams                 int
	LengthMM, WidthMM, HeightMM int
	Barcode                     string
	HSCode                      string
	CountryOfOrigin             string
}

// Part is a component of a bundle and how many of it the bundle holds.
type Part struct {
	Facts
	Quantity int
}

// Issue is one thing wrong with a SKU's data.
type Issue struct {
	SKU       string
	Attribute Attribute
	Kind      Kind
	Message   string
}

// Packing reports whether the issue would make packing guess (a weight or dimensions it cannot
// trust), as opposed to one that matters later (customs data for the label, a barcode).
func (i Issue) Packing() bool { return i.Attribute == Weight || i.Attribute == Dimensions }

// Flag is the issue as an order keeps it: "PHONE-CASE-1: no dimensions".
func (i Issue) Flag() string { return i.SKU + ": " + i.Message }

// Flag is an order's flag read back: the SKU and what its data lacks.
type Flag struct {
	SKU     string
	Message string
}

// ParseFlag reads a flag as Issue.Flag wrote it.
func ParseFlag(s string) Flag {
	sku, msg, _ := strings.Cut(s, ": ")
	return Flag{SKU: sku, Message: msg}
}

// Check lists what is wrong with v's data under the attributes in need (Rule.Needs): each needed
// attribute it lacks (MISSING), and each value it has that cannot be right (IMPLAUSIBLE), needed or
// not. parts are v's components when v is a bundle: a bundle is packed as its parts, so its own
// weight and dimensions are never missing, but a weight it has must match theirs.
func Check(need []Attribute, v Facts, parts []Part) []Issue {
	var out []Issue
	add := func(a Attribute, k Kind, format string, args ...any) {
		out = append(out, Issue{SKU: v.SKU, Attribute: a, Kind: k, Message: fmt.Sprintf(format, args...)})
	}
	needs := func(a Attribute) bool {
		physical := a == Weight || a == Dimensions
		return slices.Contains(need, a) && (!physical || len(parts) == 0)
	}
	dims := []int{v.LengthMM, v.WidthMM, v.HeightMM}
	given := 0
	for _, d := range dims {
		if d > 0 {
			given++
		}
	}
	// Weight: a SKU with no physical data at all lacks it; one whose dimensions are known but
	// weighs zero (or less) was entered wrong.
	switch {
	case v.WeightGrams < 0:
		add(Weight, Implausible, "weight %d g", v.WeightGrams)
	case v.WeightGrams == 0 && given > 0 && needs(Weight):
		add(Weight, Implausible, "zero weight")
	case v.WeightGrams == 0 && needs(Weight):
		add(Weight, Missing, "no weight")
	}
	switch {
	case slices.ContainsFunc(dims, func(d int) bool { return d < 0 }):
		add(Dimensions, Implausible, "negative dimensions %d×%d×%d mm", v.LengthMM, v.WidthMM, v.HeightMM)
	case given == 0 && needs(Dimensions):
		add(Dimensions, Missing, "no dimensions")
	case given > 0 && given < 3 && needs(Dimensions):
		add(Dimensions, Missing, "incomplete dimensions %d×%d×%d mm", v.LengthMM, v.WidthMM, v.HeightMM)
	case given > 0 && given < 3:
		add(Dimensions, Implausible, "incomplete dimensions %d×%d×%d mm", v.LengthMM, v.WidthMM, v.HeightMM)
	}
	if v.WeightGrams > 0 && given == 3 {
		if long := slices.Max(dims); long > LongSideMM && v.WeightGrams < LightGrams {
			add(Dimensions, Implausible, "%d mm long but weighs %d g", long, v.WeightGrams)
		} else if d := Density(v); d < MinDensity || d > MaxDensity {
			add(Weight, Implausible, "density %.0f kg/m³ (%d g in %d×%d×%d mm)", d, v.WeightGrams, v.LengthMM, v.WidthMM, v.HeightMM)
		}
	}
	if len(parts) > 0 && v.WeightGrams > 0 {
		sum, known := 0, true
		for _, p := range parts {
			known = known && p.WeightGrams > 0
			sum += p.WeightGrams * p.Quantity
		}
		switch {
		case !known:
		case v.WeightGrams*100 > sum*(100+BundleTolerancePct):
			add(Weight, Implausible, "bundle weighs %d g, more than its parts' %d g and %d%% packaging", v.WeightGrams, sum, BundleTolerancePct)
		case v.WeightGrams < sum:
			add(Weight, Implausible, "bundle weighs %d g, less than its parts' %d g", v.WeightGrams, sum)
		}
	}
	switch {
	case v.Barcode == "" && needs(Barcode):
		add(Barcode, Missing, "no barcode")
	case v.Barcode != "" && !ValidGTIN(v.Barcode):
		add(Barcode, Implausible, "barcode %q is not a GTIN (8, 12, 13 or 14 digits with a valid check digit)", v.Barcode)
	}
	switch {
	case v.HSCode == "" && needs(HSCode):
		add(HSCode, Missing, "no HS code")
	case v.HSCode != "" && !ValidHSCode(v.HSCode):
		add(HSCode, Implausible, "HS code %q is not %d to %d digits", v.HSCode, MinHSDigits, MaxHSDigits)
	}
	switch {
	case v.CountryOfOrigin == "" && needs(CountryOfOrigin):
		add(CountryOfOrigin, Missing, "no country of origin")
	case v.CountryOfOrigin != "" && !ValidCountry(v.CountryOfOrigin):
		add(CountryOfOrigin, Implausible, "country of origin %q is not an ISO 3166-1 alpha-2 code", v.CountryOfOrigin)
	}
	return out
}

// Density is v's weight per volume in kg/m³ (0 without weight and all three dimensions).
func Density(v Facts) float64 {
	vol := float64(v.LengthMM) * float64(v.WidthMM) * float64(v.HeightMM) // mm³
	if vol <= 0 || v.WeightGrams <= 0 {
		return 0
	}
	return float64(v.WeightGrams) * 1e6 / vol // g/mm³ × 10⁶ = kg/m³
}

// GTIN is a barcode as the 14 digits of a GTIN: its digits (spaces and dashes dropped) left-padded
// with zeros, so that the GTIN-8, UPC-A (12), EAN-13 and GTIN-14 of one article are equal. Anything
// else (letters, another length) is "".
func GTIN(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-':
		default:
			return ""
		}
	}
	d := b.String()
	switch len(d) {
	case 8, 12, 13, 14:
		return strings.Repeat("0", 14-len(d)) + d
	}
	return ""
}

// ValidGTIN reports whether s is a GTIN-8, -12 (UPC-A), -13 (EAN) or -14 whose last digit is the
// GS1 check digit of the others.
func ValidGTIN(s string) bool {
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return false
	}
	sum := 0
	for i := len(s) - 2; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if (len(s)-2-i)%2 == 0 { // the digit next to the check digit weighs 3, then 1, 3…
			d *= 3
		}
		sum += d
	}
	last := s[len(s)-1]
	return last >= '0' && last <= '9' && int(last-'0') == (10-sum%10)%10
}

// ValidHSCode reports whether s is 6 to 10 digits, dots and spaces between them aside (6109.10.00).
func ValidHSCode(s string) bool {
	n := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			n++
		case c == '.' || c == ' ':
		default:
			return false
		}
	}
	return n >= MinHSDigits && n <= MaxHSDigits
}

// ValidCountry reports whether s is an assigned ISO 3166-1 alpha-2 code (upper case).
func ValidCountry(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
		strings.Contains(iso3166, " "+s+" ")
}

// iso3166 is every officially assigned ISO 3166-1 alpha-2 code, each between spaces.
const iso3166 = " AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
	"MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
	"UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW "
