package documents

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ReturnLine is one line of what a return parcel holds.
type ReturnLine struct {
	SKU      string
	Name     string
	Quantity int
}

// ReturnLabelData is what a return label shows: the parcel goes from the customer (From) back to
// the return address (To), under the return's RMA number.
type ReturnLabelData struct {
	RMANumber string // required; printed as text, and as Code 128 when there is no tracking number
	// TrackingNumber is the carrier's, when a label was bought; printed as Code 128.
	TrackingNumber string
	Carrier        string // empty: a return the customer sends by any means, under the RMA number
	Service        string
	From, To       Address
	OrderNumber    string
	Lines          []ReturnLine
	// QR is printed as a QR code: the tracking page, or the RMA reference; empty prints the RMA number.
	QR        string
	PrintedAt time.Time // the PDF's creation date; zero is the Unix epoch, so output is reproducible
}

// maxReturnLines is how many lines a return label lists; the rest are counted in one more line.
const maxReturnLines = 4

// ReturnLabel renders the label a customer sticks on a return parcel, as a PDF page of 4×6 in or
// A6: the RMA number, the return address in large type, the customer as sender, what the parcel
// holds, the tracking number (or, without a carrier, the RMA number) as Code 128 and QR as a QR
// code.
func ReturnLabel(d ReturnLabelData, f Format) (_ []byte, err error) {
	defer guard(&err)
	if err := checkCode("RMA number", d.RMANumber); err != nil {
		return nil, err
	}
	if d.TrackingNumber != "" {
		if err := checkCode("tracking number", d.TrackingNumber); err != nil {
			return nil, err
		}
	}
	if d.QR == "" {
		d.QR = d.RMANumber
	}
	if err := checkQR(d.QR); err != nil {
		return nil, err
	}
	for i, l := range d.Lines {
		if l.Quantity <= 0 {
			return nil, fmt.Errorf("%w: return line %d (%q): quantity %d", ErrInvalid, i+1, l.SKU, l.Quantity)
		}
	}
	switch f {
	case PDF4x6:
		return returnLabelPDF(d, 101.6, 152.4)
	case PDFA6:
		return returnLabelPDF(d, 105, 148)
	}
	return nil, fmt.Errorf("%w: return label format %s", ErrInvalid, f)
}

var (
	stReturn = style{18, true}
	stRMA    = style{11, true}
	stLine   = style{7.5, false}
)

func returnLabelPDF(d ReturnLabelData, w, h float64) ([]byte, error) {
	pdf, err := newPDF(w, h, d.PrintedAt)
	if err != nil {
		return nil, err
	}
	pdf.AddPage()
	m := labelMargin
	inner := w - 2*m
	pdf.SetLineWidth(0.3)
	rule := func(y float64) { pdf.Line(m, y, w-m, y) }

	// RETURN, and the carrier (or "Return by any carrier").
	y := m
	draw(pdf, m, y, "RETURN", stReturn)
	carrier := joinNonEmpty(" · ", d.Carrier, d.Service)
	if carrier == "" {
		carrier = "No carrier label"
	}
	drawRight(pdf, w-m, y+2, firstLine(pdf, carrier, inner*0.5, stService), stService)
	y += stReturn.lineHeight() + 1
	rule(y)

	// The customer, small.
	y += 1
	draw(pdf, m, y, "FROM", stCaption)
	y += stCaption.lineHeight()
	from := append([]string{joinNonEmpty(" · ", d.From.Name, d.From.Phone)}, addressLines(d.From)...)
	y = block(pdf, m, y, inner, 4, stFrom, from...)
	y += 1
	rule(y)

	// The return address, large.
	y += 1
	draw(pdf, m, y, "RETURN TO", stCaption)
	y += stCaption.lineHeight()
	y = block(pdf, m, y, inner, 2, stToName, d.To.Name)
	y = block(pdf, m, y, inner, 1, stTo, d.To.Phone)
	y = block(pdf, m, y, inner, 3, stTo, d.To.Lines...)
	y = block(pdf, m, y, inner, 2, stToCity, cityLine(d.To), d.To.Country)
	y += 1
	rule(y)

	// Bottom up: QR with the references beside it, then the barcode.
	qrTop := h - m - qrSide
	if err := qrSquare(pdf, d.QR, w-m-qrSide, qrTop, qrSide); err != nil {
		return nil, err
	}
	textW := inner - qrSide - 3
	ry := qrTop + 2
	for _, t := range []struct{ caption, value string }{{"RMA", d.RMANumber}, {"TRACKING", d.TrackingNumber}, {"ORDER", d.OrderNumber}} {
		if clean(t.value) == "" {
			continue
		}
		draw(pdf, m, ry, t.caption, stCaption)
		ry += stCaption.lineHeight()
		draw(pdf, m, ry, firstLine(pdf, t.value, textW, stCode), stCode)
		ry += stCode.lineHeight() + 1
	}
	code := d.TrackingNumber
	if code == "" {
		code = d.RMANumber
	}
	barsTop := qrTop - 3 - barsHeight - stCode.lineHeight()
	rule(barsTop - 1.5)
	if _, err := code128Bars(pdf, code, m, barsTop, inner, barsHeight); err != nil {
		return nil, err
	}
	bw := width(pdf, code, stCode)
	draw(pdf, (w-bw)/2, barsTop+barsHeight+0.5, code, stCode)

	// The RMA number and what the parcel holds, in the space left.
	y += 1
	draw(pdf, m, y, firstLine(pdf, rmaTitle(d.RMANumber), inner, stRMA), stRMA)
	y += stRMA.lineHeight() + 0.5
	room := int((barsTop - 2.5 - y) / stLine.lineHeight())
	for _, l := range returnLines(d.Lines, min(room, maxReturnLines+1)) {
		draw(pdf, m, y, firstLine(pdf, l, inner, stLine), stLine)
		y += stLine.lineHeight()
	}
	return output(pdf)
}

// rmaTitle is the RMA number as its heading prints it: "RMA 123", or the number alone when it
// says RMA already.
func rmaTitle(n string) string {
	if strings.HasPrefix(strings.ToUpper(n), "RMA") {
		return n
	}
	return "RMA " + n
}

// returnLines are the lines printed for ls in at most max rows: "2 × SKU Name", the rows past the
// room folded into "+ n more items". It is pure.
func returnLines(ls []ReturnLine, max int) []string {
	if max <= 0 {
		return nil
	}
	out := make([]string, 0, min(len(ls), max))
	for i, l := range ls {
		if len(ls) > max && i == max-1 {
			rest := 0
			for _, r := range ls[i:] {
				rest += r.Quantity
			}
			return append(out, "+ "+strconv.Itoa(rest)+" more items")
		}
		out = append(out, joinNonEmpty(" ", strconv.Itoa(l.Quantity)+" ×", l.SKU, l.Name))
	}
	return out
}
