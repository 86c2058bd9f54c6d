package documents

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// PickItem is one shipment's need for one SKU at a location, as the lead's query returns it.
type PickItem struct {
	Shipment string
	Bin      string
	SKU      string
	Name     string
	Quantity int
}

// NewPickList groups items for batch picking: one line per SKU with the total quantity and each
// shipment's share, in walking order (by bin, then SKU; lines without a bin last), and the batch's
// shipments sorted. A SKU found in several bins lists them all, comma-separated.
func NewPickList(location string, generatedAt time.Time, items []PickItem) PickListData {
	bySKU := map[string]*PickLine{}
	bins := map[string][]string{}
	var order []string
	seen := map[string]bool{}
	var shipments []string
	for _, it := range items {
		l, ok := bySKU[it.SKU]
		if !ok {
			l = &PickLine{SKU: it.SKU, Name: it.Name}
			bySKU[it.SKU] = l
			order = append(order, it.SKU)
		}
		if l.Name == "" {
			l.Name = it.Name
		}
		if it.Bin != "" && !slices.Contains(bins[it.SKU], it.Bin) {
			bins[it.SKU] = append(bins[it.SKU], it.Bin)
		}
		l.Quantity += it.Quantity
		if i := slices.IndexFunc(l.Shipments, func(s PickShare) bool { return s.Shipment == it.Shipment }); i >= 0 {
			l.Shipments[i].Quantity += it.Quantity
		} else {
			l.Shipments = append(l.Shipments, PickShare{it.Shipment, it.Quantity})
		}
		if !seen[it.Shipment] {
			seen[it.Shipment] = true
			shipments = append(shipments, it.Shipment)
		}
	}
	lines := make([]PickLine, 0, len(order))
	for _, sku := range order {
		l := bySKU[sku]
		slices.Sort(bins[sku])
		l.Bin = strings.Join(bins[sku], ", ")
		slices.SortFunc(l.Shipments, func(a, b PickShare) int { return cmp.Compare(a.Shipment, b.Shipment) })
		lines = append(lines, *l)
	}
	slices.SortStableFunc(lines, func(a, b PickLine) int {
		if (a.Bin == "") != (b.Bin == "") {
			if a.Bin == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Bin, b.Bin), cmp.Compare(a.SKU, b.SKU))
	})
	slices.Sort(shipments)
	return PickListData{Location: location, GeneratedAt: generatedAt, Lines: lines, Shipments: shipments}
}

// PickList renders a batch pick list on A4: the lines as a table (spanning pages as needed), each
// with the shipments it is for, then one Code 128 per shipment for sorting the batch.
func PickList(d PickListData) (_ []byte, err error) {
	defer guard(&err)
	for i, l := range d.Lines {
		if l.Quantity <= 0 {
			return nil, fmt.Errorf("%w: pick line %d (%q): quantity %d", ErrInvalid, i+1, l.SKU, l.Quantity)
		}
	}
	for _, s := range d.Shipments {
		if err := checkCode("shipment reference", s); err != nil {
			return nil, err
		}
	}
	const w, h, m = 210.0, 297.0, 12.0
	inner := w - 2*m
	pdf, err := newPDF(w, h, d.GeneratedAt)
	if err != nil {
		return nil, err
	}
	title, body, bold, small := style{16, true}, style{9, false}, style{9, true}, style{8, false}
	heading := "Pick list"
	if loc := clean(d.Location); loc != "" {
		heading += " — " + loc
	}
	stamp := ""
	if !d.GeneratedAt.IsZero() {
		stamp = d.GeneratedAt.Format("2006-01-02 15:04 MST") + " · "
	}
	footer := m + 2*small.lineHeight()
	page := func() float64 {
		pdf.AddPage()
		draw(pdf, m, h-m-small.lineHeight(), firstLine(pdf, heading, inner*0.7, small), small)
		drawRight(pdf, w-m, h-m-small.lineHeight(), fmt.Sprintf("page %d", pdf.PageNo()), small)
		return m
	}
	y := page()
	y = block(pdf, m, y, inner, 2, title, heading)
	units := 0
	for _, l := range d.Lines {
		units += l.Quantity
	}
	y = block(pdf, m, y+1, inner, 1, body, fmt.Sprintf("%s%d shipments · %d SKUs · %d units", stamp, len(d.Shipments), len(d.Lines), units))
	y += 4

	t := table{
		pdf: pdf, x: m, bottom: h - footer, body: body, head: bold,
		cols: []column{
			{title: "✓", width: 8, maxLines: 1},
			{title: "Bin", width: 22, maxLines: 2},
			{title: "SKU", width: 34, maxLines: 2},
			{title: "Item", width: inner - 8 - 22 - 34 - 14 - 50, maxLines: 3},
			{title: "Qty", width: 14, maxLines: 1, right: true},
			{title: "For", width: 50, maxLines: 6},
		},
		page: page,
	}
	y = t.header(y)
	for _, l := range d.Lines {
		shares := make([]string, len(l.Shipments))
		for i, s := range l.Shipments {
			shares[i] = s.Shipment + " ×" + strconv.Itoa(s.Quantity)
		}
		var top float64
		top, y = t.row(y, "", l.Bin, l.SKU, l.Name, strconv.Itoa(l.Quantity), strings.Join(shares, ", "))
		pdf.SetLineWidth(0.3)
		pdf.Rect(m+2, top+cellPad+0.3, 3.5, 3.5, "D") // a box to tick
	}

	// Shipment barcodes, two columns, for sorting the batch into parcels.
	if len(d.Shipments) > 0 {
		y += 8
		const cellH, barH = 24.0, 12.0
		colW := (inner - 8) / 2
		if y+bold.lineHeight()+cellH > h-footer {
			y = page()
		}
		draw(pdf, m, y, "Shipments", bold)
		y += bold.lineHeight() + 2
		for i, s := range d.Shipments {
			if i%2 == 0 && i > 0 {
				y += cellH
			}
			if y+cellH > h-footer {
				y = page()
			}
			x := m + float64(i%2)*(colW+8)
			if _, err := code128Bars(pdf, s, x, y, colW, barH); err != nil {
				return nil, err
			}
			sw := width(pdf, s, bold)
			draw(pdf, x+(colW-sw)/2, y+barH+0.8, s, bold)
		}
	}
	return output(pdf)
}
