package outbound

import (
	"context"
	"errors"
	"fmt"
	"sync"
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

// PushArgs is the job of telling a channel the sellable stock of its listings that changed. At
// most one waits per channel: changes that arrive meanwhile join it, and each listing it pushes
// carries the latest number.
type PushArgs struct {
	ChannelID pulid.ID `json:"channel_id"`
}

// Kind implements river.JobArgs.
func (PushArgs) Kind() string { return "stock_push" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (PushArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueStock, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: jobs.WaitingStates()}}
}

// SweepArgs is the periodic job that queues pushes for channels left with unpushed changes.
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

// maxRounds bounds how many times one push job goes again for changes that arrived while it
// pushed; maxPerRound how many listings one round sends (connectors split them into the channel's
// own batch sizes).
const (
	maxRounds   = 5
	maxPerRound = 500
)

type pushWorker struct {
	river.WorkerDefaults[PushArgs]
	s *Service
}

// Work pushes the channel's changed listings, then goes again while more changed during the call,
// so that the channel ends with the latest numbers.
func (w *pushWorker) Work(ctx context.Context, job *river.Job[PushArgs]) error {
	for range maxRounds {
		more, err := w.s.push(ctx, job.Args.ChannelID)
		if err != nil || !more {
			return err
		}
	}
	return river.JobSnooze(w.s.coalesce())
}

// NextRetry retries a failed push soon: 1s, 2s, 4s… up to a minute.
func (w *pushWorker) NextRetry(job *river.Job[PushArgs]) time.Time {
	return time.Now().Add(min(time.Second<<min(job.Attempt-1, 6), time.Minute))
}

// push sends one round: the channel's listings with changes not yet pushed, each with its
// sellable quantity now, and records what the channel took. more is true when listings are still
// waiting (changed during the call, or beyond this round).
func (s *Service) push(ctx context.Context, channelID pulid.ID) (more bool, err error) {
	ch, err := s.DB.Client.Channel.Get(ctx, channelID)
	if ent.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load channel: %w", err)
	}
	if !ch.Active || len(ch.Credentials) == 0 {
		return false, nil // nothing to tell: enabling or connecting it pushes everything
	}
	ls, err := s.DB.Client.ChannelListing.Query().
		Where(channellisting.ChannelID(channelID), channellisting.Active(true), unpushed).
		WithVariant().Order(channellisting.ByID()).Limit(maxPerRound).All(ctx)
	if err != nil {
		return false, fmt.Errorf("load listings: %w", err)
	}
	if len(ls) == 0 {
		return false, nil
	}
	read := s.now()
	variants := make([]pulid.ID, len(ls))
	for i, l := range ls {
		variants[i] = l.VariantID
	}
	qty, err := s.sellable(ctx, ch, variants)
	if err != nil {
		return false, err
	}
	levels := make([]channels.StockLevel, len(ls))
	for i, l := range ls {
		levels[i] = channels.StockLevel{ListingID: l.ExternalID, Attrs: l.Attrs, SKU: l.Edges.Variant.Sku, Quantity: qty[l.VariantID]}
	}
	conn, err := s.Connections.Connector(ch)
	if err != nil {
		return false, err
	}
	res, err := pushParallel(ctx, conn, levels)
	if err != nil {
		s.log().WarnContext(ctx, "stock push failed", "channel", ch.ID, "listings", len(ls), "err", err)
		if rerr := s.failed(ctx, ls, err); rerr != nil {
			return false, rerr
		}
		var rl *channels.RateLimitError
		switch {
		case errors.As(err, &rl):
			return false, river.JobSnooze(max(rl.RetryAfter, time.Second))
		case errors.Is(err, channels.ErrRefused):
			return false, nil // the channel will not take them: the next change tries again
		}
		return false, err
	}
	failed := map[string]error{}
	for _, r := range res {
		if r.Err != nil {
			failed[r.ListingID] = r.Err
		}
	}
	done := s.now()
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		more = len(ls) == maxPerRound
		for _, l := range ls {
			if ferr := failed[l.ExternalID]; ferr != nil {
				upd := tx.ChannelListing.Update().Where(channellisting.ID(l.ID)).SetLastPushError(ferr.Error())
				if errors.Is(ferr, channels.ErrRefused) {
					// Refused, not lost: covered until the next change, which tries again.
					upd.Where(channellisting.DirtySeq(l.DirtySeq)).SetPushedSeq(l.DirtySeq).ClearDirtySince()
				}
				if err := upd.Exec(ctx); err != nil {
					return err
				}
				continue
			}
			again, err := recordPush(ctx, tx, l, qty[l.VariantID], read, done)
			if err != nil {
				return err
			}
			more = more || again
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("record push: %w", err)
	}
	return more, nil
}

// parallelPushes is how many stock calls one round makes to a channel at once: channels that take
// one call per item or product (Shopify, Shopee, TikTok Shop) would otherwise be told a busy
// catalogue one listing at a time.
const parallelPushes = 4

// pushParallel sends levels in up to parallelPushes concurrent PushStock calls and merges their
// results. A call that fails as a whole fails its listings; the error is returned only when every
// call failed, so that what one call got through is recorded.
func pushParallel(ctx context.Context, conn channels.Connector, levels []channels.StockLevel) ([]channels.StockResult, error) {
	parts := min(parallelPushes, len(levels))
	size := (len(levels) + parts - 1) / parts
	out := make([]channels.StockResult, len(levels))
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*size, min((p+1)*size, len(levels))
		if lo >= hi {
			continue
		}
		wg.Go(func() {
			res, err := conn.PushStock(ctx, levels[lo:hi])
			for i := lo; i < hi; i++ {
				out[i] = channels.StockResult{ListingID: levels[i].ListingID, Err: err}
			}
			if err == nil {
				copy(out[lo:hi], res)
			}
			errs[p] = err
		})
	}
	wg.Wait()
	var first error
	for _, err := range errs {
		if err == nil {
			return out, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}

// recordPush records that a listing was told q, covering the changes up to the dirty_seq it was
// read at. again is true when it changed while the call was in flight: what is still unpushed
// happened after read.
func recordPush(ctx context.Context, tx *ent.Tx, l *ent.ChannelListing, q int64, read, done time.Time) (again bool, err error) {
	upd := func(u *ent.ChannelListingUpdate) *ent.ChannelListingUpdate {
		u.SetPushedSeq(l.DirtySeq).SetLastPushedQuantity(q).SetLastPushedAt(done).SetLastPushError("")
		if l.DirtySince != nil {
			u.SetLastPushLagMs(done.Sub(*l.DirtySince).Milliseconds())
		}
		return u
	}
	n, err := upd(tx.ChannelListing.Update().Where(channellisting.ID(l.ID), channellisting.DirtySeq(l.DirtySeq))).ClearDirtySince().Save(ctx)
	if err != nil || n == 1 {
		return false, err
	}
	return true, upd(tx.ChannelListing.Update().Where(channellisting.ID(l.ID))).SetDirtySince(read).Exec(ctx)
}

// failed records a push that failed as a whole on each of its listings.
func (s *Service) failed(ctx context.Context, ls []*ent.ChannelListing, err error) error {
	ids := make([]pulid.ID, len(ls))
	for i, l := range ls {
		ids[i] = l.ID
	}
	return s.DB.Client.ChannelListing.Update().Where(channellisting.IDIn(ids...)).SetLastPushError(err.Error()).Exec(ctx)
}

// sellable is what a channel may sell now of each variant: its available units at the active
// locations that serve the channel (a bundle: as many whole bundles as each location can make),
// less the channel's buffer. Three queries, whatever the number of variants.
func (s *Service) sellable(ctx context.Context, ch *ent.Channel, variants []pulid.ID) (map[pulid.ID]int64, error) {
	locs, err := s.DB.Client.Location.Query().
		Where(location.Active(true), location.Or(location.Not(location.HasChannels()), location.HasChannelsWith(channel.ID(ch.ID)))).
		IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("load locations: %w", err)
	}
	comps, err := s.DB.Client.BundleComponent.Query().Where(bundlecomponent.BundleIDIn(variants...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load bundles: %w", err)
	}
	need := make(map[pulid.ID]map[pulid.ID]int64, len(variants))
	for _, v := range variants {
		need[v] = map[pulid.ID]int64{v: 1}
	}
	for _, c := range comps {
		if _, ok := need[c.BundleID][c.BundleID]; ok {
			need[c.BundleID] = map[pulid.ID]int64{}
		}
		need[c.BundleID][c.ComponentID] = int64(c.Quantity)
	}
	var stocked []pulid.ID
	for _, n := range need {
		for v := range n {
			stocked = append(stocked, v)
		}
	}
	levels, err := s.DB.Client.InventoryLevel.Query().
		Where(inventorylevel.VariantIDIn(stocked...), inventorylevel.LocationIDIn(locs...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load stock: %w", err)
	}
	out := make(map[pulid.ID]int64, len(variants))
	for v, n := range need {
		out[v] = Sellable(makeable(n, levels), ch.StockBufferKind, ch.StockBuffer)
	}
	return out, nil
}

// makeable is how many units of something made of need (variant → units each) the levels hold in
// all: per location, the fewest whole sets its levels make; summed over locations. For a plain SKU,
// need is {sku: 1} and this is its available stock.
func makeable(need map[pulid.ID]int64, levels []*ent.InventoryLevel) int64 {
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

// Work queues a push for every enabled channel with listings whose changes no push has covered.
func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	ids, err := w.s.DB.Client.Channel.Query().
		Where(connected, channel.HasListingsWith(channellisting.Active(true), unpushed)).IDs(ctx)
	if err != nil {
		return fmt.Errorf("load channels with unpushed listings: %w", err)
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
