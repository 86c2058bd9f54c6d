package ingestion

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/orders"
)

// ApplyAll applies the orders of one fetch or pull page, skipping at once those Ordo already holds
// as recent as they are (a pull's overlap, a replayed notification): one query for the page. It
// returns the orders it holds now, applied or skipped, and stops at the first error.
func (s *Service) ApplyAll(ctx context.Context, ch *ent.Channel, cos []channels.Order) ([]channels.Order, error) {
	ids := make([]string, len(cos))
	for i, co := range cos {
		ids[i] = co.ExternalID
	}
	held, err := s.DB.Client.Order.Query().Where(order.ChannelID(ch.ID), order.ExternalIDIn(ids...)).
		Select(order.FieldExternalID, order.FieldChannelUpdatedAt, order.FieldChannelStatus).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load orders: %w", err)
	}
	known := make(map[string]*ent.Order, len(held))
	for _, o := range held {
		known[*o.ExternalID] = o
	}
	var done []channels.Order
	for _, co := range cos {
		if o := known[co.ExternalID]; o == nil || !current(o, co) {
			if _, err := s.apply(ctx, ch, co, o == nil); err != nil {
				return done, err
			}
		}
		done = append(done, co)
	}
	return done, nil
}

// current says whether Ordo's copy o already reflects the channel's snapshot co.
func current(o *ent.Order, co channels.Order) bool {
	updated := co.UpdatedAt
	if updated.IsZero() {
		updated = co.PlacedAt
	}
	return o.ChannelUpdatedAt != nil && !o.ChannelUpdatedAt.Before(updated.UTC().Truncate(time.Microsecond)) &&
		o.ChannelStatus == co.ChannelStatus
}

// Apply brings Ordo's copy of one channel order up to date: its lines are mapped to Ordo SKUs
// through the channel's listings, then package orders creates it (reserving its stock) or moves it
// towards the channel's status.
func (s *Service) Apply(ctx context.Context, ch *ent.Channel, co channels.Order) (orders.Synced, error) {
	return s.apply(ctx, ch, co, false)
}

// apply is Apply; unseen says the caller just found no copy of the order.
func (s *Service) apply(ctx context.Context, ch *ent.Channel, co channels.Order, unseen bool) (orders.Synced, error) {
	ctx = Actor(ctx, ch.ID)
	skus, err := s.mapLines(ctx, ch.ID, co.Lines)
	if err != nil {
		return orders.Synced{}, err
	}
	in, st, err := Placement(ch.ID, co, skus)
	if err != nil {
		return orders.Synced{}, err
	}
	st.Unseen = unseen
	return s.Orders.SyncChannelOrder(ctx, in, st)
}

// mapLines finds the Ordo SKU of each line: the listing with the line's listing id, else the
// listing whose seller SKU is the line's SKU, else the line's SKU itself when Ordo's catalogue has
// it (a channel that shows Ordo's SKUs needs no listings to take orders). A line that takes no
// stock (channels.Line.Stocked), or that nothing maps, gets "" (a listing id never seen before is
// first handed to s.Listings, which may map it: discover): Placement keeps it as a line
// without stock instead of refusing the order.
func (s *Service) mapLines(ctx context.Context, channelID pulid.ID, lines []channels.Line) ([]string, error) {
	var ids, skus []string
	for _, l := range lines {
		if !l.Stocked() {
			continue
		}
		if l.ListingID != "" {
			ids = append(ids, l.ListingID)
		}
		if l.SKU != "" {
			skus = append(skus, l.SKU)
		}
	}
	out := make([]string, len(lines))
	if len(ids)+len(skus) == 0 {
		return out, nil
	}
	var rows []struct {
		ExternalID string         `json:"external_id"`
		SellerSKU  sql.NullString `json:"seller_sku"`
		SKU        string         `json:"sku"`
	}
	err := s.DB.Client.ChannelListing.Query().
		Where(channellisting.ChannelID(channelID), channellisting.Or(channellisting.ExternalIDIn(ids...), channellisting.SellerSkuIn(skus...))).
		Modify(func(sel *entsql.Selector) {
			v := entsql.Table(variant.Table)
			sel.Join(v).On(sel.C(channellisting.FieldVariantID), v.C(variant.FieldID))
			sel.Select(sel.C(channellisting.FieldExternalID), sel.C(channellisting.FieldSellerSku), v.C(variant.FieldSku))
		}).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("load listings: %w", err)
	}
	byID, bySeller := map[string]string{}, map[string]string{}
	for _, r := range rows {
		byID[r.ExternalID] = r.SKU
		if r.SellerSKU.String != "" {
			bySeller[r.SellerSKU.String] = r.SKU
		}
	}
	var direct []string
	for i, l := range lines {
		switch {
		case !l.Stocked():
		case byID[l.ListingID] != "":
			out[i] = byID[l.ListingID]
		case bySeller[l.SKU] != "":
			out[i] = bySeller[l.SKU]
		case l.SKU != "":
			direct = append(direct, l.SKU)
		}
	}
	if len(direct) > 0 {
		known, err := s.DB.Client.Variant.Query().Where(variant.SkuIn(direct...)).Select(variant.FieldSku).Strings(ctx)
		if err != nil {
			return nil, fmt.Errorf("load SKUs: %w", err)
		}
		for i, l := range lines {
			if out[i] == "" && l.Stocked() && slices.Contains(known, l.SKU) {
				out[i] = l.SKU
			}
		}
	}
	return s.discover(ctx, channelID, lines, out)
}

// Discoverer records the listings orders name that Ordo has never seen, and maps them
// automatically where it can (package listings).
type Discoverer interface {
	// Discover returns the SKU of each listing (by listing id) that mapped automatically.
	Discover(ctx context.Context, channelID pulid.ID, lines []channels.Line) (map[string]string, error)
}

// discover hands the stock lines that name a listing and stay unmapped (skus[i] == "") to
// s.Listings, and maps those whose listing it mapped; the others stay unmapped (orders'
// channel alert names them).
func (s *Service) discover(ctx context.Context, channelID pulid.ID, lines []channels.Line, skus []string) ([]string, error) {
	if s.Listings == nil {
		return skus, nil
	}
	var unknown []channels.Line
	for i, l := range lines {
		if skus[i] == "" && l.Stocked() && l.ListingID != "" {
			unknown = append(unknown, l)
		}
	}
	if len(unknown) == 0 {
		return skus, nil
	}
	mapped, err := s.Listings.Discover(ctx, channelID, unknown)
	if err != nil {
		return nil, fmt.Errorf("discover listings: %w", err)
	}
	for i, l := range lines {
		if skus[i] == "" && l.Stocked() && mapped[l.ListingID] != "" {
			skus[i] = mapped[l.ListingID]
		}
	}
	return skus, nil
}

// Placement turns a normalized channel order, whose lines map to the Ordo SKUs skus, into what
// package orders places and converges: the lines with the channel's prices and ids, the buyer, the
// ship-to, the channel's totals and its ship-by deadline, and the status the channel reports. Lines
// with nothing left to ship (a quantity of zero after edits) are left out. A line whose SKU is ""
// takes no stock: NON_STOCK when the channel says so or names nothing to map (a tip, a custom
// amount), UNMAPPED when it names a listing or SKU Ordo does not know; either keeps the channel's
// SKU text, name and price. It is pure.
func Placement(channelID pulid.ID, co channels.Order, skus []string) (orders.PlaceInput, orders.ChannelState, error) {
	if strings.TrimSpace(co.ExternalID) == "" {
		return orders.PlaceInput{}, orders.ChannelState{}, fault.New(fault.InvalidArgument, "the channel order has no id")
	}
	if len(skus) != len(co.Lines) {
		return orders.PlaceInput{}, orders.ChannelState{}, errors.New("ingestion: one SKU per line")
	}
	in := orders.PlaceInput{
		ChannelID:      &channelID,
		ExternalID:     co.ExternalID,
		Currency:       strings.ToUpper(co.Currency),
		Paid:           co.Paid,
		PaymentMethod:  order.PaymentMethodPREPAID,
		ShippingAmount: max(0, co.Shipping),
		DiscountAmount: max(0, co.Discount+co.PlatformDiscount),
		TaxAmount:      max(0, co.Tax),
		ShipBy:         co.ShipBy,
		Customer: orders.Customer{
			Email: strings.ToLower(strings.TrimSpace(co.Buyer.Email)), Name: co.Buyer.Name, Phone: co.Buyer.Phone,
			BuyerID: co.Buyer.ExternalID,
		},
		Note: "",
	}
	if co.COD {
		in.PaymentMethod = order.PaymentMethodCOD
	}
	if co.Total >= 0 {
		total := co.Total
		in.Total = &total
	}
	if !co.PlacedAt.IsZero() {
		placed := co.PlacedAt
		in.PlacedAt = &placed
	}
	if a := co.ShippingAddress; a != (channels.Address{}) {
		in.ShippingAddress = &schema.Address{
			Name: a.Name, Phone: a.Phone, Line1: a.Line1, Line2: a.Line2, City: a.City, Region: a.Region,
			PostalCode: a.PostalCode, CountryCode: strings.ToUpper(a.CountryCode), Latitude: a.Latitude, Longitude: a.Longitude,
		}
	}
	for i, l := range co.Lines {
		if l.Quantity <= 0 {
			continue
		}
		price := max(0, l.UnitPrice)
		line := orders.Line{
			SKU: skus[i], Quantity: l.Quantity, UnitPrice: &price, Name: l.Name,
			ChannelLineID: l.LineID, ListingID: l.ListingID, UnitIDs: l.UnitIDs, Kind: orderline.KindSTOCK,
		}
		if line.SKU == "" {
			line.SKU, line.Kind = strings.TrimSpace(l.SKU), orderline.KindUNMAPPED
			if !l.Stocked() {
				line.Kind = orderline.KindNON_STOCK
			}
		}
		in.Lines = append(in.Lines, line)
	}
	if len(in.Lines) == 0 {
		return orders.PlaceInput{}, orders.ChannelState{}, fault.New(fault.InvalidArgument, "channel order %s has no line to ship", co.ExternalID)
	}
	updated := co.UpdatedAt
	if updated.IsZero() {
		updated = co.PlacedAt
	}
	st := orders.ChannelState{
		Status: co.Status, Raw: co.ChannelStatus, UpdatedAt: updated,
		Carrier: co.Carrier, TrackingNumber: co.TrackingNumber, Refs: co.Refs,
	}
	for i, l := range co.Lines {
		st.Lines = append(st.Lines, orders.ChannelLine{LineID: l.LineID, ListingID: l.ListingID, Name: l.Name, UnitIDs: l.UnitIDs,
			SKU: skus[i], Quantity: l.Quantity, UnitPrice: max(0, l.UnitPrice), Cancelled: l.Status == channels.Cancelled})
	}
	return in, st, nil
}

// overlap is how far back each pull starts before the previous one ended, so that an order updated
// while the previous pull ran, or indexed late by the channel's search, is not missed: five
// intervals, at least 5 s and at most 5 minutes (a channel pulled every second re-reads seconds,
// not minutes).
func overlap(intervalSeconds int) time.Duration {
	return min(5*time.Minute, max(5*time.Second, 5*time.Duration(intervalSeconds)*time.Second))
}

// firstPull is how far back the first pull of a channel looks.
const firstPull = 24 * time.Hour

// Pull applies every order the channel reports updated since the last pull (or since since), page
// by page, and moves the channel's pull mark on. A failure stops the pull; the mark stays where it
// was, so the next pull covers the rest.
func (s *Service) Pull(ctx context.Context, ch *ent.Channel, since *time.Time) error {
	conn, err := s.Connections.Connector(ch)
	if err != nil {
		return err
	}
	now := s.now()
	// Channels filter by whole seconds: the window ends at the next one, so that an order updated a
	// moment ago is in it (the next pull's overlap covers the rest of that second).
	q := channels.PullQuery{Until: now.Truncate(time.Second).Add(time.Second), PageSize: 100}
	switch {
	case since != nil:
		q.Since = since.UTC()
	case ch.PulledUntil != nil:
		q.Since = ch.PulledUntil.Add(-overlap(ch.PullIntervalSeconds))
	default:
		q.Since = now.Add(-firstPull)
	}
	var (
		accepted []channels.Order
		pullErr  error
	)
	for pullErr == nil {
		page, err := conn.Updated(ctx, q)
		if err != nil {
			pullErr = err
			break
		}
		done, err := s.applyPage(ctx, ch, page.Orders)
		if err != nil {
			pullErr = err
		}
		accepted = append(accepted, done...)
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	// Acknowledged once the pull is over: acknowledging moves an order's update time, which would
	// shift the pages still to come.
	if err := conn.Accept(ctx, accepted); err != nil && pullErr == nil {
		pullErr = err
	}
	upd := s.DB.Client.Channel.UpdateOneID(ch.ID).SetLastPullAt(now)
	if pullErr != nil {
		upd.SetLastPullError(pullErr.Error())
	} else {
		upd.SetLastPullError("").SetPulledUntil(q.Until)
	}
	if err := upd.Exec(ctx); err != nil {
		return fmt.Errorf("record pull: %w", err)
	}
	return pullErr
}

// applyPage applies a pulled page: an order Ordo cannot take as it is (no id, no currency) is
// recorded and left for the next pull, so that it does not hold the others up.
func (s *Service) applyPage(ctx context.Context, ch *ent.Channel, page []channels.Order) ([]channels.Order, error) {
	var out []channels.Order
	for len(page) > 0 {
		done, err := s.ApplyAll(ctx, ch, page)
		out = append(out, done...)
		if err == nil {
			return out, nil
		}
		if !fault.Is(err, fault.InvalidArgument) {
			return out, err
		}
		bad := page[len(done)]
		if rerr := s.rejected(ctx, ch, bad.ExternalID, err); rerr != nil {
			return out, rerr
		}
		page = page[len(done)+1:]
	}
	return out, nil
}
