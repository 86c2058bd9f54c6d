package documents

import (
	"fmt"
	"regexp"

	"codeberg.org/go-pdf/fpdf"
	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/qr"
)

// codeValue is what Ordo prints as Code 128: tracking numbers and references are letters, digits
// and a little punctuation. Anything else (spaces, ZPL's ^ ~ > _, non-ASCII) is refused rather than
// encoded into a barcode a scanner reads differently from the text beside it.
var codeValue = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9./-]{0,63}$`)

// checkCode validates a Code 128 value named what.
func checkCode(what, v string) error {
	if v == "" {
		return fmt.Errorf("%w: %s is required", ErrInvalid, what)
	}
	if !codeValue.MatchString(v) {
		return fmt.Errorf("%w: %s %q: want 1–64 of A–Z a–z 0–9 . / - starting with a letter or digit", ErrInvalid, what, v)
	}
	return nil
}

// maxQR bounds a QR payload: a tracking URL, not a document.
const maxQR = 512

// checkQR validates a QR payload (a tracking URL).
func checkQR(v string) error {
	if len(v) > maxQR {
		return fmt.Errorf("%w: QR URL is %d bytes, more than %d", ErrInvalid, len(v), maxQR)
	}
	for _, r := range v {
		if r <= ' ' || r > '~' {
			return fmt.Errorf("%w: QR URL %q: only printable ASCII without spaces", ErrInvalid, v)
		}
	}
	return nil
}

// code128Bars draws v as Code 128 in the box x, y, w, h, centred, with modules no wider than
// 0.5 mm; it returns the width drawn.
func code128Bars(pdf *fpdf.Fpdf, v string, x, y, w, h float64) (float64, error) {
	bc, err := code128.Encode(v)
	if err != nil {
		return 0, fmt.Errorf("%w: code 128 %q: %w", ErrInvalid, v, err)
	}
	modules := float64(bc.Bounds().Dx())
	mw := min(w/modules, 0.5)
	drawn := mw * modules
	fill(pdf, bc, x+(w-drawn)/2, y, mw, h)
	return drawn, nil
}

// qrSquare draws v as a QR code (error correction M) of side s at x, y.
func qrSquare(pdf *fpdf.Fpdf, v string, x, y, s float64) error {
	bc, err := qr.Encode(v, qr.M, qr.Auto)
	if err != nil {
		return fmt.Errorf("%w: QR %q: %w", ErrInvalid, v, err)
	}
	m := s / float64(bc.Bounds().Dx())
	fill(pdf, bc, x, y, m, m)
	return nil
}

// fill draws the dark modules of bc as rectangles, a horizontal run at a time, mw wide and mh high
// each (a 1-D code is one row of height mh).
func fill(pdf *fpdf.Fpdf, bc barcode.Barcode, x, y, mw, mh float64) {
	pdf.SetFillColor(0, 0, 0)
	b := bc.Bounds()
	for row := b.Min.Y; row < b.Max.Y; row++ {
		for col := b.Min.X; col < b.Max.X; {
			if !dark(bc, col, row) {
				col++
				continue
			}
			start := col
			for col < b.Max.X && dark(bc, col, row) {
				col++
			}
			// Rows overlap by a hair so no seam shows between them when rasterised.
			pdf.Rect(x+float64(start-b.Min.X)*mw, y+float64(row-b.Min.Y)*mh, float64(col-start)*mw, mh+0.01, "F")
		}
	}
}

func dark(bc barcode.Barcode, x, y int) bool {
	r, _, _, _ := bc.At(x, y).RGBA()
	return r < 0x8000
}
