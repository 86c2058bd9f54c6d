package imports

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/importjob"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/listings"
)

// MaxCatalogItems bounds the listings one channel catalogue import reads.
const MaxCatalogItems = 200_000

// CatalogReaders opens a channel's catalogue; connections.Service is one.
type CatalogReaders interface {
	CatalogReader(ch *ent.Channel) (channels.CatalogReader, bool, error)
}

// ChannelCatalog imports a channel's catalogue (kind CHANNEL_CATALOG): Check reads every page
// through the channel's connector and indexes Ordo's variants once; Apply records the listings as
// candidates and maps them (package listings).
type ChannelCatalog struct {
	Readers CatalogReaders
}

// catalogPlan is a channel's listings, each once, and the variants they are matched against.
type catalogPlan struct {
	items []channels.CatalogItem
	ix    *listings.Index
	twice map[string]bool // seller SKUs listed more than once (listings.ListedTwice)
}

// Len implements Plan.
func (p *catalogPlan) Len() int { return len(p.items) }

// Kind implements Handler.
func (ChannelCatalog) Kind() importjob.Kind { return importjob.KindCHANNEL_CATALOG }

// Check implements Handler: it reads the channel's whole catalogue, page by page, reporting the
// listings read so far. A listing given twice is kept once (its last version); listings without an
// id cannot be mapped and are refused as rows.
func (h ChannelCatalog) Check(ctx context.Context, db *ent.Client, job *ent.ImportJob, progress func(done, total int)) (Checked, error) {
	if job.ChannelID == nil {
		return Checked{}, fault.New(fault.InvalidArgument, "a channel catalogue import needs a channel")
	}
	ch, err := db.Channel.Query().Where(channel.ID(*job.ChannelID)).Only(ctx)
	if ent.IsNotFound(err) {
		return Checked{}, fault.New(fault.NotFound, "channel %s not found", *job.ChannelID)
	} else if err != nil {
		return Checked{}, fmt.Errorf("load channel: %w", err)
	}
	r, ok, err := h.Readers.CatalogReader(ch)
	if err != nil {
		return Checked{}, err
	}
	if !ok {
		return Checked{}, fault.New(fault.Conflict, "channel %s (%s) cannot list its catalogue", ch.ID, ch.Kind)
	}
	plan := &catalogPlan{}
	at := map[string]int{}
	var errs []RowError
	read := 0
	seen := map[string]bool{}
	for cursor := ""; ; {
		page, err := r.Catalog(ctx, cursor)
		if err != nil {
			return Checked{}, fmt.Errorf("read the catalogue of channel %s: %w", ch.ID, err)
		}
		for _, it := range page.Items {
			read++
			if it.ListingID == "" {
				errs = append(errs, RowError{Row: read, Field: "listingID", Message: "the listing has no id"})
				continue
			}
			if i, dup := at[it.ListingID]; dup {
				plan.items[i] = it
				continue
			}
			at[it.ListingID] = len(plan.items)
			plan.items = append(plan.items, it)
		}
		if read > MaxCatalogItems {
			return Checked{}, fault.New(fault.InvalidArgument, "the catalogue of channel %s has more than %d listings", ch.ID, MaxCatalogItems)
		}
		progress(read, 0)
		if page.Next == "" {
			break
		}
		if seen[page.Next] {
			return Checked{}, fmt.Errorf("the catalogue of channel %s pages in a loop at %q", ch.ID, page.Next)
		}
		seen[page.Next] = true
		cursor = page.Next
	}
	plan.twice = listings.ListedTwice(plan.items)
	if plan.ix, err = listings.LoadIndex(ctx, db); err != nil {
		return Checked{}, err
	}
	progress(read, read)
	return Checked{Plan: plan, Total: read, Errors: errs}, nil
}

// Apply implements Handler: it upserts and maps the listings [from, to), at most
// listings.MaxBatch at a time.
func (h ChannelCatalog) Apply(ctx context.Context, tx *ent.Tx, job *ent.ImportJob, plan Plan, from, to int) (map[string]int, error) {
	p, ok := plan.(*catalogPlan)
	if !ok || job.ChannelID == nil || from < 0 || to > p.Len() || from > to {
		return nil, fmt.Errorf("imports: channel catalogue: no plan for rows [%d, %d)", from, to)
	}
	out := map[string]int{}
	for i := from; i < to; i += listings.MaxBatch {
		counts, err := listings.Upsert(ctx, tx, p.ix, *job.ChannelID, p.items[i:min(to, i+listings.MaxBatch)], p.twice)
		if err != nil {
			return nil, err
		}
		for k, n := range counts {
			out[k] += n
		}
	}
	return out, nil
}
