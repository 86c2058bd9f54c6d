package marketsim

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// Fulfillment is one shipment a shop took for an order: a Shopify fulfillment, a Meta shipment, a
// marketplace package that shipped.
type Fulfillment struct {
	At      time.Time
	OrderID string
	// ID is the channel's id of the shipment (Shopify's fulfillment id, the package id).
	ID string
	// LocationID is the location it left from (Shopify, Meta).
	LocationID string
	// Lines are the quantities shipped, by line id.
	Lines                          map[string]int64
	Carrier, Tracking, TrackingURL string
	// Key is the idempotency key the shipment came with (Meta).
	Key string
}

// Package is one parcel of a marketplace order (TikTok Shop, Shopee, Lazada).
type Package struct {
	ID      string
	OrderID string
	// LineIDs are the lines in it, whole.
	LineIDs []string
	// Handover is how the seller hands it to the carrier: PICKUP or DROP_OFF, once arranged.
	Handover          string
	Carrier, Tracking string
	// Shipped is set once the shipment is arranged (TikTok Ship Package, Shopee ship_order,
	// Lazada ready to ship).
	Shipped bool
	// Documents counts the shipping documents downloaded for it.
	Documents int

	docCreated bool             // Shopee's create_shipping_document was called
	docPolls   int              // get_shipping_document_result calls since
	units      []string         // Lazada's order items packed in it
	lines      map[string]int64 // quantities by line id, where not whole lines (Lazada)
}

// Fulfillments returns the shipments the shop took for an order, oldest first.
func (sh *Shop) Fulfillments(orderID string) []Fulfillment {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]Fulfillment, len(sh.fulfillments[orderID]))
	for i, f := range sh.fulfillments[orderID] {
		out[i] = f
		out[i].Lines = copyLines(f.Lines)
	}
	return out
}

// Packages returns copies of an order's packages.
func (sh *Shop) Packages(orderID string) []Package {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	o := sh.orders[orderID]
	if o == nil {
		return nil
	}
	var out []Package
	for _, p := range sh.orderPackages(o) {
		c := *p
		c.LineIDs = append([]string(nil), p.LineIDs...)
		c.units = append([]string(nil), p.units...)
		c.lines = copyLines(p.lines)
		out = append(out, c)
	}
	return out
}

// Shipped returns copies of an order's packages that shipped.
func (sh *Shop) Shipped(orderID string) []Package {
	var out []Package
	for _, p := range sh.Packages(orderID) {
		if p.Shipped {
			out = append(out, p)
		}
	}
	return out
}

// DocumentsFetched counts the shipping documents downloaded for an order's packages.
func (sh *Shop) DocumentsFetched(orderID string) int {
	n := 0
	for _, p := range sh.Packages(orderID) {
		n += p.Documents
	}
	return n
}

func copyLines(m map[string]int64) map[string]int64 {
	if m == nil {
		return nil
	}
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// orderPackages returns an order's packages, made on first use from its lines' package indexes:
// TikTok Shop and Shopee split orders when they are placed. Lazada's are made when units are
// packed, so an order of another channel has none until then. The caller holds sh.mu.
func (sh *Shop) orderPackages(o *Order) []*Package {
	if sh.packages == nil {
		sh.packages = map[string][]*Package{}
	}
	if ps, ok := sh.packages[o.ID]; ok || (sh.cfg.Kind != channels.TikTokShop && sh.cfg.Kind != channels.Shopee) {
		return ps
	}
	n := 0
	for _, l := range o.Lines {
		n = max(n, l.Package+1)
	}
	ps := make([]*Package, n)
	for k := range ps {
		ps[k] = &Package{ID: sh.packageID(o, k), OrderID: o.ID}
	}
	for _, l := range o.Lines {
		ps[l.Package].LineIDs = append(ps[l.Package].LineIDs, l.ID)
	}
	sh.packages[o.ID] = ps
	return ps
}

// packageID is the channel's id of package k of an order; the first keeps the id an order had
// when the simulator knew one package per order.
func (sh *Shop) packageID(o *Order, k int) string {
	var base string
	switch sh.cfg.Kind {
	case channels.TikTokShop:
		base = ttsPackageID(o.ID)
	case channels.Shopee:
		base = shopeePackageNumber(o)
	default:
		base = "FP" + o.ID
	}
	if k == 0 {
		return base
	}
	return base + strconv.Itoa(k)
}

// findPackage finds a package by its id. The caller holds sh.mu.
func (sh *Shop) findPackage(id string) (*Order, *Package) {
	for _, oid := range sh.orderSeq {
		o := sh.orders[oid]
		for _, p := range sh.orderPackages(o) {
			if p.ID == id {
				return o, p
			}
		}
	}
	return nil, nil
}

// addPackage adds a package of some units to an order (Lazada's pack), with the tracking number
// the channel allocates. The caller holds sh.mu.
func (sh *Shop) addPackage(o *Order, units []string, lines map[string]int64, carrier, tracking func(id string) string) *Package {
	ps := sh.orderPackages(o)
	id := sh.packageID(o, len(ps))
	p := &Package{ID: id, OrderID: o.ID, units: units, lines: lines, Carrier: carrier(id), Tracking: tracking(id)}
	for lid := range lines {
		p.LineIDs = append(p.LineIDs, lid)
	}
	sort.Strings(p.LineIDs)
	sh.packages[o.ID] = append(ps, p)
	return p
}

// remaining is what is left to ship of each line of o, by line id. The caller holds sh.mu.
func (sh *Shop) remaining(o *Order) map[string]int64 {
	left := map[string]int64{}
	for _, l := range o.Lines {
		left[l.ID] += l.Quantity
	}
	for _, f := range sh.fulfillments[o.ID] {
		for id, q := range f.Lines {
			left[id] -= q
		}
	}
	return left
}

// fulfil records a shipment of some of an order's lines (all that is left when f.Lines is empty).
// The order ships once nothing is left; its webhook is sent then. It refuses an order that is not
// to ship, unknown lines and quantities beyond what is left.
func (sh *Shop) fulfil(orderID string, f Fulfillment) (Fulfillment, error) {
	sh.mu.Lock()
	o := sh.orders[orderID]
	if o == nil {
		sh.mu.Unlock()
		return Fulfillment{}, fmt.Errorf("no order %s", orderID)
	}
	if o.Status != ToShip {
		sh.mu.Unlock()
		return Fulfillment{}, fmt.Errorf("order %s is %s, not to ship", orderID, o.Status)
	}
	left := sh.remaining(o)
	if len(f.Lines) == 0 {
		f.Lines = map[string]int64{}
		for id, q := range left {
			if q > 0 {
				f.Lines[id] = q
			}
		}
	}
	ids := make([]string, 0, len(f.Lines))
	for id := range f.Lines {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		q, have := f.Lines[id], left[id]
		if _, known := left[id]; !known || q <= 0 || q > have {
			sh.mu.Unlock()
			return Fulfillment{}, fmt.Errorf("order %s: line %s: cannot ship %d of %d left", orderID, id, q, have)
		}
	}
	if len(f.Lines) == 0 {
		sh.mu.Unlock()
		return Fulfillment{}, fmt.Errorf("order %s has nothing left to ship", orderID)
	}
	f.At, f.OrderID = sh.sim.now(), orderID
	if sh.fulfillments == nil {
		sh.fulfillments = map[string][]Fulfillment{}
	}
	sh.fulfilSeq++
	if f.ID == "" {
		f.ID = strconv.Itoa(255858046 + sh.fulfilSeq)
	}
	sh.fulfillments[orderID] = append(sh.fulfillments[orderID], f)
	done := true
	for _, q := range sh.remaining(o) {
		if q > 0 {
			done = false
		}
	}
	var snap *Order
	if done {
		sh.confirmations = append(sh.confirmations, Confirmation{At: f.At, OrderID: orderID, Shipped: true, Carrier: f.Carrier, Tracking: f.Tracking})
		o.Carrier, o.Tracking = f.Carrier, f.Tracking
		sh.touch(o, Shipped)
		snap = o.clone()
	}
	sh.mu.Unlock()
	if snap != nil {
		sh.notify(snap, false)
	}
	return f, nil
}

// packageLines is the quantities of a package by line id. The caller holds sh.mu.
func packageLines(o *Order, p *Package) map[string]int64 {
	if p.lines != nil {
		return copyLines(p.lines)
	}
	in := map[string]bool{}
	for _, id := range p.LineIDs {
		in[id] = true
	}
	out := map[string]int64{}
	for _, l := range o.Lines {
		if in[l.ID] {
			out[l.ID] += l.Quantity
		}
	}
	return out
}

// shipPackage ships a package: it is marked shipped with its handover and tracking number, and
// its lines are fulfilled. It refuses a package already shipped.
func (sh *Shop) shipPackage(id, handover, carrier, tracking string) (*Package, error) {
	sh.mu.Lock()
	o, p := sh.findPackage(id)
	switch {
	case p == nil:
		sh.mu.Unlock()
		return nil, fmt.Errorf("no package %s", id)
	case p.Shipped:
		sh.mu.Unlock()
		return nil, errShipped
	case o.Status != ToShip:
		sh.mu.Unlock()
		return nil, fmt.Errorf("order %s is %s, not to ship", o.ID, o.Status)
	}
	before := *p
	p.Shipped, p.Handover, p.Carrier, p.Tracking = true, handover, carrier, tracking // before the webhook
	lines, orderID := packageLines(o, p), o.ID
	sh.mu.Unlock()
	if _, err := sh.fulfil(orderID, Fulfillment{ID: id, Lines: lines, Carrier: carrier, Tracking: tracking}); err != nil {
		sh.mu.Lock()
		p.Shipped, p.Handover, p.Carrier, p.Tracking = before.Shipped, before.Handover, before.Carrier, before.Tracking
		sh.mu.Unlock()
		return nil, err
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	c := *p
	return &c, nil
}

var errShipped = fmt.Errorf("the package has already shipped")

// fetchDocument counts a shipping document downloaded for a package and returns it.
func (sh *Shop) fetchDocument(id string) ([]byte, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	_, p := sh.findPackage(id)
	if p == nil || p.Tracking == "" { // the carrier is not booked yet
		return nil, false
	}
	p.Documents++
	return awbPDF(p.ID, p.Tracking), true
}

// awbPDF is a tiny valid one-page PDF naming a package and its tracking number.
func awbPDF(pkg, tracking string) []byte {
	text := fmt.Sprintf("BT /F1 18 Tf 40 120 Td (AWB %s %s) Tj ET", pdfSafe(pkg), pdfSafe(tracking))
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(text), text),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	out := []byte("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = len(out)
		out = fmt.Appendf(out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := len(out)
	out = fmt.Appendf(out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		out = fmt.Appendf(out, "%010d 00000 n \n", off)
	}
	return fmt.Appendf(out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
}

// pdfSafe keeps the characters that need no escaping in a PDF string.
func pdfSafe(s string) string {
	out := []rune{}
	for _, r := range s {
		if r >= 0x20 && r < 0x7f && r != '(' && r != ')' && r != '\\' {
			out = append(out, r)
		}
	}
	return string(out)
}
