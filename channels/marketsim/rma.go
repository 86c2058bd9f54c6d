package marketsim

import (
	"fmt"
	"net/http"
	"sort"
	"time"
)

// Returns (RMAs): a buyer's return or refund request on a simulated order, kept per shop in one
// channel-neutral form that each face renders in its channel's vocabulary (Shopee's returns API,
// TikTok Shop's Return and Refund API and type-12 webhooks). Tests open them for existing orders
// (Shop.OpenRMA), move them as the buyer and the marketplace would (ShipBackRMA, DeliverRMA,
// RefundRMA, CancelRMA, LapseRMA, AppealRMA, JudgeRMA), and read back every decision Ordo sent (RMA.Decisions). The
// seller's decisions move them as the real platform does; a decision the return's state cannot take
// is refused with the channel's error.

// RMAState is a simulated return's state.
type RMAState string

// The states a simulated return moves through.
const (
	RMARequested   RMAState = "REQUESTED"    // the buyer asked; the seller decides
	RMAApproved    RMAState = "APPROVED"     // the seller (or the channel) accepted
	RMAShippedBack RMAState = "SHIPPED_BACK" // the buyer sent the goods back
	RMAReceived    RMAState = "RECEIVED"     // the goods are back (delivered, or the seller confirmed them)
	RMAOffered     RMAState = "OFFERED"      // the seller offered a partial refund; the buyer answers
	RMADisputed    RMAState = "DISPUTED"     // the seller refused; the channel judges
	RMARefunded    RMAState = "REFUNDED"     // the channel refunded the buyer
	RMADeclined    RMAState = "DECLINED"     // closed without a refund
	RMACancelled   RMAState = "CANCELLED"    // the buyer withdrew
)

// closed reports whether a return in state s is over: its units may be asked for again.
func (s RMAState) closed() bool { return s == RMADeclined || s == RMACancelled }

// RMALine is a quantity of one order line a return is about.
type RMALine struct {
	// LineID is the simulated order line's ID.
	LineID   string
	Quantity int64
	// Refund is what the buyer asks for these units, minor units; 0 in an RMASpec: what they cost
	// after the line's discount.
	Refund int64
	// Units are the indexes of the line's units returned (TikTok Shop renders one line item each).
	Units []int64
}

// RMASpec asks for a return on an existing order; zero fields take defaults.
type RMASpec struct {
	OrderID string
	// Lines are the order's lines and quantities returned; empty: every unit of the order.
	Lines []RMALine
	// RefundOnly asks for money without sending goods back (Shopee return_solution 1, TikTok
	// REFUND); default: return and refund.
	RefundOnly bool
	// Reason is the channel's reason code (default NOT_AS_DESCRIBED), ReasonText the buyer's words.
	Reason, ReasonText string
	// Deadline is when the channel decides by itself if the seller has not; zero: 72 hours on.
	Deadline time.Time
	// Evidence are links to the buyer's photos.
	Evidence []string
}

// RMADecision is one seller decision a shop received on a return, as the channel takes it.
type RMADecision struct {
	At time.Time
	// Decision is the channel's own: "confirm", "dispute" or "offer" (Shopee), TikTok's decision
	// (APPROVE_RETURN, REJECT_RECEIVED_PACKAGE, OFFER_PARTIAL_REFUND…).
	Decision        string
	Reason, Comment string
	Evidence        []string
	// Amount is an offer's partial refund, minor units.
	Amount int64
	// Email is the seller's email a Shopee dispute gives.
	Email          string
	IdempotencyKey string
	// Replay is set for a decision whose idempotency key was seen before: answered as then, with
	// no effect.
	Replay bool
	// Refused is the channel's error message when it refused the decision (the return did not move).
	Refused string
}

// RMA is a simulated return.
type RMA struct {
	ID, OrderID string
	State       RMAState
	RefundOnly  bool
	Reason      string
	ReasonText  string
	Currency    string
	// Refund is what the buyer asks, minor units; once refunded, what the channel paid.
	Refund int64
	// Offer is the seller's partial refund offer, minor units.
	Offer    int64
	Lines    []RMALine
	Evidence []string
	// Tracking is the return parcel's, once the buyer shipped.
	Tracking string
	Deadline time.Time
	// Arbitration is set while the channel judges a seller's refusal (DISPUTED) and after:
	// "IN_PROGRESS", "SUPPORT_SELLER" or "SUPPORT_BUYER".
	Arbitration          string
	CreatedAt, UpdatedAt time.Time
	Decisions            []RMADecision
}

func (r *RMA) clone() *RMA {
	c := *r
	c.Lines = append([]RMALine(nil), r.Lines...)
	for i := range c.Lines {
		c.Lines[i].Units = append([]int64(nil), r.Lines[i].Units...)
	}
	c.Evidence = append([]string(nil), r.Evidence...)
	c.Decisions = append([]RMADecision(nil), r.Decisions...)
	return &c
}

// rmaBook is a shop's returns, guarded by the shop's mutex.
type rmaBook struct {
	n      int // returns opened, for their ids
	byID   map[string]*RMA
	seq    []string               // ids in creation order
	pushes map[string][]*Delivery // the webhooks sent for each return
	keys   map[string]string      // TikTok idempotency keys seen → the decision they carried
}

// rmaFace is implemented by the faces of channels that have returns here.
type rmaFace interface {
	// rmaID makes the channel-style id of the n-th return of a shop.
	rmaID(sh *Shop, n int, now time.Time) string
	// rmaPush renders the webhook the channel sends when r changed; ok is false when it sends none
	// (Shopee has no return push).
	rmaPush(sh *Shop, r *RMA) (h http.Header, body []byte, ok bool)
}

// OpenRMA opens a buyer's return on an order that has left the seller (shipped, delivered or
// completed) and sends the channel's webhook for it. A quantity beyond what the line has left to
// return (its units in other returns that are not declined or cancelled) is refused.
func (sh *Shop) OpenRMA(spec RMASpec) (*RMA, error) {
	f, ok := sh.face.(rmaFace)
	if !ok {
		return nil, fmt.Errorf("marketsim: %s shops have no returns in the simulator", sh.cfg.Kind)
	}
	sh.mu.Lock()
	r, err := sh.openRMA(f, spec)
	if err != nil {
		sh.mu.Unlock()
		return nil, err
	}
	snap := r.clone()
	sh.mu.Unlock()
	sh.pushRMA(snap)
	return snap, nil
}

func (sh *Shop) openRMA(f rmaFace, spec RMASpec) (*RMA, error) {
	o := sh.orders[spec.OrderID]
	switch {
	case o == nil:
		return nil, fmt.Errorf("marketsim: no order %s", spec.OrderID)
	case o.Status != Shipped && o.Status != Delivered && o.Status != Completed:
		return nil, fmt.Errorf("marketsim: order %s is %s: only orders that left the seller take returns", o.ID, o.Status)
	}
	if sh.rma.byID == nil {
		sh.rma = rmaBook{byID: map[string]*RMA{}, pushes: map[string][]*Delivery{}, keys: map[string]string{}}
	}
	taken := map[string]map[int64]bool{} // line → units in open returns
	for _, id := range sh.rma.seq {
		other := sh.rma.byID[id]
		if other.OrderID != o.ID || other.State.closed() {
			continue
		}
		for _, l := range other.Lines {
			if taken[l.LineID] == nil {
				taken[l.LineID] = map[int64]bool{}
			}
			for _, u := range l.Units {
				taken[l.LineID][u] = true
			}
		}
	}
	asked := spec.Lines
	if len(asked) == 0 {
		for _, l := range o.Lines {
			asked = append(asked, RMALine{LineID: l.ID, Quantity: l.Quantity})
		}
	}
	now := sh.sim.now()
	r := &RMA{
		OrderID: o.ID, State: RMARequested, RefundOnly: spec.RefundOnly, Reason: orDefault(spec.Reason, "NOT_AS_DESCRIBED"),
		ReasonText: spec.ReasonText, Currency: o.Currency, Evidence: append([]string(nil), spec.Evidence...),
		Deadline: spec.Deadline, CreatedAt: now, UpdatedAt: now,
	}
	if r.Deadline.IsZero() {
		r.Deadline = now.Add(72 * time.Hour)
	}
	r.Deadline = r.Deadline.Truncate(time.Second)
	for _, a := range asked {
		var line *Line
		for i := range o.Lines {
			if o.Lines[i].ID == a.LineID {
				line = &o.Lines[i]
			}
		}
		if line == nil {
			return nil, fmt.Errorf("marketsim: order %s has no line %q", o.ID, a.LineID)
		}
		if a.Quantity <= 0 {
			return nil, fmt.Errorf("marketsim: line %s: a return needs a positive quantity", a.LineID)
		}
		got := RMALine{LineID: a.LineID, Quantity: a.Quantity, Refund: a.Refund}
		for u := int64(0); u < line.Quantity && int64(len(got.Units)) < a.Quantity; u++ {
			if !taken[a.LineID][u] {
				got.Units = append(got.Units, u)
				if taken[a.LineID] == nil {
					taken[a.LineID] = map[int64]bool{}
				}
				taken[a.LineID][u] = true
			}
		}
		if int64(len(got.Units)) < a.Quantity {
			return nil, fmt.Errorf("marketsim: line %s has %d units left to return, not %d", a.LineID, len(got.Units), a.Quantity)
		}
		if got.Refund == 0 {
			got.Refund = line.UnitPrice*a.Quantity - line.Discount*a.Quantity/line.Quantity
		}
		r.Refund += got.Refund
		r.Lines = append(r.Lines, got)
	}
	sh.rma.n++
	r.ID = f.rmaID(sh, sh.rma.n, now)
	sh.rma.byID[r.ID] = r
	sh.rma.seq = append(sh.rma.seq, r.ID)
	return r, nil
}

// RMA returns a copy of a return.
func (sh *Shop) RMA(id string) (*RMA, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	r := sh.rma.byID[id]
	if r == nil {
		return nil, false
	}
	return r.clone(), true
}

// RMAs returns copies of every return, oldest first.
func (sh *Shop) RMAs() []*RMA {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]*RMA, len(sh.rma.seq))
	for i, id := range sh.rma.seq {
		out[i] = sh.rma.byID[id].clone()
	}
	return out
}

// moveRMA applies change to a return under the shop's lock, stamps it and sends the channel's
// webhook; change refuses a move the return's state cannot take.
func (sh *Shop) moveRMA(id string, change func(r *RMA) error) (*RMA, error) {
	return sh.updateRMA(id, func(r *RMA) (bool, error) { return true, change(r) })
}

// updateRMA is moveRMA for a change that may leave the return as it was (moved false: not stamped,
// no webhook), such as a replayed decision.
func (sh *Shop) updateRMA(id string, change func(r *RMA) (moved bool, err error)) (*RMA, error) {
	sh.mu.Lock()
	r := sh.rma.byID[id]
	if r == nil {
		sh.mu.Unlock()
		return nil, fmt.Errorf("marketsim: no return %s", id)
	}
	moved, err := change(r)
	if err != nil {
		sh.mu.Unlock()
		return nil, err
	}
	if moved {
		sh.touchRMA(r)
	}
	snap := r.clone()
	sh.mu.Unlock()
	if moved {
		sh.pushRMA(snap)
	}
	return snap, nil
}

// touchRMA stamps a change. Channels' clocks tick in seconds, so a change is stamped at least a
// second after the return's last one: its update_time always moves. The caller holds sh.mu.
func (sh *Shop) touchRMA(r *RMA) {
	last := r.UpdatedAt.Truncate(time.Second)
	r.UpdatedAt = sh.sim.now()
	if !r.UpdatedAt.Truncate(time.Second).After(last) {
		r.UpdatedAt = last.Add(time.Second)
	}
}

// errRMAState refuses a move from a state that cannot take it.
func errRMAState(r *RMA, what string) error {
	return fmt.Errorf("marketsim: return %s is %s and cannot be %s", r.ID, r.State, what)
}

// ShipBackRMA is the buyer sending an approved return back with a tracking number.
func (sh *Shop) ShipBackRMA(id, tracking string) (*RMA, error) {
	return sh.moveRMA(id, func(r *RMA) error {
		if r.State != RMAApproved || r.RefundOnly {
			return errRMAState(r, "shipped back")
		}
		r.State, r.Tracking = RMAShippedBack, orDefault(tracking, "RTN"+r.ID)
		return nil
	})
}

// DeliverRMA is the carrier delivering the return parcel to the seller (Shopee's reverse
// logistics; on TikTok Shop the seller confirms the package instead).
func (sh *Shop) DeliverRMA(id string) (*RMA, error) {
	return sh.moveRMA(id, func(r *RMA) error {
		if r.State != RMAShippedBack {
			return errRMAState(r, "delivered")
		}
		r.State = RMAReceived
		return nil
	})
}

// RefundRMA is the channel refunding the buyer: what was asked, or the seller's offer that the
// buyer took. An accepted return (approved, shipped back or received) or an offer can be refunded.
func (sh *Shop) RefundRMA(id string) (*RMA, error) {
	return sh.moveRMA(id, func(r *RMA) error {
		switch r.State {
		case RMAOffered:
			r.Refund = r.Offer
		case RMAApproved, RMAShippedBack, RMAReceived:
		default:
			return errRMAState(r, "refunded")
		}
		r.State = RMARefunded
		return nil
	})
}

// CancelRMA is the buyer withdrawing a return that is not over.
func (sh *Shop) CancelRMA(id string) (*RMA, error) {
	return sh.moveRMA(id, func(r *RMA) error {
		if r.State == RMARefunded || r.State.closed() {
			return errRMAState(r, "cancelled")
		}
		r.State = RMACancelled
		return nil
	})
}

// JudgeRMA ends the channel's judgement of a disputed return: for the seller it is declined, for
// the buyer refunded in full.
func (sh *Shop) JudgeRMA(id string, forSeller bool) (*RMA, error) {
	return sh.moveRMA(id, func(r *RMA) error {
		if r.State != RMADisputed {
			return errRMAState(r, "judged")
		}
		r.State, r.Arbitration = RMARefunded, "SUPPORT_BUYER"
		if forSeller {
			r.State, r.Arbitration = RMADeclined, "SUPPORT_SELLER"
		}
		return nil
	})
}

// LapseRMA is the channel deciding by itself a request the seller left past its deadline: it
// accepts it, as Shopee and TikTok Shop do. The deadline itself is not checked, so that tests need
// not wait for it.
func (sh *Shop) LapseRMA(id string) (*RMA, error) {
	return sh.moveRMA(id, func(r *RMA) error {
		if r.State != RMARequested {
			return errRMAState(r, "accepted by the channel")
		}
		r.State = RMAApproved
		return nil
	})
}

// AppealRMA is the buyer appealing a declined return: the channel judges it (JudgeRMA).
func (sh *Shop) AppealRMA(id string) (*RMA, error) {
	return sh.moveRMA(id, func(r *RMA) error {
		if r.State != RMADeclined || r.Arbitration != "" {
			return errRMAState(r, "appealed")
		}
		r.State, r.Arbitration = RMADisputed, "IN_PROGRESS"
		return nil
	})
}

// RMAPushes returns the webhooks sent for a return, oldest first (Shop.Redeliver replays one).
func (sh *Shop) RMAPushes(id string) []Delivery {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]Delivery, len(sh.rma.pushes[id]))
	for i, d := range sh.rma.pushes[id] {
		out[i] = *d
	}
	return out
}

// pushRMA sends the channel's webhook for a change of r, if it sends one and the shop has
// somewhere to send it.
func (sh *Shop) pushRMA(r *RMA) {
	sh.mu.Lock()
	url := sh.cfg.WebhookURL
	sh.mu.Unlock()
	f, ok := sh.face.(rmaFace)
	if url == "" || !ok {
		return
	}
	h, body, ok := f.rmaPush(sh, r)
	if !ok {
		return
	}
	d := &Delivery{URL: url, Header: h, Body: body}
	sh.mu.Lock()
	sh.deliveries = append(sh.deliveries, d)
	sh.rma.pushes[r.ID] = append(sh.rma.pushes[r.ID], d)
	held := sh.held
	sh.mu.Unlock()
	if held {
		return
	}
	sh.sim.wg.Add(1)
	go func() {
		defer sh.sim.wg.Done()
		sh.send(d)
	}()
}

// rmaPage returns the returns matching keep, oldest update first, from offset on, at most limit
// (capped by Options.PageSize), the offset of the next page (-1 when none) and how many matched.
// The caller holds sh.mu.
func (sh *Shop) rmaPage(keep func(*RMA) bool, offset, limit int) ([]*RMA, int, int) {
	var all []*RMA
	for _, id := range sh.rma.seq {
		if r := sh.rma.byID[id]; keep(r) {
			all = append(all, r)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].UpdatedAt.Before(all[j].UpdatedAt) })
	if ps := sh.sim.opt.PageSize; ps > 0 && (limit <= 0 || limit > ps) {
		limit = ps
	}
	if limit <= 0 {
		limit = 100
	}
	if offset < 0 || offset >= len(all) {
		return nil, -1, len(all)
	}
	end := min(offset+limit, len(all))
	next := end
	if end >= len(all) {
		next = -1
	}
	out := make([]*RMA, 0, end-offset)
	for _, r := range all[offset:end] {
		out = append(out, r.clone())
	}
	return out, next, len(all)
}

// rmaLine finds the order line a return line is about. The caller holds sh.mu.
func (sh *Shop) rmaLine(r *RMA, l RMALine) (Line, bool) {
	if o := sh.orders[r.OrderID]; o != nil {
		for _, ol := range o.Lines {
			if ol.ID == l.LineID {
				return ol, true
			}
		}
	}
	return Line{}, false
}
