package orders

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/customer"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/predicate"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// The bounds of a board filter: what one request may ask the store to compare.
const (
	// MaxBoardList is the most items any list of a BoardFilter may hold.
	MaxBoardList = 50
	// MaxBoardSearch is the longest search text, in characters.
	MaxBoardSearch = 100
)

// BoardFilter narrows the console's order board. Every field that is set narrows (they combine with
// AND); the items of a list are alternatives (OR). LateRisk and Exceptions narrow when true only.
// It is the GraphQL OrderBoardFilter and the JSON of a saved view.
type BoardFilter struct {
	Statuses   []order.Status `json:"statuses,omitempty"`
	ChannelIDs []pulid.ID     `json:"channelIDs,omitempty"`
	// LocationIDs: orders with an allocation or a shipment at one of these locations.
	LocationIDs []pulid.ID `json:"locationIDs,omitempty"`
	PlacedFrom  *time.Time `json:"placedFrom,omitempty"`
	PlacedTo    *time.Time `json:"placedTo,omitempty"`
	// LateRisk: orders with an open shipment at late risk.
	LateRisk *bool `json:"lateRisk,omitempty"`
	// Exceptions: orders that need a person (ExceptionStatuses, a channel alert while open, or
	// flags for missing product data while open).
	Exceptions *bool `json:"exceptions,omitempty"`
	// DataIssues: open orders flagged for product data their lines lack (Order.data_issues); their
	// shipments wait for the data.
	DataIssues     *bool                 `json:"dataIssues,omitempty"`
	PaymentMethods []order.PaymentMethod `json:"paymentMethods,omitempty"`
	// Search: the order number or the channel's order id (exact or prefix), the customer's email
	// (exact, any case) or phone (as stored, or its digits), or a shipment's tracking number (exact).
	Search *string `json:"search,omitempty"`
}

// ExceptionStatuses are the statuses in which an order waits for a person.
var ExceptionStatuses = []order.Status{order.StatusEXCEPTION, order.StatusON_HOLD, order.StatusBACKORDERED}

// closedStatuses are the statuses after which a channel alert no longer asks for anyone.
var closedStatuses = []order.Status{order.StatusDELIVERED, order.StatusCOMPLETED, order.StatusCANCELLED,
	order.StatusRETURNED, order.StatusREFUNDED}

// settledShipments are the shipment statuses after which late risk no longer matters.
var settledShipments = []shipment.Status{shipment.StatusDELIVERED, shipment.StatusCOLLECTED,
	shipment.StatusCANCELLED, shipment.StatusRETURNED_TO_SENDER}

// Validate checks f's bounds and values: lists of at most MaxBoardList items, known statuses and
// payment methods, ids of the right kinds, a search of at most MaxBoardSearch characters and a
// placed range that is not inverted. A nil filter is valid.
func (f *BoardFilter) Validate() error {
	if f == nil {
		return nil
	}
	lists := []struct {
		name string
		n    int
	}{{"statuses", len(f.Statuses)}, {"channelIDs", len(f.ChannelIDs)}, {"locationIDs", len(f.LocationIDs)},
		{"paymentMethods", len(f.PaymentMethods)}}
	for _, l := range lists {
		if l.n > MaxBoardList {
			return fault.New(fault.InvalidArgument, "filter.%s: %d items, more than %d", l.name, l.n, MaxBoardList)
		}
	}
	for _, s := range f.Statuses {
		if err := order.StatusValidator(s); err != nil {
			return fault.New(fault.InvalidArgument, "filter.statuses: %q is not an order status", s)
		}
	}
	for _, m := range f.PaymentMethods {
		if err := order.PaymentMethodValidator(m); err != nil {
			return fault.New(fault.InvalidArgument, "filter.paymentMethods: %q is not a payment method", m)
		}
	}
	for _, id := range f.ChannelIDs {
		if err := id.Validate("chn"); err != nil {
			return fault.New(fault.InvalidArgument, "filter.channelIDs: %v", err)
		}
	}
	for _, id := range f.LocationIDs {
		if err := id.Validate("loc"); err != nil {
			return fault.New(fault.InvalidArgument, "filter.locationIDs: %v", err)
		}
	}
	if f.PlacedFrom != nil && f.PlacedTo != nil && f.PlacedTo.Before(*f.PlacedFrom) {
		return fault.New(fault.InvalidArgument, "filter: placedTo is before placedFrom")
	}
	if f.Search != nil && len([]rune(*f.Search)) > MaxBoardSearch {
		return fault.New(fault.InvalidArgument, "filter.search: longer than %d characters", MaxBoardSearch)
	}
	return nil
}

// predicates are the conditions f puts on orders; withStatuses false leaves its statuses out (the
// board's per-status counts).
func (f *BoardFilter) predicates(withStatuses bool) []predicate.Order {
	if f == nil {
		return nil
	}
	var ps []predicate.Order
	if withStatuses && len(f.Statuses) > 0 {
		ps = append(ps, order.StatusIn(f.Statuses...))
	}
	if len(f.ChannelIDs) > 0 {
		ps = append(ps, order.ChannelIDIn(f.ChannelIDs...))
	}
	if len(f.LocationIDs) > 0 {
		ps = append(ps, order.Or(
			order.HasAllocationsWith(allocation.LocationIDIn(f.LocationIDs...)),
			order.HasShipmentsWith(shipment.LocationIDIn(f.LocationIDs...)),
		))
	}
	if f.PlacedFrom != nil {
		ps = append(ps, order.PlacedAtGTE(*f.PlacedFrom))
	}
	if f.PlacedTo != nil {
		ps = append(ps, order.PlacedAtLTE(*f.PlacedTo))
	}
	if f.LateRisk != nil && *f.LateRisk {
		ps = append(ps, order.HasShipmentsWith(shipment.LateRisk(true), shipment.StatusNotIn(settledShipments...)))
	}
	if f.Exceptions != nil && *f.Exceptions {
		ps = append(ps, order.Or(
			order.StatusIn(ExceptionStatuses...),
			order.And(order.StatusNotIn(closedStatuses...), withEvent(events.KindChannelAlert)),
			flagged(),
		))
	}
	if f.DataIssues != nil && *f.DataIssues {
		ps = append(ps, flagged())
	}
	if len(f.PaymentMethods) > 0 {
		ps = append(ps, order.PaymentMethodIn(f.PaymentMethods...))
	}
	return ps
}

// where is every condition f puts on orders, its search resolved to the orders it names; none is
// true when the search names no order (nothing matches). withStatuses false leaves f's statuses
// out.
func (s *Service) where(ctx context.Context, f *BoardFilter, withStatuses bool) (ps []predicate.Order, none bool, err error) {
	ps = f.predicates(withStatuses)
	if f == nil || f.Search == nil || strings.TrimSpace(*f.Search) == "" {
		return ps, false, nil
	}
	ids, err := s.search(ctx, strings.TrimSpace(*f.Search))
	if err != nil {
		return nil, false, err
	}
	if len(ids) == 0 {
		return nil, true, nil
	}
	return append(ps, order.IDIn(ids...)), false, nil
}

// flagged is the orders flagged for missing product data that have not left yet.
func flagged() predicate.Order {
	return order.And(order.DataIssuesNotNil(), order.StatusNotIn(append([]order.Status{order.StatusSHIPPED}, closedStatuses...)...))
}

// withEvent is the orders that have an event of the kind in the log.
func withEvent(kind string) predicate.Order {
	return func(s *sql.Selector) {
		s.Where(sql.In(s.C(order.FieldID),
			sql.Select(event.FieldOrderID).From(sql.Table(event.Table)).Where(sql.EQ(event.FieldType, kind))))
	}
}

// maxSearchHits bounds the orders one kind of search match may name (a short number prefix
// matches many): the board shows the newest of those.
const maxSearchHits = 1000

// search is the ids of the orders text names, each kind looked up by an index: the order number
// (exact, or as a prefix: a range of the number index), the channel's order id (the same, through
// the (channel, external id) index), the customer's email (any case: emails are kept lower-case) or
// phone (as typed, or its digits with or without a +), a guest order's contact email, and a
// shipment's tracking number (exact).
func (s *Service) search(ctx context.Context, text string) ([]pulid.ID, error) {
	c := s.DB.Client
	var ids []pulid.ID
	add := func(q *ent.OrderQuery) error {
		found, err := q.Limit(maxSearchHits).IDs(ctx)
		ids = append(ids, found...)
		return err
	}
	if err := add(c.Order.Query().Where(prefix(order.FieldNumber, text))); err != nil {
		return nil, fmt.Errorf("search order numbers: %w", err)
	}
	channels, err := c.Channel.Query().IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if len(channels) > 0 {
		if err := add(c.Order.Query().Where(order.ChannelIDIn(channels...), prefix(order.FieldExternalID, text))); err != nil {
			return nil, fmt.Errorf("search channel order ids: %w", err)
		}
	}
	var who []predicate.Customer
	if strings.Contains(text, "@") {
		email := strings.ToLower(text)
		who = append(who, customer.Email(email))
		if err := add(c.Order.Query().Where(order.ContactEmail(email))); err != nil {
			return nil, fmt.Errorf("search contact emails: %w", err)
		}
	}
	if digits := phoneDigits(text); digits != "" {
		who = append(who, customer.PhoneIn(text, digits, "+"+digits))
	}
	if len(who) > 0 {
		cus, err := c.Customer.Query().Where(customer.Or(who...)).Limit(maxSearchHits).IDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("search customers: %w", err)
		}
		if len(cus) > 0 {
			if err := add(c.Order.Query().Where(order.CustomerIDIn(cus...))); err != nil {
				return nil, fmt.Errorf("search customers' orders: %w", err)
			}
		}
	}
	if !strings.ContainsAny(text, "@ \t") {
		var orderIDs []pulid.ID
		if err := c.Shipment.Query().Where(trackingNumber(text)).Limit(maxSearchHits).
			Select(shipment.FieldOrderID).Scan(ctx, &orderIDs); err != nil {
			return nil, fmt.Errorf("search tracking numbers: %w", err)
		}
		ids = append(ids, orderIDs...)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// prefix is the rows whose column starts with p (p itself included), as a range of the column's
// index: p ≤ column < p + U+10FFFF, checked by LIKE (the stores compare text by code point).
func prefix(column, p string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(p) + "%"
		s.Where(sql.And(sql.GTE(s.C(column), p), sql.LT(s.C(column), p+"\U0010FFFF"),
			sql.P(func(b *sql.Builder) { b.WriteString(s.C(column) + " LIKE ").Arg(like).WriteString(` ESCAPE '\'`) })))
	}
}

// phoneDigits is the digits of s when s reads as a phone number (digits, spaces, + - ( ) . and at
// least six digits), else "".
func phoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsDigit(r) && r < 128:
			b.WriteRune(r)
		case strings.ContainsRune(" +-().", r):
		default:
			return ""
		}
	}
	if b.Len() < 6 {
		return ""
	}
	return b.String()
}

// trackingNumber is the shipments with tracking number n among their tracking_numbers (a JSON
// array of strings): by containment on PostgreSQL (jsonb), on the array's text on SQLite.
func trackingNumber(n string) predicate.Shipment {
	return func(s *sql.Selector) {
		if s.Dialect() == dialect.Postgres {
			b, _ := json.Marshal([]string{n})
			s.Where(sql.P(func(p *sql.Builder) {
				p.WriteString(s.C(shipment.FieldTrackingNumbers) + " @> ").Arg(string(b)).WriteString("::jsonb")
			}))
			return
		}
		quoted, _ := json.Marshal(n)
		s.Where(sql.P(func(p *sql.Builder) {
			p.WriteString("CAST(" + s.C(shipment.FieldTrackingNumbers) + " AS TEXT) LIKE ").Arg("%" + string(quoted) + "%")
		}))
	}
}

// boardOrder is the board's order: newest placed first, the id breaking ties (the keyset).
func boardOrder(q *ent.OrderQuery) *ent.OrderQuery {
	return q.Order(order.ByPlacedAt(sql.OrderDesc()), order.ByID(sql.OrderDesc()))
}

// BoardRead says what a board page reads besides its orders.
type BoardRead struct {
	// Total counts the orders under the whole filter (the connection's totalCount).
	Total bool
	// Channel, Customer and Shipments load those edges of the page's orders, one query each.
	Channel, Customer, Shipments bool
}

// Board is one page of the console's order board under f: at most first orders, newest placed
// first, after the cursor (from an earlier page's edges). New orders arriving between pages neither
// repeat nor hide any order of the later pages.
func (s *Service) Board(ctx context.Context, f *BoardFilter, after *ent.Cursor, first int, read BoardRead) (*ent.OrderConnection, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if first < 0 {
		return nil, fault.New(fault.InvalidArgument, "orderBoard: first must not be negative")
	}
	ps, none, err := s.where(ctx, f, true)
	if err != nil {
		return nil, err
	}
	conn := &ent.OrderConnection{Edges: []*ent.OrderEdge{}}
	if none {
		conn.PageInfo.HasPreviousPage = after != nil
		return conn, nil
	}
	if read.Total {
		n, err := s.DB.Client.Order.Query().Where(ps...).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("count the board: %w", err)
		}
		conn.TotalCount = n
	}
	q := s.DB.Client.Order.Query().Where(ps...)
	if after != nil {
		at, err := cursorTime(after)
		if err != nil {
			return nil, err
		}
		q = q.Where(order.Or(order.PlacedAtLT(at), order.And(order.PlacedAt(at), order.IDLT(after.ID))))
	}
	if first == 0 {
		conn.PageInfo.HasPreviousPage = after != nil
		return conn, nil
	}
	if read.Channel {
		q.WithChannel()
	}
	if read.Customer {
		q.WithCustomer()
	}
	if read.Shipments {
		q.WithShipments()
	}
	nodes, err := boardOrder(q).Limit(first + 1).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the board: %w", err)
	}
	conn.PageInfo.HasPreviousPage = after != nil
	if len(nodes) > first {
		conn.PageInfo.HasNextPage = true
		nodes = nodes[:first]
	}
	for _, o := range nodes {
		conn.Edges = append(conn.Edges, &ent.OrderEdge{Node: o,
			Cursor: ent.Cursor{ID: o.ID, Value: o.PlacedAt.UTC().Format(time.RFC3339Nano)}})
	}
	if n := len(conn.Edges); n > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[n-1].Cursor
	}
	return conn, nil
}

// cursorTime is the placed time a board cursor carries.
func cursorTime(c *ent.Cursor) (time.Time, error) {
	v, ok := c.Value.(string)
	if !ok {
		return time.Time{}, fault.New(fault.InvalidArgument, "after: not a cursor of the order board")
	}
	at, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fault.New(fault.InvalidArgument, "after: not a cursor of the order board")
	}
	return at, nil
}

// StatusCount is the number of orders in one status.
type StatusCount struct {
	Status order.Status `json:"status"`
	Count  int          `json:"count"`
}

// BoardCounts counts the orders under f per status, leaving f's statuses out (the board's tabs).
// Statuses without orders are left out; the rest come in the lifecycle's order.
func (s *Service) BoardCounts(ctx context.Context, f *BoardFilter) ([]*StatusCount, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	ps, none, err := s.where(ctx, f, false)
	if err != nil || none {
		return []*StatusCount{}, err
	}
	var rows []StatusCount
	err = s.DB.Client.Order.Query().Where(ps...).
		GroupBy(order.FieldStatus).Aggregate(ent.Count()).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("count orders per status: %w", err)
	}
	out := []*StatusCount{}
	for _, st := range schema.OrderStatuses {
		if i := slices.IndexFunc(rows, func(r StatusCount) bool { return string(r.Status) == st }); i >= 0 && rows[i].Count > 0 {
			out = append(out, &rows[i])
		}
	}
	return out, nil
}
