package outbound

import (
	"context"
	"errors"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/jobs"
)

// PushArgs is the job of telling a channel a listing's sellable stock. At most one waits per
// listing: changes that arrive meanwhile join it.
type PushArgs struct {
	ListingID pulid.ID `json:"listing_id"`
}

// Kind implements river.JobArgs.
func (PushArgs) Kind() string { return "stock_push" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (PushArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueStock, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: jobs.WaitingStates()}}
}

// SweepArgs is the periodic job that queues pushes for listings left with unpushed changes.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "stock_sync_sweep" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SweepArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: jobs.QueueStock} }

// Sellable is what a channel may sell of available units: all of them, all but a fixed number, or
// all but a percentage (rounded up, so that the buffer never rounds away). Never below zero.
func Sellable(available int64, kind channel.StockBufferKind, buffer int) int64 {
	b := int64(buffer)
	switch kind {
	case channel.StockBufferKindFIXED:
		available -= b
	case channel.StockBufferKindPERCENT:
		available -= (available*b + 99) / 100
	}
	return max(0, available)
}

// maxRounds bounds how many times one push job goes again for changes that arrived while it pushed.
const maxRounds = 3

type pushWorker struct {
	river.WorkerDefaults[PushArgs]
	s *Service
}

// Work pushes the listing's current sellable quantity, then goes again while changes came in during
// the call, so that the channel ends with the latest number.
func (w *pushWorker) Work(ctx context.Context, job *river.Job[PushArgs]) error {
	for range maxRounds {
		again, err := w.s.push(ctx, job.Args.ListingID)
		if err != nil || !again {
			return err
		}
	}
	return river.JobSnooze(w.s.coalesce())
}

// NextRetry retries a failed push soon: 1s, 2s, 4s… up to a minute.
func (w *pushWorker) NextRetry(job *river.Job[PushArgs]) time.Time {
	return time.Now().Add(min(time.Second<<min(job.Attempt-1, 6), time.Minute))
}

// push sends one listing's quantity and records it. again is true when the listing changed while
// the call was in flight.
func (s *Service) push(ctx context.Context, id pulid.ID) (again bool, err error) {
	l, err := s.DB.Client.ChannelListing.Query().Where(channellisting.ID(id)).WithChannel().WithVariant().Only(ctx)
	if ent.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load listing: %w", err)
	}
	ch := l.Edges.Channel
	if !l.Active || !ch.Active || (l.DirtySeq == l.PushedSeq && l.LastPushedAt != nil) {
		return false, nil
	}
	read := s.now()
	seq := l.DirtySeq
	qty, err := s.sellable(ctx, ch, l.VariantID)
	if err != nil {
		return false, err
	}
	conn, err := s.Catalog.Connector(ch)
	if err != nil {
		return false, err
	}
	res, err := conn.PushStock(ctx, []channels.StockLevel{{ListingID: l.ExternalID, Attrs: l.Attrs, SKU: l.Edges.Variant.Sku, Quantity: qty}})
	if err == nil && len(res) == 1 && res[0].Err != nil {
		err = res[0].Err
	}
	if err != nil {
		s.log().WarnContext(ctx, "stock push failed", "channel", ch.ID, "listing", l.ExternalID, "err", err)
		if rerr := s.DB.Client.ChannelListing.UpdateOneID(id).SetLastPushError(err.Error()).Exec(ctx); rerr != nil {
			return false, rerr
		}
		var rl *channels.RateLimitError
		switch {
		case errors.As(err, &rl):
			return false, river.JobSnooze(max(rl.RetryAfter, time.Second))
		case errors.Is(err, channels.ErrRefused):
			return false, nil // the channel will not take it: the next change tries again
		}
		return false, err
	}
	done := s.now()
	upd := func(u *ent.ChannelListingUpdate) *ent.ChannelListingUpdate {
		u.SetPushedSeq(seq).SetLastPushedQuantity(qty).SetLastPushedAt(done).SetLastPushError("")
		if l.DirtySince != nil {
			u.SetLastPushLagMs(done.Sub(*l.DirtySince).Milliseconds())
		}
		return u
	}
	n, err := upd(s.DB.Client.ChannelListing.Update().Where(channellisting.ID(id), channellisting.DirtySeq(seq))).
		ClearDirtySince().Save(ctx)
	if err != nil {
		return false, fmt.Errorf("record push: %w", err)
	}
	if n == 1 {
		return false, nil
	}
	// Changed while the call was in flight: what is still unpushed happened after it was read.
	if err := upd(s.DB.Client.ChannelListing.Update().Where(channellisting.ID(id))).SetDirtySince(read).Exec(ctx); err != nil {
		return false, fmt.Errorf("record push: %w", err)
	}
	return true, nil
}

// sellable is what a channel may sell of a variant now: its available units at the active
// locations that serve the channel (a bundle: as many whole bundles as each location can make),
// less the channel's buffer.
func (s *Service) sellable(ctx context.Context, ch *ent.Channel, variantID pulid.ID) (int64, error) {
	locs, err := s.DB.Client.Location.Query().
		Where(location.Active(true), location.Or(location.Not(location.HasChannels()), location.HasChannelsWith(channel.ID(ch.ID)))).
		IDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("load locations: %w", err)
	}
	comps, err := s.DB.Client.BundleComponent.Query().Where(bundlecomponent.BundleID(variantID)).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load bundle: %w", err)
	}
	need := map[pulid.ID]int64{variantID: 1}
	if len(comps) > 0 {
		need = map[pulid.ID]int64{}
		for _, c := range comps {
			need[c.ComponentID] = int64(c.Quantity)
		}
	}
	ids := make([]pulid.ID, 0, len(need))
	for id := range need {
		ids = append(ids, id)
	}
	levels, err := s.DB.Client.InventoryLevel.Query().
		Where(inventorylevel.VariantIDIn(ids...), inventorylevel.LocationIDIn(locs...)).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("load stock: %w", err)
	}
	return Sellable(Makeable(need, levels), ch.StockBufferKind, ch.StockBuffer), nil
}

// Makeable is how many units of something made of need (variant → units each) the levels hold in
// all: per location, the fewest whole sets its levels make; summed over locations. For a plain SKU,
// need is {sku: 1} and this is its available stock.
func Makeable(need map[pulid.ID]int64, levels []*ent.InventoryLevel) int64 {
	type key struct{ loc, variant pulid.ID }
	avail := map[key]int64{}
	locs := map[pulid.ID]bool{}
	for _, l := range levels {
		avail[key{l.LocationID, l.VariantID}] = inventory.Available(l)
		locs[l.LocationID] = true
	}
	var total int64
	for loc := range locs {
		sets := int64(-1)
		for v, q := range need {
			n := avail[key{loc, v}] / q
			if sets < 0 || n < sets {
				sets = n
			}
		}
		total += max(0, sets)
	}
	return total
}

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Service
}

// maxSwept bounds how many listings one sweep queues.
const maxSwept = 1000

// Work queues a push for every listing with changes no push has covered.
func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	ids, err := w.s.DB.Client.ChannelListing.Query().
		Where(channellisting.Active(true), channellisting.HasChannelWith(channel.Active(true)), unpushed).
		Order(channellisting.ByID()).Limit(maxSwept).IDs(ctx)
	if err != nil {
		return fmt.Errorf("load unpushed listings: %w", err)
	}
	for _, p := range w.s.pushes(ids) {
		if _, err := w.s.Queue.Insert(ctx, p.Args, p.InsertOpts); err != nil {
			return err
		}
	}
	return nil
}

// unpushed selects listings with a change no push has covered.
func unpushed(s *entsql.Selector) {
	s.Where(entsql.ColumnsGT(s.C(channellisting.FieldDirtySeq), s.C(channellisting.FieldPushedSeq)))
}
