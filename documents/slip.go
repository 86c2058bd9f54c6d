package documents

import (
	"fmt"
	"strconv"
)

// PackingSlip renders the slip that travels in the parcel: order, recipient, the lines packed
// (wrapping over pages as needed) and the note, on A4 or A5, with the shipment reference as
// Code 128 for the packing station's scanner.
func PackingSlip(d SlipData) (_ []byte, err error) {
	defer guard(&err)
	if err := checkCode("shipment reference", d.ShipmentRef); err != nil {
		return nil, err
	}
	for i, l := range d.Lines {
		if l.Quantity <= 0 {
			return nil, fmt.Errorf("%w: slip line %d (%q): quantity %d", ErrInvalid, i+1, l.SKU, l.Quantity)
		}
	}
	w, h, m := 210.0, 297.0, 12.0
	switch d.Paper {
	case PaperA4:
	case PaperA5:
		w, h, m = 148, 210, 8
	default:
		return nil, fmt.Errorf("%w: paper %d", ErrInvalid, int(d.Paper))
	}
	pdf, err := newPDF(w, h, d.PrintedAt)
	if err != nil {
		return nil, err
	}
	inner := w - 2*m
	title, body, small, bold := style{16, true}, style{9.5, false}, style{8, false}, style{9.5, true}
	footer := m + 2*small.lineHeight()
	page := func() float64 {
		pdf.AddPage()
		n := pdf.PageNo()
		drawRight(pdf, w-m, h-m-small.lineHeight(), fmt.Sprintf("%s · page %d", d.ShipmentRef, n), small)
		return m
	}
	y := page()

	// Title and order on the left; the shipment barcode on the right.
	barW := min(70, inner*0.45)
	left := inner - barW - 4
	draw(pdf, m, y, "Packing slip", title)
	ty := y + title.lineHeight() + 1
	ty = block(pdf, m, ty, left, 1, bold, orderText(d.OrderNumber))
	ty = block(pdf, m, ty, left, 1, body, d.ChannelName)
	if !d.PlacedAt.IsZero() {
		ty = block(pdf, m, ty, left, 1, body, "Placed "+d.PlacedAt.Format("2006-01-02 15:04"))
	}
	if _, err := code128Bars(pdf, d.ShipmentRef, w-m-barW, y, barW, 13); err != nil {
		return nil, err
	}
	rw := width(pdf, d.ShipmentRef, bold)
	draw(pdf, w-m-barW/2-rw/2, y+13.5, d.ShipmentRef, bold)
	y = max(ty, y+13.5+bold.lineHeight()) + 4

	// Recipient.
	draw(pdf, m, y, "SHIP TO", style{7.5, true})
	y += style{7.5, true}.lineHeight()
	y = block(pdf, m, y, inner, 2, bold, d.ShipTo.Name)
	y = block(pdf, m, y, inner, 8, body, append([]string{d.ShipTo.Phone}, addressLines(d.ShipTo)...)...)
	y += 4

	// Lines.
	qtyW, boxW := 14.0, 22.0
	skuW := inner * 0.24
	t := table{
		pdf: pdf, x: m, bottom: h - footer, body: body, head: bold,
		cols: []column{
			{title: "SKU", width: skuW, maxLines: 2},
			{title: "Item", width: inner - skuW - qtyW - boxW, maxLines: 3},
			{title: "Qty", width: qtyW, maxLines: 1, right: true},
			{title: "Box", width: boxW, maxLines: 1},
		},
		page: page,
	}
	y = t.header(y)
	total := 0
	for _, l := range d.Lines {
		_, y = t.row(y, l.SKU, l.Name, strconv.Itoa(l.Quantity), l.Box)
		total += l.Quantity
	}
	_, y = t.row(y, "", "Total units", strconv.Itoa(total), "")

	// Note.
	if clean(d.Note) != "" {
		y += 4
		lines := wrapAll(pdf, inner, 12, body, d.Note)
		if y+float64(len(lines)+1)*body.lineHeight() > h-footer {
			y = page()
		}
		draw(pdf, m, y, "Note", bold)
		block(pdf, m, y+bold.lineHeight(), inner, 12, body, d.Note)
	}
	return output(pdf)
}
