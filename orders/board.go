package orders

import (
	"context"
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
	// Exceptions: orders that need a person (ExceptionStatuses, or a channel alert while open).
	Exceptions     *bool                 `json:"exceptions,omitempty"`
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
		))
	}
	if len(f.PaymentMethods) > 0 {
		ps = append(ps, order.PaymentMethodIn(f.PaymentMethods...))
	}
	if f.Search != nil {
		if s := strings.TrimSpace(*f.Search); s != "" {
			ps = append(ps, search(s))
		}
	}
	return ps
}

// withEvent is the orders that have an event of the kind in the log.
func withEvent(kind string) predicate.Order {
	return func(s *sql.Selector) {
		s.Where(sql.In(s.C(order.FieldID),
			sql.Select(event.FieldOrderID).From(sql.Table(event.Table)).Where(sql.EQ(event.FieldType, kind))))
	}
}

// search is the orders s names: by number or channel order id (exact or prefix), by the customer's
// email or phone, or by a tracking number of one of its shipments.
func search(s string) predicate.Order {
	alts := []predicate.Order{
		order.Number(s), order.NumberHasPrefix(s),
		order.ExternalID(s), order.ExternalIDHasPrefix(s),
	}
	if strings.Contains(s, "@") {
		email := strings.ToLower(s)
		alts = append(alts, order.ContactEmail(email), order.HasCustomerWith(customer.Email(email)))
	}
	if digits := phoneDigits(s); digits != "" {
		alts = append(alts, order.HasCustomerWith(customer.PhoneIn(s, digits, "+"+digits)))
	}
	alts = append(alts, order.HasShipmentsWith(trackingNumber(s)))
	return order.Or(alts...)
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
// array of strings), compared on the array's text.
func trackingNumber(n string) predicate.Shipment {
	return func(s *sql.Selector) {
		quoted := fmt.Sprintf("%%%q%%", n) // "%\"N\"%": the element, quotes included
		col := s.C(shipment.FieldTrackingNumbers)
		if s.Dialect() == dialect.Postgres {
			col += "::text"
		}
		s.Where(sql.P(func(b *sql.Builder) {
			b.WriteString(col).WriteString(" LIKE ").Arg(quoted)
		}))
	}
}

// boardOrder is the board's order: newest placed first, the id breaking ties (the keyset).
func boardOrder(q *ent.OrderQuery) *ent.OrderQuery {
	return q.Order(order.ByPlacedAt(sql.OrderDesc()), order.ByID(sql.OrderDesc()))
}

// Board is one page of the console's order board under f: at most first orders, newest placed
// first, after the cursor (from an earlier page's edges). New orders arriving between pages neither
// repeat nor hide any order of the later pages. total asks for the connection's totalCount as well
// (a count under the whole filter).
func (s *Service) Board(ctx context.Context, f *BoardFilter, after *ent.Cursor, first int, total bool) (*ent.OrderConnection, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if first < 0 {
		return nil, fault.New(fault.InvalidArgument, "orderBoard: first must not be negative")
	}
	ps := f.predicates(true)
	conn := &ent.OrderConnection{Edges: []*ent.OrderEdge{}}
	if total {
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
	var rows []StatusCount
	err := s.DB.Client.Order.Query().Where(f.predicates(false)...).
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
