// Package holds keeps stock for storefront carts for a while. A hold reserves units with the same
// conditional updates as orders (through package inventory: HOLD movements, active hold lines that
// the audit counts beside open allocations), so held units are not available to anyone else; it
// ends released by the key that made it, replaced by the cart's next hold, converted into the order
// at checkout (orders.Service releases it and reserves in the order's transaction), or expired by a
// periodic sweep. Every end is a guarded status update, so that two requests or two replicas never
// end a hold twice.
package holds

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/inventorylevel"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/stockhold"
	"github.com/ordo-oms/ordo/ent/stockholdline"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/inventory"
)

// Bounds of a hold.
const (
	DefaultTTL = 15 * time.Minute
	MinTTL     = time.Minute
	MaxTTL     = 24 * time.Hour
	MaxLines   = 100
	// MaxQuantity bounds one line's units.
	MaxQuantity = 10_000
	maxCartLen  = 200
)

// attempts bounds how often one hold plans again after concurrent requests took the stock it chose.
const attempts = 5

// Service runs the hold commands.
type Service struct {
	DB        *database.DB
	Inventory *inventory.Service
	// Router chooses the locations a cart's units may be held at.
	Router *dispatch.Service
	// Committed is called after each committed change, to wake the event hub.
	Committed func()
	// Now is the clock expiries are set and judged by; nil means the wall clock.
	Now func() time.Time
}

// Line is a SKU and a quantity to hold.
type Line struct {
	SKU      string
	Quantity int64
}

// HoldInput asks to hold stock for a cart.
type HoldInput struct {
	// Cart is the storefront's cart id; one cart has one active hold per key.
	Cart  string
	Lines []Line
	// TTL is how long the hold lasts; zero means DefaultTTL.
	TTL time.Duration
	// ChannelID is the storefront channel the cart belongs to: units are held at its locations.
	ChannelID *pulid.ID
}

// Validate checks what can be checked without the database.
func (in HoldInput) Validate() error {
	if strings.TrimSpace(in.Cart) == "" || len(in.Cart) > maxCartLen {
		return fault.New(fault.InvalidArgument, "cart must be between 1 and %d characters", maxCartLen)
	}
	if len(in.Lines) == 0 || len(in.Lines) > MaxLines {
		return fault.New(fault.InvalidArgument, "a hold has between 1 and %d lines, got %d", MaxLines, len(in.Lines))
	}
	for i, l := range in.Lines {
		if strings.TrimSpace(l.SKU) == "" {
			return fault.New(fault.InvalidArgument, "line %d: SKU is empty", i+1)
		}
		if l.Quantity <= 0 || l.Quantity > MaxQuantity {
			return fault.New(fault.InvalidArgument, "line %d (%s): quantity must be between 1 and %d, got %d", i+1, l.SKU, MaxQuantity, l.Quantity)
		}
	}
	if in.TTL != 0 && (in.TTL < MinTTL || in.TTL > MaxTTL) {
		return fault.New(fault.InvalidArgument, "a hold lasts between %s and %s, got %s", MinTTL, MaxTTL, in.TTL)
	}
	if in.ChannelID != nil {
		if err := in.ChannelID.Validate("chn"); err != nil {
			return fault.New(fault.InvalidArgument, "channelID: %v", err)
		}
	}
	return nil
}

// Hold holds the lines for the cart, all of them or none (INSUFFICIENT_STOCK naming the short
// SKUs). Holding again for a cart the same key holds already replaces that hold, in the same
// transaction: its units are released first, so they count for the new hold.
func (s *Service) Hold(ctx context.Context, in HoldInput) (*ent.StockHold, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	ttl := in.TTL
	if ttl == 0 {
		ttl = DefaultTTL
	}
	skus := make([]string, len(in.Lines))
	for i, l := range in.Lines {
		skus[i] = l.SKU
	}
	r, err := catalog.Resolve(ctx, s.DB.Client, skus)
	if err != nil {
		return nil, err
	}
	wants := wantsOf(in.Lines, r)
	if err := s.channelOpen(ctx, in.ChannelID); err != nil {
		return nil, err
	}
	now := s.now()
	locations, err := s.Router.HoldLocations(ctx, s.DB.Client, in.ChannelID, now)
	if err != nil {
		return nil, err
	}
	key := keyOf(ctx)
	var (
		h        *ent.StockHold
		replaced []pulid.ID
	)
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		// One cart, one active hold: two holds of the same cart at once take turns.
		if err := database.Lock(ctx, tx, "hold:"+key+":"+in.Cart); err != nil {
			return err
		}
		if replaced, err = s.replace(ctx, tx, key, in.Cart); err != nil {
			return err
		}
		h, err = tx.StockHold.Create().SetCart(in.Cart).SetNillableChannelID(in.ChannelID).SetKeyID(key).
			SetExpiresAt(now.Add(ttl)).Save(ctx)
		if err != nil {
			return fmt.Errorf("create hold: %w", err)
		}
		held, err := s.holdUnits(ctx, tx, h.ID, wants, locations)
		if err != nil {
			return err
		}
		var units int64
		for _, l := range held {
			units += l.Quantity
		}
		return events.Append(ctx, tx, holdEvent(ctx, h, events.HoldCreated{
			HoldID: string(h.ID), Cart: h.Cart, Units: units, ExpiresAt: h.ExpiresAt.UTC().Format(time.RFC3339Nano)}))
	})
	if err != nil {
		return nil, err
	}
	s.committed(replaced...)
	return h.Unwrap(), nil
}

// wantsOf is the hold's lines as planning sees them: each with the variants it takes.
func wantsOf(lines []Line, r catalog.Resolved) []want {
	out := make([]want, len(lines))
	for i, l := range lines {
		v := r.BySKU[l.SKU]
		w := want{SKU: l.SKU, Quantity: l.Quantity}
		if comps := r.Components[v.ID]; len(comps) > 0 {
			for _, bc := range comps {
				w.Parts = append(w.Parts, part{VariantID: bc.ComponentID, SKU: bc.Edges.Component.Sku, Per: int64(bc.Quantity)})
			}
		} else {
			w.Parts = []part{{VariantID: v.ID, SKU: v.Sku, Per: 1}}
		}
		out[i] = w
	}
	return out
}

// channelOpen checks that the hold's channel exists and is enabled.
func (s *Service) channelOpen(ctx context.Context, id *pulid.ID) error {
	if id == nil {
		return nil
	}
	ch, err := s.DB.Client.Channel.Get(ctx, *id)
	if ent.IsNotFound(err) {
		return fault.New(fault.InvalidArgument, "channel %s not found", *id)
	}
	if err != nil {
		return fmt.Errorf("load channel: %w", err)
	}
	if !ch.Active {
		return fault.New(fault.Conflict, "channel %s is disabled", ch.ID)
	}
	return nil
}

// holdUnits plans where the wants are held on the transaction's view of stock and holds them; when
// concurrent requests took what the plan counted on, it plans again on fresh numbers.
func (s *Service) holdUnits(ctx context.Context, tx *ent.Tx, holdID pulid.ID, wants []want, locations []pulid.ID) ([]*ent.StockHoldLine, error) {
	var variants []pulid.ID
	for _, w := range wants {
		for _, p := range w.Parts {
			variants = append(variants, p.VariantID)
		}
	}
	for attempt := 1; ; attempt++ {
		levels, err := tx.InventoryLevel.Query().
			Where(inventorylevel.VariantIDIn(variants...), inventorylevel.LocationIDIn(locations...)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load stock: %w", err)
		}
		available := stock{}
		for _, l := range levels {
			if available[l.VariantID] == nil {
				available[l.VariantID] = map[pulid.ID]int64{}
			}
			available[l.VariantID][l.LocationID] = inventory.Available(l)
		}
		needs, short := plan(wants, locations, available)
		if len(short) > 0 {
			return nil, fault.New(fault.InsufficientStock, "not enough stock to hold %v", short).With("skus", short)
		}
		var lines []*ent.StockHoldLine
		err = database.Savepoint(ctx, tx, "hold", func() error {
			lines, err = s.Inventory.HoldUnits(ctx, tx, holdID, needs)
			return err
		})
		if fault.Is(err, fault.InsufficientStock) && attempt < attempts {
			continue // stock moved under the plan: plan again
		}
		return lines, err
	}
}

// replace releases the key's active hold of the cart, if there is one, and returns the variants it
// released.
func (s *Service) replace(ctx context.Context, tx *ent.Tx, key, cart string) ([]pulid.ID, error) {
	old, err := tx.StockHold.Query().Where(stockhold.KeyID(key), stockhold.Cart(cart), stockhold.StatusEQ(stockhold.StatusACTIVE)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load the cart's hold: %w", err)
	}
	var variants []pulid.ID
	for _, h := range old {
		vs, err := s.end(ctx, tx, h, stockhold.StatusRELEASED, nil, "replaced by the cart's new hold",
			events.HoldReleased{HoldID: string(h.ID), Cart: h.Cart, Reason: "replaced by the cart's new hold"})
		if err != nil {
			return nil, err
		}
		variants = append(variants, vs...)
	}
	return variants, nil
}

// Release ends a hold before its time and gives its units back. The key that made it may, and
// managers (admin, operator) may free any hold stuck on a cart; for any other caller the hold does not
// exist (NOT_FOUND). A hold that already ended is a CONFLICT.
func (s *Service) Release(ctx context.Context, id pulid.ID) (*ent.StockHold, error) {
	if err := id.Validate("hld"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "holdID: %v", err)
	}
	var released []pulid.ID
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		h, err := own(ctx, tx.Client(), id)
		if v, ok := auth.FromContext(ctx); ok && fault.Is(err, fault.NotFound) && (v.Role == auth.Admin || v.Role == auth.Operator) {
			h, err = tx.StockHold.Get(ctx, id)
			if ent.IsNotFound(err) {
				err = fault.New(fault.NotFound, "hold %s not found", id)
			}
		}
		if err != nil {
			return err
		}
		if h.Status != stockhold.StatusACTIVE {
			return fault.New(fault.Conflict, "hold %s is %s", h.ID, h.Status).With("status", string(h.Status))
		}
		released, err = s.end(ctx, tx, h, stockhold.StatusRELEASED, nil, "released by its cart",
			events.HoldReleased{HoldID: string(h.ID), Cart: h.Cart, Reason: "released"})
		return err
	})
	if err != nil {
		return nil, err
	}
	s.committed(released...)
	return s.DB.Client.StockHold.Get(ctx, id)
}

// Get returns a hold: any hold to staff, only its own to any other key (else NOT_FOUND).
func (s *Service) Get(ctx context.Context, id pulid.ID) (*ent.StockHold, error) {
	if err := id.Validate("hld"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "id: %v", err)
	}
	if v, ok := auth.FromContext(ctx); ok && slices.Contains([]auth.Role{auth.Admin, auth.Operator, auth.Support}, v.Role) {
		h, err := s.DB.Client.StockHold.Get(ctx, id)
		if ent.IsNotFound(err) {
			return nil, fault.New(fault.NotFound, "hold %s not found", id)
		}
		return h, err
	}
	return own(ctx, s.DB.Client, id)
}

// own loads a hold made by the caller's key; another key's hold is NOT_FOUND, as if it did not
// exist.
func own(ctx context.Context, c *ent.Client, id pulid.ID) (*ent.StockHold, error) {
	h, err := c.StockHold.Query().Where(stockhold.ID(id), stockhold.KeyID(keyOf(ctx))).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "hold %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load hold: %w", err)
	}
	return h, nil
}

// end moves an active hold to its final status with a guarded update (a hold ends once, whoever
// races to end it), releases its units and appends the event. It returns the variants released.
func (s *Service) end(ctx context.Context, tx *ent.Tx, h *ent.StockHold, to stockhold.Status, orderID *pulid.ID, reason string, ev events.Payload) ([]pulid.ID, error) {
	n, err := tx.StockHold.Update().Where(stockhold.ID(h.ID), stockhold.StatusEQ(stockhold.StatusACTIVE)).
		SetStatus(to).SetNillableOrderID(orderID).SetUpdatedAt(s.now()).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("update hold: %w", err)
	}
	if n == 0 {
		return nil, fault.New(fault.Conflict, "hold %s ended while this command ran", h.ID)
	}
	lines, err := tx.StockHoldLine.Query().Where(stockholdline.HoldID(h.ID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load hold lines: %w", err)
	}
	if err := s.Inventory.ReleaseHold(ctx, tx, h.ID, reason); err != nil {
		return nil, err
	}
	e := holdEvent(ctx, h, ev)
	if orderID != nil {
		e.OrderID = string(*orderID)
	}
	if err := events.Append(ctx, tx, e); err != nil {
		return nil, err
	}
	variants := make([]pulid.ID, 0, len(lines))
	for _, l := range lines {
		if !slices.Contains(variants, l.VariantID) {
			variants = append(variants, l.VariantID)
		}
	}
	return variants, nil
}

func holdEvent(ctx context.Context, h *ent.StockHold, p events.Payload) events.Event {
	e := events.Event{Payload: p, Actor: auth.Actor(ctx)}
	if h.ChannelID != nil {
		e.ChannelID = string(*h.ChannelID)
	}
	return e
}

// keyOf is the API key calling, the owner of the holds it makes ("" for Ordo's own work).
func keyOf(ctx context.Context) string {
	if v, ok := auth.FromContext(ctx); ok {
		return string(v.KeyID)
	}
	return ""
}

// committed wakes the hub after a commit and tells the inventory's listeners that the released
// variants are more available (backorders may be allocated).
func (s *Service) committed(released ...pulid.ID) {
	if s.Committed != nil {
		s.Committed()
	}
	if len(released) > 0 && s.Inventory != nil && s.Inventory.Replenished != nil {
		s.Inventory.Replenished(released)
	}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}
