package message

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// view is what both layouts show: a message's parts already in its language, so that the HTML and
// the plain text tell exactly the same things.
type view struct {
	Lang       Locale
	Subject    string
	Brand      brandView
	Greeting   string
	Heading    string
	Paragraphs []string
	Facts      []fact
	Tables     []table
	Parcels    *parcels
	Actions    []action
	Footer     footer
}

type brandView struct {
	Name, LogoURL string
	// Color and Accent are checked #RRGGBB colours; Ink and AccentInk the text colours readable on
	// them.
	Color, Ink, Accent, AccentInk string
}

type fact struct{ Label, Value string }

// table lists order lines; Amounts is false when no line has an amount to show (a cancellation
// may name units without prices).
type table struct {
	Title, Item, Qty, Amount string
	Rows                     []row
	Amounts                  bool
	TotalLabel, Total        string
}

type row struct {
	Name, SKU string
	Quantity  int64
	Amount    string
}

type parcels struct {
	Carrier, Tracking, Track string // labels
	List                     []Parcel
}

type action struct{ Label, URL string }

type footer struct {
	Help, Why, Unsubscribe, UnsubscribeURL string
}

// The colours a brand without valid ones gets.
const (
	defaultColor  = "#111827"
	defaultAccent = "#2563eb"
)

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// color is c when it is a #RRGGBB colour, else def: a brand's colour goes into CSS, where anything
// else is at best ignored by mail clients.
func color(c, def string) string {
	if hexColor.MatchString(c) {
		return strings.ToLower(c)
	}
	return def
}

// inkOn is the text colour readable on background bg (#RRGGBB): dark on light colours, white on
// dark ones, by the background's perceived brightness (ITU-R BT.601 weights).
func inkOn(bg string) string {
	v, _ := strconv.ParseUint(bg[1:], 16, 32)
	r, g, b := float64(v>>16&0xff), float64(v>>8&0xff), float64(v&0xff)
	if 0.299*r+0.587*g+0.114*b > 160 {
		return "#111827"
	}
	return "#ffffff"
}

// composer builds a view for one Data; the first failure (a missing text, a bad currency) is kept
// in err and reported by Render.
type composer struct {
	d     Data
	l     Locale
	zone  *time.Location
	order string // the order number without a leading '#', which the texts write themselves
	err   error
}

func (c *composer) t(key string, args ...string) string {
	s, err := text(c.l, key, append([]string{"order", c.order}, args...)...)
	if err != nil && c.err == nil {
		c.err = err
	}
	return s
}

func (c *composer) money(minor int64) string {
	if _, err := channels.Exponent(c.d.Currency); err != nil && c.err == nil {
		c.err = fmt.Errorf("message: amounts to show in currency %q: %w", c.d.Currency, err)
	}
	return Money(c.l, c.d.Currency, minor)
}

func (c *composer) date(t time.Time) string { return Date(c.l, t, c.zone) }

func (c *composer) say(v *view, key string, args ...string) {
	v.Paragraphs = append(v.Paragraphs, c.t(key, args...))
}

func (c *composer) fact(v *view, label, value string) {
	if value != "" {
		v.Facts = append(v.Facts, fact{c.t(label), value})
	}
}

// lines adds a table of lines under title; total, when given, closes it.
func (c *composer) lines(v *view, title string, lines []Line, total *int64) {
	if len(lines) == 0 && total == nil {
		return
	}
	tb := table{Title: c.t(title), Item: c.t("label.item"), Qty: c.t("label.qty"), Amount: c.t("label.amount")}
	for _, ln := range lines {
		tb.Amounts = tb.Amounts || ln.Amount != 0
	}
	for _, ln := range lines {
		r := row{Name: ln.Name, SKU: ln.SKU, Quantity: ln.Quantity}
		if tb.Amounts {
			r.Amount = c.money(ln.Amount)
		}
		tb.Rows = append(tb.Rows, r)
	}
	if total != nil {
		tb.TotalLabel, tb.Total = c.t("label.total"), c.money(*total)
	}
	v.Tables = append(v.Tables, tb)
}

func (c *composer) shipment(v *view) {
	c.fact(v, "label.shipment", c.d.ShipmentNumber)
	if len(c.d.Parcels) > 0 {
		v.Parcels = &parcels{Carrier: c.t("label.carrier"), Tracking: c.t("label.tracking"), Track: c.t("action.track"), List: c.d.Parcels}
	}
}

func (c *composer) reason(v *view) { c.fact(v, "label.reason", c.d.Reason) }

func (c *composer) pickup(v *view, until string) {
	c.fact(v, "label.store", c.d.PickupLocation)
	c.fact(v, "label.address", c.d.PickupAddress)
	if c.d.PickupBy != nil {
		c.say(v, until, "date", c.date(*c.d.PickupBy))
	}
}

// kinds compose each kind's own part of a message: its sentences after the body, its facts,
// tables and links. A kind not here is unknown to Render.
var kinds = map[string]func(c *composer, v *view){
	"ORDER_CONFIRMED": func(c *composer, v *view) {
		if !c.d.PlacedAt.IsZero() {
			c.fact(v, "label.placed", c.date(c.d.PlacedAt))
		}
		if c.d.ExpectedBy != nil {
			c.fact(v, "label.expected", c.date(*c.d.ExpectedBy))
		}
		total := c.d.Total
		c.lines(v, "label.items", c.d.Lines, &total)
	},
	"BACKORDERED": func(c *composer, v *view) {
		if c.d.ExpectedBy != nil {
			c.say(v, "backorder.date", "date", c.date(*c.d.ExpectedBy))
		} else {
			c.say(v, "backorder.unknown")
		}
		c.lines(v, "label.backordered", c.d.Lines, nil)
	},
	"ALLOCATED": func(c *composer, v *view) {},
	"SHIPPED": func(c *composer, v *view) {
		c.shipment(v)
		if c.d.ExpectedBy != nil {
			c.fact(v, "label.expected", c.date(*c.d.ExpectedBy))
		}
	},
	"OUT_FOR_DELIVERY": func(c *composer, v *view) { c.shipment(v) },
	"DELIVERED":        func(c *composer, v *view) { c.shipment(v) },
	"DELAYED": func(c *composer, v *view) {
		if c.d.PreviousPromise != nil {
			c.say(v, "delayed.previous", "previous", c.date(*c.d.PreviousPromise))
		}
		c.reason(v)
	},
	"READY_FOR_PICKUP": func(c *composer, v *view) { c.pickup(v, "pickup.until") },
	"PICKUP_EXPIRING":  func(c *composer, v *view) { c.pickup(v, "pickup.last") },
	"RETURN_APPROVED": func(c *composer, v *view) {
		c.fact(v, "label.return", c.d.ReturnNumber)
		if c.d.ReturnLabelAttached {
			c.say(v, "return.label")
		}
	},
	"RETURN_RECEIVED": func(c *composer, v *view) { c.fact(v, "label.return", c.d.ReturnNumber) },
	"REFUND_ISSUED": func(c *composer, v *view) {
		c.fact(v, "label.return", c.d.ReturnNumber) // the amount is in the body
	},
	"CANCELLED": func(c *composer, v *view) {
		c.reason(v)
		c.lines(v, "label.cancelled", c.d.CancelledLines, nil)
	},
	"LINES_CANCELLED": func(c *composer, v *view) {
		c.reason(v)
		c.lines(v, "label.cancelled", c.d.CancelledLines, nil)
	},
}

// compose builds d's view, or says why it cannot.
func compose(d Data) (view, error) {
	build, ok := kinds[d.Kind]
	if !ok {
		return view{}, fmt.Errorf("message: unknown kind %q", d.Kind)
	}
	l, ok := Supported(string(d.Locale))
	if !ok {
		l = English
	}
	c := &composer{d: d, l: l, zone: d.Zone, order: strings.TrimPrefix(strings.TrimSpace(d.OrderNumber), "#")}
	if c.zone == nil {
		c.zone = time.UTC
	}
	col, acc := color(d.Brand.Color, defaultColor), color(d.Brand.AccentColor, defaultAccent)
	v := view{
		Lang:    l,
		Subject: strings.Join(strings.Fields(c.t("subject."+d.Kind)), " "), // no line break can reach a mail header
		Brand:   brandView{Name: d.Brand.Name, LogoURL: d.Brand.LogoURL, Color: col, Ink: inkOn(col), Accent: acc, AccentInk: inkOn(acc)},
		Heading: c.t("heading." + d.Kind),
	}
	if name := strings.TrimSpace(d.CustomerName); name != "" {
		v.Greeting = c.t("greeting", "name", name)
	} else {
		v.Greeting = c.t("greeting.anon")
	}
	body := "body." + d.Kind
	var args []string
	switch {
	case d.Kind == "DELAYED" && d.ExpectedBy == nil:
		body = "body.DELAYED.undated"
	case d.Kind == "DELAYED":
		args = []string{"date", c.date(*d.ExpectedBy)}
	case d.Kind == "REFUND_ISSUED":
		args = []string{"amount", c.money(d.RefundAmount)}
	}
	c.say(&v, body, args...)
	v.Facts = append(v.Facts, fact{c.t("label.order"), "#" + c.order})
	build(c, &v)
	if d.OrderURL != "" {
		v.Actions = append(v.Actions, action{c.t("action.order"), d.OrderURL})
	}
	if d.Brand.SupportEmail != "" {
		v.Footer.Help = c.t("footer.help", "email", d.Brand.SupportEmail)
	}
	if d.Brand.Name != "" {
		v.Footer.Why = c.t("footer.why", "brand", d.Brand.Name)
	}
	v.Footer.Unsubscribe, v.Footer.UnsubscribeURL = c.t("unsubscribe"), d.UnsubscribeURL
	return v, c.err
}
