package orders

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// Event types of channel orders.
const (
	// EventChannelUpdated records a new raw channel status that moves nothing in Ordo.
	EventChannelUpdated = events.KindChannelUpdated
	// EventChannelAlert records a channel status Ordo cannot follow: unmapped, or unreachable from
	// the order's status (a cancelled order the channel says shipped). Someone should look.
	EventChannelAlert = events.KindChannelAlert
)

// ChannelState is what a channel last said about one of its orders.
type ChannelState struct {
	Status    channels.Status
	Raw       string
	UpdatedAt time.Time
	// Carrier and TrackingNumber come with a shipped order.
	Carrier, TrackingNumber string
	Refs                    map[string]string
	// Lines are the channel's lines as it shows them now, for the units it cancelled, the
	// quantities it changed and the lines it added (empty: the lines are not compared).
	Lines []ChannelLine
	// Unseen says the caller found no copy of the order a moment ago, so creating it is tried
	// first (a concurrent delivery that created it meanwhile is caught and applied as an update).
	Unseen bool
}

// Synced is what SyncChannelOrder did.
type Synced struct {
	Order   *ent.Order
	Created bool
	// Stale is true when the snapshot was older than the one already applied: nothing changed.
	Stale    bool
	Commands []Command
	// Alert is set when the channel's status could not be followed.
	Alert string
	// LinesChanged is true when the channel's lines changed the order's (units cancelled or added).
	LinesChanged bool
}

// SyncChannelOrder brings Ordo's copy of a channel order up to what the channel says, in one
// transaction: the first time, the order is created and its stock reserved (a shortfall is
// backordered: the channel has sold it already); then it is moved, command by command through the
// lifecycle table, towards the channel's status. Snapshots older than the last one applied change
// nothing, and so do replays of it, so that webhooks delivered twice or out of order converge on
// one order in the latest state, with one reservation and one event per change. The caller has
// checked that the channel is enabled (ingestion does).
func (s *Service) SyncChannelOrder(ctx context.Context, in PlaceInput, st ChannelState) (Synced, error) {
	in.AllowBackorder = true
	in.IdempotencyKey = ""
	if in.ChannelID == nil || in.ExternalID == "" {
		return Synced{}, fault.New(fault.InvalidArgument, "a channel order needs its channel and external id")
	}
	if err := in.Validate(); err != nil {
		return Synced{}, err
	}
	if st.UpdatedAt.IsZero() {
		st.UpdatedAt = now()
	}
	st.UpdatedAt = st.UpdatedAt.UTC().Truncate(time.Microsecond)
	for attempt := range 2 {
		var existing *ent.Order
		if attempt > 0 || !st.Unseen {
			var err error
			if existing, err = s.existing(ctx, in); err != nil {
				return Synced{}, err
			}
		}
		var err error
		var out Synced
		if existing == nil {
			out, err = s.createChannelOrder(ctx, in, st)
			if database.IsUniqueViolation(err) {
				continue // created meanwhile by a concurrent delivery: apply as an update
			}
		} else {
			out, err = s.updateChannelOrder(ctx, existing, st)
		}
		if err != nil {
			return Synced{}, err
		}
		if out.Stale {
			return out, nil
		}
		s.committed()
		if out.releases() || out.LinesChanged {
			s.replenished(ctx, out.Order.ID)
		}
		out.Order = out.Order.Unwrap()
		return out, nil
	}
	return Synced{}, fault.New(fault.Conflict, "channel order %s kept changing; retry", in.ExternalID)
}

func (out Synced) releases() bool {
	for _, c := range out.Commands {
		if rules[c].stock == ReleaseStock {
			return true
		}
	}
	return false
}

func (s *Service) createChannelOrder(ctx context.Context, in PlaceInput, st ChannelState) (Synced, error) {
	variants, components, err := s.resolve(ctx, in)
	if err != nil {
		return Synced{}, err
	}
	currency := in.Currency
	if currency == "" {
		return Synced{}, fault.New(fault.InvalidArgument, "channel order %s has no currency", in.ExternalID)
	}
	out := Synced{Created: true}
	in.synced = &st
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		out.Commands, out.Alert, out.LinesChanged = nil, "", false
		o, err := s.create(ctx, tx, in, currency, variants, components)
		if err != nil {
			return err
		}
		out.Order = o
		return s.converge(ctx, tx, o, st, true, &out)
	})
	return out, err
}

func (s *Service) updateChannelOrder(ctx context.Context, o *ent.Order, st ChannelState) (Synced, error) {
	out := Synced{Order: o}
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		out.Commands, out.Alert, out.Stale, out.LinesChanged = nil, "", false, false
		// The guard takes the order's row lock and refuses an older snapshot in one statement.
		n, err := tx.Order.Update().
			Where(order.ID(o.ID), order.Or(order.ChannelUpdatedAtIsNil(), order.ChannelUpdatedAtLTE(st.UpdatedAt))).
			SetChannelUpdatedAt(st.UpdatedAt).Save(ctx)
		if err != nil {
			return fmt.Errorf("guard channel update: %w", err)
		}
		if n == 0 {
			out.Stale = true
			return nil
		}
		cur, err := tx.Order.Get(ctx, o.ID)
		if err != nil {
			return fmt.Errorf("load order: %w", err)
		}
		changed := cur.ChannelStatus != st.Raw
		upd := tx.Order.UpdateOne(cur).SetChannelStatus(st.Raw)
		if len(st.Refs) > 0 {
			refs := maps.Clone(cur.ChannelRefs)
			if refs == nil {
				refs = map[string]string{}
			}
			maps.Copy(refs, st.Refs)
			upd.SetChannelRefs(refs)
		}
		if err := upd.Exec(ctx); err != nil {
			return fmt.Errorf("record channel status: %w", err)
		}
		out.Order = cur
		return s.converge(ctx, tx, cur, st, changed, &out)
	})
	return out, err
}

// converge applies, one at a time, the commands that bring o to the channel's status, and records
// what could not be followed. changed says whether the raw status is new (only new statuses are
// recorded and alerted on, so that a replay writes nothing).
func (s *Service) converge(ctx context.Context, tx *ent.Tx, o *ent.Order, st ChannelState, changed bool, out *Synced) error {
	raw := events.ChannelUpdated{ChannelStatus: st.Raw, Normalized: string(st.Status)}
	if err := s.convergeLines(ctx, tx, o, st, out); err != nil {
		return err
	}
	for range maxChannelSteps {
		cmd, done, ok := NextChannelCommand(o.Status, (*order.Status)(o.StatusBeforeHold), o.PaymentStatus, o.PaymentMethod, o.ChannelHold, st.Status)
		if done {
			break
		}
		if !ok {
			out.Alert = fmt.Sprintf("the channel says %s (%s) but the order is %s", st.Status, st.Raw, o.Status)
			break
		}
		in := ApplyInput{OrderID: o.ID, Command: cmd, Reason: "channel: " + st.Raw}
		if cmd == Ship {
			in.Carrier, in.TrackingNumber = st.Carrier, st.TrackingNumber
			if in.Carrier == "" {
				in.Carrier = "channel"
			}
			if in.TrackingNumber == "" {
				in.TrackingNumber = "reported by the channel"
			}
		}
		if err := s.command(ctx, tx, o, in, &raw); err != nil {
			return err
		}
		out.Commands = append(out.Commands, cmd)
		switch cmd {
		case Hold:
			o.ChannelHold = true
		case ReleaseHold:
			o.ChannelHold = false
		default:
			continue
		}
		if err := tx.Order.UpdateOne(o).SetChannelHold(o.ChannelHold).Exec(ctx); err != nil {
			return fmt.Errorf("record channel hold: %w", err)
		}
	}
	if st.Status == channels.Unknown {
		out.Alert = fmt.Sprintf("the channel's status %q is not mapped", st.Raw)
	}
	switch {
	case !changed:
		return nil
	case out.Alert != "":
		return events.Append(ctx, tx, orderEvent(ctx, o, events.ChannelAlert{ChannelStatus: raw.ChannelStatus, Normalized: raw.Normalized, Alert: out.Alert}))
	case len(out.Commands) == 0 && !out.Created:
		return events.Append(ctx, tx, orderEvent(ctx, o, raw))
	}
	return nil
}
