package documents

import (
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// Label renders the shipping label of one package in format f: a PDF page of 4×6 in or A6, or a
// ZPL program for a 203 dpi 4×6 in printer. The tracking number is required and printed as
// Code 128; QRURL, when set, as a QR code.
func Label(d LabelData, f Format) (_ []byte, err error) {
	defer guard(&err)
	l, err := prepare(d)
	if err != nil {
		return nil, err
	}
	switch f {
	case PDF4x6:
		return labelPDF(l, 101.6, 152.4)
	case PDFA6:
		return labelPDF(l, 105, 148)
	case ZPL:
		return labelZPL(l)
	}
	return nil, fmt.Errorf("%w: label format %d", ErrInvalid, int(f))
}

// Label layout, in mm and points. The addresses flow down from the top; the barcodes, the order
// details and the COD box are fixed above the bottom edge, and the recipient gets what is between.
const (
	labelMargin = 4.0
	qrSide      = 26.0
	barsHeight  = 17.0
)

var (
	stCarrier = style{15, true}
	stService = style{9, false}
	stCaption = style{6.5, true}
	stFrom    = style{7.5, false}
	stToName  = style{12, true}
	stTo      = style{10, false}
	stToCity  = style{11, true}
	stDetail  = style{8.5, false}
	stCOD     = style{14, true}
	stCode    = style{10, true}
)

func labelPDF(l label, w, h float64) ([]byte, error) {
	pdf, err := newPDF(w, h, l.PrintedAt)
	if err != nil {
		return nil, err
	}
	pdf.AddPage()
	m := labelMargin
	inner := w - 2*m
	pdf.SetLineWidth(0.3)
	rule := func(y float64) { pdf.Line(m, y, w-m, y) }

	// Carrier and service.
	y := m
	draw(pdf, m, y, firstLine(pdf, l.Carrier, inner*0.55, stCarrier), stCarrier)
	drawRight(pdf, w-m, y+1.5, firstLine(pdf, l.Service, inner*0.43, stService), stService)
	y += stCarrier.lineHeight() + 1
	rule(y)

	// Sender, small.
	y += 1
	draw(pdf, m, y, "FROM", stCaption)
	y += stCaption.lineHeight()
	from := append([]string{joinNonEmpty(" · ", l.From.Name, l.From.Phone)}, addressLines(l.From)...)
	y = block(pdf, m, y, inner, 4, stFrom, from...)
	y += 1
	rule(y)

	// Bottom up: QR and reference, tracking barcode, details, COD.
	qrTop := h - m - qrSide
	if l.QRURL != "" {
		if err := qrSquare(pdf, l.QRURL, w-m-qrSide, qrTop, qrSide); err != nil {
			return nil, err
		}
	}
	textW := inner - qrSide - 3
	ry := qrTop + 2
	for _, t := range []struct {
		caption, value string
	}{{"TRACKING", l.TrackingNumber}, {"SHIPMENT", l.ShipmentRef}} {
		if clean(t.value) == "" {
			continue
		}
		draw(pdf, m, ry, t.caption, stCaption)
		ry += stCaption.lineHeight()
		draw(pdf, m, ry, firstLine(pdf, t.value, textW, stCode), stCode)
		ry += stCode.lineHeight() + 1
	}
	barsTop := qrTop - 3 - barsHeight - stCode.lineHeight()
	rule(barsTop - 1.5)
	if _, err := code128Bars(pdf, l.TrackingNumber, m, barsTop, inner, barsHeight); err != nil {
		return nil, err
	}
	bw := width(pdf, l.TrackingNumber, stCode)
	draw(pdf, (w-bw)/2, barsTop+barsHeight+0.5, l.TrackingNumber, stCode)

	dy := barsTop - 2.5 - 2*stDetail.lineHeight()
	draw(pdf, m, dy, l.weight, stDetail)
	drawRight(pdf, w-m, dy, l.parcel, stDetail)
	draw(pdf, m, dy+stDetail.lineHeight(), firstLine(pdf, orderText(l.OrderNumber), inner*0.55, stDetail), stDetail)
	drawRight(pdf, w-m, dy+stDetail.lineHeight(), l.shipBy, stDetail)
	bottom := dy - 1
	if l.cod != "" {
		boxH := stCOD.lineHeight() + 2
		bottom -= boxH + 1
		pdf.SetFillColor(0, 0, 0)
		pdf.Rect(m, bottom, inner, boxH, "F")
		pdf.SetTextColor(255, 255, 255)
		cw := width(pdf, l.cod, stCOD)
		draw(pdf, (w-cw)/2, bottom+1, l.cod, stCOD)
		pdf.SetTextColor(0, 0, 0)
	}
	rule(bottom - 1)

	// Recipient, large, in the space left.
	y += 1
	draw(pdf, m, y, "TO", stCaption)
	y += stCaption.lineHeight()
	y = block(pdf, m, y, inner, 2, stToName, l.To.Name)
	y = block(pdf, m, y, inner, 1, stTo, l.To.Phone)
	room := int((bottom - 2 - y - stToCity.lineHeight()*2) / stTo.lineHeight())
	y = block(pdf, m, y, inner, room, stTo, l.To.Lines...)
	block(pdf, m, y, inner, 2, stToCity, cityLine(l.To), l.To.Country)
	return output(pdf)
}

func orderText(n string) string {
	if clean(n) == "" {
		return ""
	}
	return "Order " + n
}

// firstLine is s on one line of width w, cut with an ellipsis if it is longer.
func firstLine(pdf *fpdf.Fpdf, s string, w float64, st style) string {
	lines := wrapAll(pdf, w, 1, st, s)
	if len(lines) == 0 {
		return ""
	}
	return lines[0]
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = clean(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
