// Package pulse reads the last minutes of operations for the console's peak view: orders placed
// per minute on each channel, how long stock pushes have waited and how many failed, the job
// queues' depths, and the shipments at risk of arriving late. It only reads.
package pulse

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
)

// The window a pulse may cover, in minutes.
const (
	MinMinutes = 5
	MaxMinutes = 1440
)

// Pulse is the state of operations over the last Minutes minutes.
type Pulse struct {
	Minutes  int
	Channels []*ChannelPulse
	Queues   []*QueuePulse
	// LateRiskShipments are shipments with their carrier flagged late-risk (a delay, a silence, an
	// estimate past the promise).
	LateRiskShipments int
	// DelayedShipments are outbound shipments not yet delivered whose promised delivery has passed.
	DelayedShipments int
}

// ChannelPulse is one channel's orders and stock sync.
type ChannelPulse struct {
	Channel *ent.Channel
	// OrdersPerMinute has one point per minute of the window, oldest first.
	OrdersPerMinute []Point
	// StockSyncLagSeconds is how long the oldest listing waiting for a push has waited (0: none).
	StockSyncLagSeconds float64
	// PushErrors counts the channel's listings whose last push failed.
	PushErrors int
}

// Point is one minute's value.
type Point struct {
	At    time.Time
	Value float64
}

// QueuePulse is one job queue's depth.
type QueuePulse struct {
	Queue     string
	Available int
	Running   int
	Retryable int
	// Failed counts jobs discarded after their last attempt.
	Failed int
	// OldestSeconds is the age of the oldest available job (0: none).
	OldestSeconds float64
}

// deliveredStates are the outbound shipment states that are no longer waiting to arrive.
var deliveredStates = []shipment.Status{shipment.StatusDELIVERED, shipment.StatusCOLLECTED, shipment.StatusCANCELLED,
	shipment.StatusRETURNED_TO_SENDER}

// inTransit are the states in which a shipment is with its carrier.
var inTransit = []shipment.Status{shipment.StatusSHIPPED, shipment.StatusIN_TRANSIT, shipment.StatusOUT_FOR_DELIVERY,
	shipment.StatusATTEMPT_FAILED, shipment.StatusEXCEPTION}

// Read reads the pulse of the last minutes (MinMinutes to MaxMinutes, else INVALID_ARGUMENT) at now.
func Read(ctx context.Context, db *database.DB, minutes int, now time.Time) (*Pulse, error) {
	if minutes < MinMinutes || minutes > MaxMinutes {
		return nil, fault.New(fault.InvalidArgument, "minutes: %d is outside %d to %d", minutes, MinMinutes, MaxMinutes)
	}
	now = now.UTC()
	end := now.Truncate(time.Minute)
	start := end.Add(-time.Duration(minutes-1) * time.Minute)
	p := &Pulse{Minutes: minutes, Channels: []*ChannelPulse{}}
	chans, err := db.Client.Channel.Query().Order(channel.ByName(), channel.ByID()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("read channels: %w", err)
	}
	perMinute, err := ordersPerMinute(ctx, db, start)
	if err != nil {
		return nil, err
	}
	for _, c := range chans {
		cp := &ChannelPulse{Channel: c, OrdersPerMinute: make([]Point, minutes)}
		for i := range cp.OrdersPerMinute {
			at := start.Add(time.Duration(i) * time.Minute)
			cp.OrdersPerMinute[i] = Point{At: at, Value: float64(perMinute[bucket{c.ID, at.Unix() / 60}])}
		}
		oldest, err := db.Client.ChannelListing.Query().
			Where(channellisting.ChannelID(c.ID), channellisting.Active(true), channellisting.DirtySinceNotNil()).
			Order(channellisting.ByDirtySince()).First(ctx)
		switch {
		case ent.IsNotFound(err):
		case err != nil:
			return nil, fmt.Errorf("read stock sync lag: %w", err)
		default:
			cp.StockSyncLagSeconds = max(0, now.Sub(*oldest.DirtySince).Seconds())
		}
		if cp.PushErrors, err = db.Client.ChannelListing.Query().
			Where(channellisting.ChannelID(c.ID), channellisting.Active(true), channellisting.LastPushErrorNEQ("")).
			Count(ctx); err != nil {
			return nil, fmt.Errorf("count push errors: %w", err)
		}
		p.Channels = append(p.Channels, cp)
	}
	if p.Queues, err = queues(ctx, db); err != nil {
		return nil, err
	}
	if p.LateRiskShipments, err = db.Client.Shipment.Query().
		Where(shipment.StatusIn(inTransit...), shipment.LateRisk(true)).Count(ctx); err != nil {
		return nil, fmt.Errorf("count late-risk shipments: %w", err)
	}
	if p.DelayedShipments, err = db.Client.Shipment.Query().
		Where(shipment.DirectionEQ(shipment.DirectionOUTBOUND), shipment.StatusNotIn(deliveredStates...),
			shipment.PromisedDeliveryToLT(now)).Count(ctx); err != nil {
		return nil, fmt.Errorf("count delayed shipments: %w", err)
	}
	return p, nil
}

// bucket is one channel's minute (Unix minutes).
type bucket struct {
	channel pulid.ID
	minute  int64
}

// ordersPerMinute counts the orders placed since start per channel and minute, in the store.
func ordersPerMinute(ctx context.Context, db *database.DB, start time.Time) (map[bucket]int, error) {
	minute := "CAST(strftime('%s', placed_at) AS INTEGER) / 60"
	if db.Dialect == dialect.Postgres {
		minute = "CAST(floor(extract(epoch FROM placed_at) / 60) AS BIGINT)"
	}
	rows, err := db.SQL.QueryContext(ctx, "SELECT channel_id, "+minute+" AS m, COUNT(*) FROM orders "+
		"WHERE placed_at >= "+placeholder(db, 1)+" AND channel_id IS NOT NULL GROUP BY channel_id, m", start)
	if err != nil {
		return nil, fmt.Errorf("count orders per minute: %w", err)
	}
	defer rows.Close()
	out := map[bucket]int{}
	for rows.Next() {
		var b bucket
		var n int
		if err := rows.Scan(&b.channel, &b.minute, &n); err != nil {
			return nil, fmt.Errorf("count orders per minute: %w", err)
		}
		out[b] = n
	}
	return out, rows.Err()
}

// queues reads River's job table: jobs per queue and state, and the oldest available job's age.
func queues(ctx context.Context, db *database.DB) ([]*QueuePulse, error) {
	age := "(julianday('now') - julianday(MIN(scheduled_at))) * 86400.0"
	if db.Dialect == dialect.Postgres {
		age = "EXTRACT(EPOCH FROM now() - MIN(scheduled_at))::float8"
	}
	rows, err := db.SQL.QueryContext(ctx, "SELECT queue, state, COUNT(*), CASE WHEN state = 'available' THEN "+age+
		" ELSE 0 END FROM river_job WHERE state IN ('available', 'running', 'retryable', 'discarded') GROUP BY queue, state")
	if err != nil {
		return nil, fmt.Errorf("read job queues: %w", err)
	}
	defer rows.Close()
	byName := map[string]*QueuePulse{}
	out := []*QueuePulse{}
	get := func(name string) *QueuePulse {
		if q, ok := byName[name]; ok {
			return q
		}
		q := &QueuePulse{Queue: name}
		byName[name] = q
		out = append(out, q)
		return q
	}
	for _, name := range jobs.Queues {
		get(name)
	}
	for rows.Next() {
		var name, state string
		var n int
		var oldest float64
		if err := rows.Scan(&name, &state, &n, &oldest); err != nil {
			return nil, fmt.Errorf("read job queues: %w", err)
		}
		q := get(name)
		switch state {
		case "available":
			q.Available, q.OldestSeconds = n, max(0, oldest)
		case "running":
			q.Running = n
		case "retryable":
			q.Retryable = n
		case "discarded":
			q.Failed = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read job queues: %w", err)
	}
	slices.SortStableFunc(out, func(a, b *QueuePulse) int { return strings.Compare(a.Queue, b.Queue) })
	return out, nil
}

// placeholder is the store's n-th query parameter.
func placeholder(db *database.DB, n int) string {
	if db.Dialect == dialect.Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}
