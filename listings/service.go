package listings

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/listingcandidate"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// MaxBatch bounds the listings one Upsert, Confirm or Ignore takes.
const MaxBatch = 500

// writeChunk bounds the rows of one bulk insert, so that it stays under SQLite's and PostgreSQL's
// limits on a statement's parameters.
const writeChunk = 100

// Service keeps a channel's listing candidates and their ChannelListings.
type Service struct {
	DB *database.DB
	// Changed is called after listings change (the stock sync looks at them again).
	Changed func()

	cache indexCache // for Discover
}

func (s *Service) changed() {
	if s.Changed != nil {
		s.Changed()
	}
}

// Counts are what an Upsert did: "new" candidates, and the candidates by their status now
// ("mapped", "confirmed", "review", "ignored") and the mapped ones by reason ("exact_sku",
// "normalised_sku", "barcode", "options", "bundle"); "skipped" listings had no id.
type Counts = map[string]int

// Upsert records the channel's listings items as candidates, in tx, and maps them against ix. A
// candidate an operator confirmed or ignored keeps its decision (unless a ChannelListing was set by
// hand since, which is taken as a confirmation); a mapped one keeps its variant
// while the variant exists; one in review is matched again. A listing that already has a
// ChannelListing (set by hand) is taken as confirmed with its variant. Mapped and confirmed
// candidates get (or refresh) their ChannelListing, marked for a stock push when it is new or its
// variant or state changed; the others have none. listedTwice holds the normalised seller SKUs the
// channel lists under more than one listing (ListedTwice): a listing that maps only by such a SKU
// is AMBIGUOUS (which of them is the real one, and should both get all the stock?) and waits.
func Upsert(ctx context.Context, tx *ent.Tx, ix *Index, channelID pulid.ID, items []channels.CatalogItem, listedTwice map[string]bool) (Counts, error) {
	if len(items) > MaxBatch {
		return nil, fault.New(fault.InvalidArgument, "upsert at most %d listings at a time, got %d", MaxBatch, len(items))
	}
	counts := Counts{}
	byExt := map[string]channels.CatalogItem{}
	var ids []string
	for _, it := range items {
		it.ListingID = strings.TrimSpace(it.ListingID)
		if it.ListingID == "" {
			counts["skipped"]++
			continue
		}
		if _, dup := byExt[it.ListingID]; !dup {
			ids = append(ids, it.ListingID)
		}
		byExt[it.ListingID] = it
	}
	if len(ids) == 0 {
		return counts, nil
	}
	old, err := tx.ListingCandidate.Query().Where(listingcandidate.ChannelID(channelID), listingcandidate.ExternalIDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load candidates: %w", err)
	}
	oldCand := map[string]*ent.ListingCandidate{}
	for _, c := range old {
		oldCand[c.ExternalID] = c
	}
	ls, err := tx.ChannelListing.Query().Where(channellisting.ChannelID(channelID), channellisting.ExternalIDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load listings: %w", err)
	}
	oldList := map[string]*ent.ChannelListing{}
	for _, l := range ls {
		oldList[l.ExternalID] = l
	}
	now := time.Now().UTC()
	var creates []*ent.ListingCandidateCreate
	var listed []listingRow
	var unlisted []string
	for _, ext := range ids {
		it := byExt[ext]
		d := decide(ix, it, oldCand[ext], oldList[ext], listedTwice)
		if oldCand[ext] == nil {
			counts["new"]++
		}
		counts[strings.ToLower(string(d.status))]++
		if d.status == listingcandidate.StatusMAPPED {
			counts[strings.ToLower(string(d.reason))]++
		}
		sugg := make([]schema.ListingSuggestion, len(d.suggestions))
		for i, s := range d.suggestions {
			sugg[i] = schema.ListingSuggestion{VariantID: s.VariantID, SKU: s.SKU, Reason: s.Reason, Score: s.Score}
		}
		c := tx.ListingCandidate.Create().SetChannelID(channelID).SetExternalID(ext).SetSellerSku(it.SellerSKU).
			SetBarcode(it.Barcode).SetTitle(it.Title).SetOptions(nonNil(it.Options)).SetAttrs(nonNil(it.Attrs)).
			SetPriceAmount(it.Price).SetComponentSkus(nonNilSlice(it.ComponentSKUs)).SetStatus(d.status).SetReason(d.reason).
			SetSuggestions(sugg).SetDecidedBy(d.decidedBy).SetLastSeenAt(now).SetUpdatedAt(now)
		if d.variantID != "" {
			c.SetVariantID(d.variantID)
			listed = append(listed, listingRow{ext: ext, variantID: d.variantID, sellerSKU: it.SellerSKU, attrs: it.Attrs, active: it.Active})
		} else {
			unlisted = append(unlisted, ext)
		}
		creates = append(creates, c)
	}
	for chunk := range slices.Chunk(creates, writeChunk) {
		if err := tx.ListingCandidate.CreateBulk(chunk...).
			OnConflictColumns(listingcandidate.FieldChannelID, listingcandidate.FieldExternalID).UpdateNewValues().Exec(ctx); err != nil {
			return nil, fmt.Errorf("save candidates: %w", err)
		}
	}
	if len(unlisted) > 0 {
		// A candidate without a variant (in review, ignored) has no ChannelListing.
		if err := tx.ListingCandidate.Update().Where(listingcandidate.ChannelID(channelID), listingcandidate.ExternalIDIn(unlisted...)).
			ClearVariantID().Exec(ctx); err != nil {
			return nil, fmt.Errorf("clear candidates: %w", err)
		}
		if _, err := tx.ChannelListing.Delete().Where(channellisting.ChannelID(channelID), channellisting.ExternalIDIn(unlisted...)).Exec(ctx); err != nil {
			return nil, fmt.Errorf("drop listings: %w", err)
		}
	}
	if err := saveListings(ctx, tx, channelID, listed, oldList); err != nil {
		return nil, err
	}
	return counts, nil
}

// decision is what becomes of one candidate.
type decision struct {
	status      listingcandidate.Status
	reason      listingcandidate.Reason
	variantID   pulid.ID
	suggestions []Suggestion
	decidedBy   string
}

// decide applies Upsert's rules to one listing: what an operator decided stays, a ChannelListing
// set by hand is a confirmation, a mapping stays while its variant exists, anything else is matched.
func decide(ix *Index, it channels.CatalogItem, c *ent.ListingCandidate, l *ent.ChannelListing, listedTwice map[string]bool) decision {
	if c != nil {
		switch c.Status {
		case listingcandidate.StatusIGNORED:
			if l == nil { // a ChannelListing set by hand since says the operator changed their mind
				return decision{status: c.Status, reason: c.Reason, decidedBy: c.DecidedBy}
			}
		case listingcandidate.StatusCONFIRMED:
			if c.VariantID != nil && (l == nil || l.VariantID == *c.VariantID) {
				return decision{status: c.Status, reason: c.Reason, variantID: *c.VariantID, decidedBy: c.DecidedBy}
			}
		case listingcandidate.StatusMAPPED:
			if c.VariantID != nil && ix.Has(*c.VariantID) && (l == nil || l.VariantID == *c.VariantID) {
				return decision{status: c.Status, reason: c.Reason, variantID: *c.VariantID}
			}
		}
	}
	if l != nil {
		return decision{status: listingcandidate.StatusCONFIRMED, reason: listingcandidate.ReasonMANUAL, variantID: l.VariantID}
	}
	m := ix.Match(Item{SellerSKU: it.SellerSKU, Barcode: it.Barcode, Title: it.Title, Options: it.Options, Components: it.ComponentSKUs})
	if m.Mapped() && (m.Reason == ExactSKU || m.Reason == NormalisedSKU) && listedTwice[NormaliseSKU(it.SellerSKU)] {
		v := ix.vs[ix.byID[m.VariantID]]
		return decision{status: listingcandidate.StatusREVIEW, reason: listingcandidate.ReasonAMBIGUOUS,
			suggestions: []Suggestion{{VariantID: v.ID, SKU: v.SKU, Reason: SuggestListedTwice, Score: 0.9}}}
	}
	if m.Mapped() {
		return decision{status: listingcandidate.StatusMAPPED, reason: listingcandidate.Reason(m.Reason), variantID: m.VariantID}
	}
	return decision{status: listingcandidate.StatusREVIEW, reason: listingcandidate.Reason(m.Reason), suggestions: m.Suggestions}
}

// listingRow is a ChannelListing to save.
type listingRow struct {
	ext       string
	variantID pulid.ID
	sellerSKU string
	attrs     map[string]string
	active    bool
}

// saveListings upserts the ChannelListings rows and marks for a stock push those that are new or
// whose variant or state changed.
func saveListings(ctx context.Context, tx *ent.Tx, channelID pulid.ID, rows []listingRow, old map[string]*ent.ChannelListing) error {
	if len(rows) == 0 {
		return nil
	}
	creates := make([]*ent.ChannelListingCreate, len(rows))
	var dirty []string
	for i, r := range rows {
		creates[i] = tx.ChannelListing.Create().SetChannelID(channelID).SetExternalID(r.ext).SetVariantID(r.variantID).
			SetSellerSku(r.sellerSKU).SetAttrs(nonNil(r.attrs)).SetActive(r.active)
		if o := old[r.ext]; o == nil || o.VariantID != r.variantID || o.Active != r.active {
			dirty = append(dirty, r.ext)
		}
	}
	for chunk := range slices.Chunk(creates, writeChunk) {
		err := tx.ChannelListing.CreateBulk(chunk...).OnConflictColumns(channellisting.FieldChannelID, channellisting.FieldExternalID).
			Update(func(u *ent.ChannelListingUpsert) {
				u.UpdateVariantID().UpdateSellerSku().UpdateAttrs().UpdateActive().UpdateUpdatedAt()
			}).Exec(ctx)
		if err != nil {
			return fmt.Errorf("save listings: %w", err)
		}
	}
	if len(dirty) == 0 {
		return nil
	}
	return catalog.MarkListingsChanged(ctx, tx, channelID, channellisting.ExternalIDIn(dirty...))
}

// ListedTwice returns the normalised seller SKUs that more than one of a channel's listings carry.
func ListedTwice(items []channels.CatalogItem) map[string]bool {
	first := map[string]string{}
	out := map[string]bool{}
	for _, it := range items {
		n := NormaliseSKU(it.SellerSKU)
		if n == "" || strings.TrimSpace(it.ListingID) == "" {
			continue
		}
		if id, ok := first[n]; ok && id != it.ListingID {
			out[n] = true
		} else if !ok {
			first[n] = it.ListingID
		}
	}
	return out
}

// Decision maps one candidate to a variant.
type Decision struct {
	CandidateID pulid.ID
	VariantID   pulid.ID
}

// Confirm maps the candidates to the variants an operator chose, all or nothing: each candidate
// and variant must exist and a candidate may appear once. The candidates become CONFIRMED (reason
// MANUAL), their ChannelListings are created or moved to the variant and pushed, and each channel
// concerned records a listing.confirmed event. At most MaxBatch at a time.
func (s *Service) Confirm(ctx context.Context, in []Decision) ([]*ent.ListingCandidate, error) {
	if len(in) == 0 || len(in) > MaxBatch {
		return nil, fault.New(fault.InvalidArgument, "confirm between 1 and %d listings at a time, got %d", MaxBatch, len(in))
	}
	cids := make([]pulid.ID, len(in))
	vids := make([]pulid.ID, 0, len(in))
	seen := map[pulid.ID]bool{}
	for i, d := range in {
		if err := d.CandidateID.Validate("lcd"); err != nil {
			return nil, fault.New(fault.InvalidArgument, "decision %d: candidateID: %v", i+1, err)
		}
		if err := d.VariantID.Validate("sku"); err != nil {
			return nil, fault.New(fault.InvalidArgument, "decision %d: variantID: %v", i+1, err)
		}
		if seen[d.CandidateID] {
			return nil, fault.New(fault.InvalidArgument, "candidate %s is given twice", d.CandidateID)
		}
		seen[d.CandidateID] = true
		cids[i] = d.CandidateID
		vids = append(vids, d.VariantID)
	}
	actor := auth.Actor(ctx)
	var out []*ent.ListingCandidate
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		cands, err := candidates(ctx, tx, cids)
		if err != nil {
			return err
		}
		vs, err := tx.Variant.Query().Where(variant.IDIn(vids...)).Select(variant.FieldID, variant.FieldSku).All(ctx)
		if err != nil {
			return fmt.Errorf("load variants: %w", err)
		}
		sku := map[pulid.ID]string{}
		for _, v := range vs {
			sku[v.ID] = v.Sku
		}
		perChannel := map[pulid.ID][]events.ListingDecision{}
		rows := map[pulid.ID][]listingRow{}
		for _, d := range in {
			c := cands[d.CandidateID]
			if _, ok := sku[d.VariantID]; !ok {
				return fault.New(fault.NotFound, "variant %s not found (candidate %s)", d.VariantID, d.CandidateID)
			}
			if err := tx.ListingCandidate.UpdateOneID(c.ID).SetStatus(listingcandidate.StatusCONFIRMED).
				SetReason(listingcandidate.ReasonMANUAL).SetVariantID(d.VariantID).ClearSuggestions().SetDecidedBy(actor).Exec(ctx); err != nil {
				return fmt.Errorf("confirm %s: %w", c.ID, err)
			}
			perChannel[c.ChannelID] = append(perChannel[c.ChannelID], events.ListingDecision{
				CandidateID: string(c.ID), ExternalID: c.ExternalID, VariantID: string(d.VariantID), SKU: sku[d.VariantID]})
			rows[c.ChannelID] = append(rows[c.ChannelID], listingRow{ext: c.ExternalID, variantID: d.VariantID,
				sellerSKU: c.SellerSku, attrs: c.Attrs, active: true})
		}
		for _, ch := range slices.Sorted(maps.Keys(rows)) {
			exts := make([]string, len(rows[ch]))
			for i, r := range rows[ch] {
				exts[i] = r.ext
			}
			ls, err := tx.ChannelListing.Query().Where(channellisting.ChannelID(ch), channellisting.ExternalIDIn(exts...)).All(ctx)
			if err != nil {
				return fmt.Errorf("load listings: %w", err)
			}
			old := map[string]*ent.ChannelListing{}
			for _, l := range ls {
				old[l.ExternalID] = l
				// An operator's confirmation keeps the listing's state on the channel.
				for i := range rows[ch] {
					if rows[ch][i].ext == l.ExternalID {
						rows[ch][i].active = l.Active
					}
				}
			}
			if err := saveListings(ctx, tx, ch, rows[ch], old); err != nil {
				return err
			}
			if err := events.Append(ctx, tx, events.Event{ChannelID: string(ch), Actor: actor,
				Payload: events.ListingConfirmed{Listings: perChannel[ch]}}); err != nil {
				return err
			}
		}
		out, err = tx.ListingCandidate.Query().Where(listingcandidate.IDIn(cids...)).Order(listingcandidate.ByID()).All(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.changed()
	return unwrap(out), nil
}

// Ignore takes the candidates out of the review queue: they become IGNORED, lose any
// ChannelListing (their stock is no longer synced) and later imports leave them so. All or
// nothing; at most MaxBatch at a time.
func (s *Service) Ignore(ctx context.Context, ids []pulid.ID) ([]*ent.ListingCandidate, error) {
	if len(ids) == 0 || len(ids) > MaxBatch {
		return nil, fault.New(fault.InvalidArgument, "ignore between 1 and %d listings at a time, got %d", MaxBatch, len(ids))
	}
	seen := map[pulid.ID]bool{}
	for i, id := range ids {
		if err := id.Validate("lcd"); err != nil {
			return nil, fault.New(fault.InvalidArgument, "id %d: %v", i+1, err)
		}
		if seen[id] {
			return nil, fault.New(fault.InvalidArgument, "candidate %s is given twice", id)
		}
		seen[id] = true
	}
	actor := auth.Actor(ctx)
	var out []*ent.ListingCandidate
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		cands, err := candidates(ctx, tx, ids)
		if err != nil {
			return err
		}
		if err := tx.ListingCandidate.Update().Where(listingcandidate.IDIn(ids...)).SetStatus(listingcandidate.StatusIGNORED).
			ClearVariantID().ClearSuggestions().SetDecidedBy(actor).Exec(ctx); err != nil {
			return fmt.Errorf("ignore: %w", err)
		}
		perChannel := map[pulid.ID][]events.ListingDecision{}
		for _, id := range ids {
			c := cands[id]
			perChannel[c.ChannelID] = append(perChannel[c.ChannelID], events.ListingDecision{CandidateID: string(c.ID), ExternalID: c.ExternalID})
		}
		for _, ch := range slices.Sorted(maps.Keys(perChannel)) {
			exts := make([]string, len(perChannel[ch]))
			for i, d := range perChannel[ch] {
				exts[i] = d.ExternalID
			}
			if _, err := tx.ChannelListing.Delete().Where(channellisting.ChannelID(ch), channellisting.ExternalIDIn(exts...)).Exec(ctx); err != nil {
				return fmt.Errorf("drop listings: %w", err)
			}
			if err := events.Append(ctx, tx, events.Event{ChannelID: string(ch), Actor: actor,
				Payload: events.ListingIgnored{Listings: perChannel[ch]}}); err != nil {
				return err
			}
		}
		out, err = tx.ListingCandidate.Query().Where(listingcandidate.IDIn(ids...)).Order(listingcandidate.ByID()).All(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.changed()
	return unwrap(out), nil
}

// candidates loads the candidates with the ids; a missing one is NOT_FOUND.
func candidates(ctx context.Context, tx *ent.Tx, ids []pulid.ID) (map[pulid.ID]*ent.ListingCandidate, error) {
	cs, err := tx.ListingCandidate.Query().Where(listingcandidate.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load candidates: %w", err)
	}
	out := make(map[pulid.ID]*ent.ListingCandidate, len(cs))
	for _, c := range cs {
		out[c.ID] = c
	}
	for _, id := range ids {
		if out[id] == nil {
			return nil, fault.New(fault.NotFound, "listing candidate %s not found", id)
		}
	}
	return out, nil
}

// Filter selects candidates of the review queue; zero values select all.
type Filter struct {
	ChannelID pulid.ID
	Status    listingcandidate.Status
	Reason    listingcandidate.Reason
}

// MaxPage bounds a Queue page.
const MaxPage = 200

// Queue returns the page of candidates that f selects after the candidate after (keyset, by id),
// at most first (1 to MaxPage), and whether more follow.
func (s *Service) Queue(ctx context.Context, f Filter, first int, after pulid.ID) ([]*ent.ListingCandidate, bool, error) {
	if first <= 0 || first > MaxPage {
		return nil, false, fault.New(fault.InvalidArgument, "first must be between 1 and %d", MaxPage)
	}
	q, err := f.query(s.DB.Client)
	if err != nil {
		return nil, false, err
	}
	if after != "" {
		if err := after.Validate("lcd"); err != nil {
			return nil, false, fault.New(fault.InvalidArgument, "after: %v", err)
		}
		q.Where(listingcandidate.IDGT(after))
	}
	page, err := q.Order(listingcandidate.ByID()).Limit(first + 1).All(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("load queue: %w", err)
	}
	more := len(page) > first
	if more {
		page = page[:first]
	}
	return page, more, nil
}

// StatusCounts counts the candidates per status that f selects (its status ignored).
func (s *Service) StatusCounts(ctx context.Context, f Filter) (map[listingcandidate.Status]int, error) {
	f.Status = ""
	q, err := f.query(s.DB.Client)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Status listingcandidate.Status `json:"status"`
		Count  int                     `json:"count"`
	}
	if err := q.GroupBy(listingcandidate.FieldStatus).Aggregate(ent.Count()).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("count queue: %w", err)
	}
	out := map[listingcandidate.Status]int{}
	for _, st := range []listingcandidate.Status{listingcandidate.StatusMAPPED, listingcandidate.StatusCONFIRMED, listingcandidate.StatusREVIEW, listingcandidate.StatusIGNORED} {
		out[st] = 0
	}
	for _, r := range rows {
		out[r.Status] = r.Count
	}
	return out, nil
}

func (f Filter) query(db *ent.Client) (*ent.ListingCandidateQuery, error) {
	q := db.ListingCandidate.Query()
	if f.ChannelID != "" {
		if err := f.ChannelID.Validate("chn"); err != nil {
			return nil, fault.New(fault.InvalidArgument, "channelID: %v", err)
		}
		q.Where(listingcandidate.ChannelID(f.ChannelID))
	}
	if f.Status != "" {
		if err := listingcandidate.StatusValidator(f.Status); err != nil {
			return nil, fault.New(fault.InvalidArgument, "status: %v", err)
		}
		q.Where(listingcandidate.StatusEQ(f.Status))
	}
	if f.Reason != "" {
		if err := listingcandidate.ReasonValidator(f.Reason); err != nil {
			return nil, fault.New(fault.InvalidArgument, "reason: %v", err)
		}
		q.Where(listingcandidate.ReasonEQ(f.Reason))
	}
	return q, nil
}

func unwrap(cs []*ent.ListingCandidate) []*ent.ListingCandidate {
	for i, c := range cs {
		cs[i] = c.Unwrap()
	}
	return cs
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilSlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
