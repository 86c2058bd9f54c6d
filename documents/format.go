package documents

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// formatAmount prints a as "1,250.00 THB": grouped thousands, Digits decimals, the code after.
func formatAmount(a Amount) (string, error) {
	if !currencyCode.MatchString(a.Currency) {
		return "", fmt.Errorf("%w: currency %q is not an ISO 4217 code", ErrInvalid, a.Currency)
	}
	if a.Digits < 0 || a.Digits > 4 {
		return "", fmt.Errorf("%w: %d decimal digits for %s", ErrInvalid, a.Digits, a.Currency)
	}
	if a.Minor < 0 {
		return "", fmt.Errorf("%w: negative amount %d %s", ErrInvalid, a.Minor, a.Currency)
	}
	s := strconv.FormatInt(a.Minor, 10)
	if len(s) <= a.Digits {
		s = strings.Repeat("0", a.Digits-len(s)+1) + s
	}
	whole, frac := s[:len(s)-a.Digits], s[len(s)-a.Digits:]
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String() + " " + a.Currency, nil
}

// formatWeight prints grams as "850 g" below a kilogram and "1.25 kg" (rounded to 10 g) above.
func formatWeight(g int) string {
	if g < 1000 {
		return fmt.Sprintf("%d g", g)
	}
	kg, cg := g/1000, (g%1000+5)/10
	if cg == 100 {
		kg, cg = kg+1, 0
	}
	return fmt.Sprintf("%d.%02d kg", kg, cg)
}

// label is LabelData checked and reduced to the text a label prints, shared by PDF and ZPL.
type label struct {
	LabelData
	cod    string // "COD 1,250.00 THB", or empty
	parcel string // "Parcel 1 of 2", or empty
	weight string // "Weight 1.25 kg", or empty
	shipBy string // "Ship by 2026-12-08", or empty
}

// prepare validates d and formats its numbers.
func prepare(d LabelData) (label, error) {
	l := label{LabelData: d}
	if err := checkCode("tracking number", d.TrackingNumber); err != nil {
		return l, err
	}
	if d.QRURL != "" {
		if err := checkQR(d.QRURL); err != nil {
			return l, err
		}
	}
	if d.COD != nil {
		s, err := formatAmount(*d.COD)
		if err != nil {
			return l, fmt.Errorf("COD: %w", err)
		}
		l.cod = "COD " + s
	}
	switch {
	case d.PackageIndex == 0 && d.PackageCount == 0:
	case d.PackageIndex < 1 || d.PackageIndex > d.PackageCount:
		return l, fmt.Errorf("%w: package %d of %d", ErrInvalid, d.PackageIndex, d.PackageCount)
	default:
		l.parcel = fmt.Sprintf("Parcel %d of %d", d.PackageIndex, d.PackageCount)
	}
	switch {
	case d.WeightGrams < 0:
		return l, fmt.Errorf("%w: weight %d g", ErrInvalid, d.WeightGrams)
	case d.WeightGrams > 0:
		l.weight = "Weight " + formatWeight(d.WeightGrams)
	}
	if !d.ShipBy.IsZero() {
		l.shipBy = "Ship by " + d.ShipBy.Format("2006-01-02")
	}
	return l, nil
}
