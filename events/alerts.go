package events

import (
	"context"
	"fmt"
	"slices"

	"entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/fault"
)

// AlertKinds are the event kinds that ask a person to look: channel alerts (statuses and lines
// Ordo cannot follow, returns included), refused confirmations, channel orders rejected, jobs failed
// for good, channel auth failures, failed notifications, disabled webhook endpoints, delayed
// shipments, ship-by alerts and marketplace return deadlines.
var AlertKinds = []string{
	KindChannelAlert, KindChannelRefused, KindOrderRejected, KindJobFailed, KindAuthFailed,
	KindNotificationFailed, KindWebhookEndpointDisabled, KindShipmentDelayed, KindShipByAlert,
	KindReturnChannelAlert, KindReturnDeadlineAlert,
}

// AlertPage is one page of alerts, newest first.
type AlertPage struct {
	Edges    []*AlertEdge
	PageInfo AlertPageInfo
}

// AlertEdge is one alert and the cursor to read on after it.
type AlertEdge struct {
	Cursor string
	Node   *ent.Event
}

// AlertPageInfo says whether older alerts follow, and the cursor to read them after.
type AlertPageInfo struct {
	HasNextPage bool
	EndCursor   *string
}

// Alerts reads at most first alerts of the given kinds (all AlertKinds when none), newest first,
// older than the cursor after (a cursor of an earlier page, or "" to start from the newest). A kind
// that is not an alert kind, or a cursor that is not one, is INVALID_ARGUMENT.
func Alerts(ctx context.Context, c *ent.Client, kinds []string, after string, first int) (*AlertPage, error) {
	if len(kinds) == 0 {
		kinds = AlertKinds
	}
	for _, k := range kinds {
		if !slices.Contains(AlertKinds, k) {
			return nil, fault.New(fault.InvalidArgument, "kinds: %q is not an alert kind (%v)", k, AlertKinds)
		}
	}
	if first < 0 {
		return nil, fault.New(fault.InvalidArgument, "alerts: first must not be negative")
	}
	q := c.Event.Query().Where(event.TypeIn(kinds...))
	if after != "" {
		p, err := ParseCursor(after)
		if err != nil {
			return nil, err
		}
		q = q.Where(event.Or(event.TxidLT(p.TxID), event.And(event.Txid(p.TxID), event.IDLT(p.ID))))
	}
	page := &AlertPage{Edges: []*AlertEdge{}}
	if first == 0 {
		return page, nil
	}
	evs, err := q.Order(event.ByTxid(sql.OrderDesc()), event.ByID(sql.OrderDesc())).Limit(first + 1).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("read alerts: %w", err)
	}
	if len(evs) > first {
		page.PageInfo.HasNextPage = true
		evs = evs[:first]
	}
	for _, e := range evs {
		page.Edges = append(page.Edges, &AlertEdge{Cursor: PositionOf(e).Cursor(), Node: e})
	}
	if n := len(page.Edges); n > 0 {
		page.PageInfo.EndCursor = &page.Edges[n-1].Cursor
	}
	return page, nil
}
