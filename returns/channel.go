package returns

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/returnline"
	"github.com/ordo-oms/ordo/ent/returnreason"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// ErrUnknownOrder is wrapped by SyncChannelReturn's error when Ordo holds no copy of the channel
// order a return is about: the caller fetches the order and tries again, or retries later (the
// error is transient for the jobs' classification).
var ErrUnknownOrder = errors.New("returns: the channel's order is not in Ordo yet")

// RefReturnTo is the key of channels.Return.Refs that says where the goods go back: RefToMarketplace
// when to the marketplace's own warehouse (Lazada return_to_type RTW), whose receipt Ordo follows
// from the channel; otherwise to the seller, whose receipt only Ordo's own Receive records.
const (
	RefReturnTo      = "return_to"
	RefToMarketplace = "RTW"
)

// Synced is what SyncChannelReturn did.
type Synced struct {
	Return  *ent.OrderReturn
	Created bool
	// Stale is set when the snapshot was older than the one already applied: nothing changed.
	Stale bool
	// Commands are the lifecycle commands applied to follow the channel.
	Commands []Command
	// Refunded is set when the snapshot reported the buyer refunded, and the refund is mirrored
	// (once, however often it is reported).
	Refunded bool
	// Alert is set when something of the channel's return could not be followed.
	Alert string
}

// ChannelCommands are the lifecycle commands that bring a return in status cur towards what its
// channel says (st), forward only: a channel's APPROVED approves a requested return, IN_TRANSIT
// marks it on its way, RECEIVED does so too unless the goods go back to the marketplace's own
// warehouse (toMarketplace), where the channel's word is the receipt; REFUNDED means the channel
// accepted it; DECLINED declines a requested return; CANCELLED cancels one not yet received.
// Statuses behind cur change nothing (a late snapshot, or Ordo ahead of the channel: its receipt).
// alert is set when the channel says something the return cannot follow (declined after approval,
// a cancelled return the channel approves). It is pure.
func ChannelCommands(cur orderreturn.Status, st channels.ReturnStatus, toMarketplace bool) (cmds []Command, alert string) {
	var target orderreturn.Status
	switch st {
	case channels.RMAApproved, channels.RMARefunded:
		target = orderreturn.StatusAPPROVED
	case channels.RMAInTransit:
		target = orderreturn.StatusIN_TRANSIT
	case channels.RMAReceived:
		target = orderreturn.StatusIN_TRANSIT
		if toMarketplace {
			target = orderreturn.StatusRECEIVED
		}
	case channels.RMADeclined:
		target = orderreturn.StatusDECLINED
	case channels.RMACancelled:
		target = orderreturn.StatusCANCELLED
	default: // REQUESTED, DISPUTED, OTHER: the seller's or the channel's turn; nothing moves
		return nil, ""
	}
	if cur == target {
		return nil, ""
	}
	switch target {
	case orderreturn.StatusDECLINED, orderreturn.StatusCANCELLED:
		cmd := Decline
		if target == orderreturn.StatusCANCELLED {
			cmd = Cancel
		}
		if _, err := Next(cur, cmd); err != nil {
			return nil, fmt.Sprintf("the channel says %s but the return is %s", st, cur)
		}
		return []Command{cmd}, ""
	}
	// Forward along REQUESTED → APPROVED → IN_TRANSIT → RECEIVED.
	if forwardRank(cur) < 0 {
		return nil, fmt.Sprintf("the channel says %s but the return is %s", st, cur)
	}
	at := cur
	for forwardRank(at) < forwardRank(target) {
		var cmd Command
		switch at {
		case orderreturn.StatusREQUESTED:
			cmd = Approve
		case orderreturn.StatusAPPROVED:
			cmd = MarkInTransit
		case orderreturn.StatusIN_TRANSIT:
			cmd = Receive
		default:
			return cmds, fmt.Sprintf("the channel says %s but the return is %s", st, at)
		}
		next, err := Next(at, cmd)
		if err != nil {
			return cmds, fmt.Sprintf("the channel says %s but the return is %s", st, at)
		}
		cmds = append(cmds, cmd)
		at = next
	}
	return cmds, ""
}

// forwardRank orders the statuses a channel can move a return through; -1 for those it cannot
// move forward from (declined, cancelled).
func forwardRank(s orderreturn.Status) int {
	switch s {
	case orderreturn.StatusREQUESTED:
		return 0
	case orderreturn.StatusAPPROVED:
		return 1
	case orderreturn.StatusIN_TRANSIT:
		return 2
	case orderreturn.StatusRECEIVED:
		return 3
	case orderreturn.StatusINSPECTED:
		return 4
	case orderreturn.StatusCOMPLETED:
		return 5
	case orderreturn.StatusCLOSED:
		return 6
	}
	return -1
}

// MatchedLine is a channel's return line matched to the order line it gives back.
type MatchedLine struct {
	OrderLine *ent.OrderLine
	Quantity  int64
	// ExternalIDs are the channel's ids of the returned lines (or units) it covers.
	ExternalIDs []string
	Refund      int64
}

// MatchLines matches a channel's return lines to the order's lines: by the channel's line id, else
// by unit ids (per-unit channels: Lazada), else by SKU (the order line's SKU, or its listing). Lines
// naming the same order line are merged (one return line per order line). A line without a
// quantity counts its units, else one. unmatched lists what matched nothing. It is pure.
func MatchLines(lines []*ent.OrderLine, rls []channels.ReturnLine) (matched []MatchedLine, unmatched []string) {
	at := map[pulid.ID]int{}
	for _, rl := range rls {
		ol := matchLine(lines, rl)
		if ol == nil {
			unmatched = append(unmatched, firstNonEmpty(rl.LineID, strings.Join(rl.UnitIDs, ","), rl.SKU, rl.ListingID, "?"))
			continue
		}
		qty := rl.Quantity
		if qty <= 0 {
			qty = max(int64(len(rl.UnitIDs)), 1)
		}
		ids := rl.ReturnLineIDs
		if len(ids) == 0 {
			ids = rl.UnitIDs
		}
		i, ok := at[ol.ID]
		if !ok {
			at[ol.ID] = len(matched)
			matched = append(matched, MatchedLine{OrderLine: ol})
			i = len(matched) - 1
		}
		m := &matched[i]
		m.Quantity += qty
		m.Refund += rl.RefundAmount
		for _, id := range ids {
			if !slices.Contains(m.ExternalIDs, id) {
				m.ExternalIDs = append(m.ExternalIDs, id)
			}
		}
	}
	return matched, unmatched
}

func matchLine(lines []*ent.OrderLine, rl channels.ReturnLine) *ent.OrderLine {
	if rl.LineID != "" {
		for _, l := range lines {
			if l.ExternalLineID == rl.LineID {
				return l
			}
		}
	}
	for _, u := range rl.UnitIDs {
		for _, l := range lines {
			if slices.Contains(l.ExternalUnitIds, u) || l.ExternalLineID == u {
				return l
			}
		}
	}
	for _, l := range lines {
		if (rl.SKU != "" && l.Sku == rl.SKU) || (rl.ListingID != "" && l.ListingID == rl.ListingID) {
			return l
		}
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// ReasonCode maps a channel's reason code to the catalogue's (ReturnReason.channel_codes of the
// channel's kind); a code the catalogue does not map is kept as the channel sent it. It is pure.
func ReasonCode(catalogue []*ent.ReturnReason, kind, code string) string {
	if code == "" {
		return ""
	}
	for _, rr := range catalogue {
		if slices.Contains(rr.ChannelCodes[kind], code) {
			return rr.Code
		}
	}
	return code
}

// snapshotTime is when the channel last changed a return, to the store's precision.
func snapshotTime(r channels.Return, now time.Time) time.Time {
	t := r.UpdatedAt
	if t.IsZero() {
		t = r.CreatedAt
	}
	if t.IsZero() {
		t = now
	}
	return t.UTC().Truncate(time.Microsecond)
}

// Channels converges the channels' returns into Ordo's: the returns' lifecycle (Returns) and the
// refunds the channels report (Refunds, which mirrors them).
type Channels struct {
	Returns *Service
	Refunds *Refunds
}

// SyncChannelReturn brings Ordo's copy of a channel's return up to what the channel says, in one
// transaction: the first time, the return is created (REQUESTED, origin CHANNEL) on the order the
// channel names, its lines matched to the order's and its reason mapped through the catalogue;
// then it follows the channel's status forward through the lifecycle (ChannelCommands), keeps the
// channel's raw status, deadline, refund amount, evidence and keys, and mirrors the refund the
// channel reports (a CHANNEL_ISSUED refund, once). A snapshot older than the last one applied
// changes nothing, nor does a replay: concurrent deliveries of one return converge on one record
// (the unique (channel, external id) decides who creates it; the other applies its snapshot as an
// update). A return whose order Ordo does not hold is ErrUnknownOrder: nothing is written.
func (c *Channels) SyncChannelReturn(ctx context.Context, channelID pulid.ID, r channels.Return) (Synced, error) {
	if strings.TrimSpace(r.ExternalID) == "" || strings.TrimSpace(r.OrderID) == "" {
		return Synced{}, fault.New(fault.InvalidArgument, "a channel return needs its id and its order's")
	}
	ch, err := c.Returns.DB.Client.Channel.Query().Where(channel.ID(channelID)).Only(ctx)
	if ent.IsNotFound(err) {
		return Synced{}, fault.New(fault.NotFound, "channel %s not found", channelID)
	}
	if err != nil {
		return Synced{}, fmt.Errorf("load channel: %w", err)
	}
	o, err := c.Returns.DB.Client.Order.Query().Where(order.ChannelID(channelID), order.ExternalID(r.OrderID)).
		WithLines(func(q *ent.OrderLineQuery) { q.Order(orderline.ByID()) }).Only(ctx)
	if ent.IsNotFound(err) {
		return Synced{}, fmt.Errorf("return %s of order %s: %w", r.ExternalID, r.OrderID, ErrUnknownOrder)
	}
	if err != nil {
		return Synced{}, fmt.Errorf("load order: %w", err)
	}
	at := snapshotTime(r, c.Returns.rmaNow())
	for range 3 {
		existing, err := c.Returns.DB.Client.OrderReturn.Query().
			Where(orderreturn.ChannelID(channelID), orderreturn.ExternalID(r.ExternalID)).Only(ctx)
		if err != nil && !ent.IsNotFound(err) {
			return Synced{}, fmt.Errorf("load return: %w", err)
		}
		var out Synced
		if existing == nil {
			out, err = c.createChannelReturn(ctx, ch, o, r, at)
			if err != nil && (database.IsUniqueViolation(err) || fault.Is(err, fault.Conflict)) {
				// Created meanwhile by a concurrent delivery (the unique (channel, external id)
				// refused this one): apply the snapshot as an update.
				again, qerr := c.Returns.DB.Client.OrderReturn.Query().
					Where(orderreturn.ChannelID(channelID), orderreturn.ExternalID(r.ExternalID)).Exist(ctx)
				if qerr == nil && again {
					continue
				}
			}
		} else {
			out, err = c.updateChannelReturn(ctx, ch, o, existing.ID, r, at)
		}
		if err != nil {
			return Synced{}, err
		}
		if !out.Stale {
			c.Returns.rmaCommitted()
			out.Return = out.Return.Unwrap()
		}
		return out, nil
	}
	return Synced{}, fault.New(fault.Conflict, "channel return %s kept changing; retry", r.ExternalID)
}

// createChannelReturn creates the return of a channel's first snapshot and converges it.
func (c *Channels) createChannelReturn(ctx context.Context, ch *ent.Channel, o *ent.Order, r channels.Return, at time.Time) (Synced, error) {
	reasons, err := c.Returns.DB.Client.ReturnReason.Query().Where(returnreason.Active(true)).All(ctx)
	if err != nil {
		return Synced{}, fmt.Errorf("load reasons: %w", err)
	}
	matched, unmatched := MatchLines(o.Edges.Lines, r.Lines)
	reason := ReasonCode(reasons, string(ch.Kind), r.Reason)
	in := RequestInput{
		OrderID: o.ID, Kind: orderreturn.KindRETURN, Origin: orderreturn.OriginCHANNEL, Resolution: orderreturn.ResolutionREFUND,
		ReasonCode: reason, Note: r.ReasonText,
	}
	if r.RefundOnly {
		in.Kind = orderreturn.KindCLAIM
	}
	for _, m := range matched {
		in.Lines = append(in.Lines, LineInput{OrderLineID: m.OrderLine.ID, Quantity: m.Quantity, ReasonCode: reason})
	}
	out := Synced{Created: true}
	err = c.Returns.DB.Tx(ctx, func(tx *ent.Tx) error {
		out.Commands, out.Alert, out.Refunded = nil, "", false
		in.ChannelID, in.ExternalID = &ch.ID, &r.ExternalID
		ret, err := c.Returns.RequestTx(ctx, tx, in)
		if err != nil {
			return err
		}
		if err := c.Returns.recordLineRefs(ctx, tx, ret.ID, matched); err != nil {
			return err
		}
		if len(unmatched) > 0 {
			out.Alert = fmt.Sprintf("return lines match no order line: %s", strings.Join(unmatched, ", "))
		}
		return c.convergeChannelReturn(ctx, tx, ret.ID, o, r, at, true, &out)
	})
	return out, err
}

// updateChannelReturn applies a later snapshot of a return Ordo holds; an older one is Stale.
func (c *Channels) updateChannelReturn(ctx context.Context, ch *ent.Channel, o *ent.Order, id pulid.ID, r channels.Return, at time.Time) (Synced, error) {
	var out Synced
	err := c.Returns.DB.Tx(ctx, func(tx *ent.Tx) error {
		out = Synced{}
		// The guard takes the return's row lock and refuses an older snapshot in one statement.
		n, err := tx.OrderReturn.Update().
			Where(orderreturn.ID(id), orderreturn.Or(orderreturn.ChannelUpdatedAtIsNil(), orderreturn.ChannelUpdatedAtLTE(at))).
			SetChannelUpdatedAt(at).Save(ctx)
		if err != nil {
			return fmt.Errorf("guard channel update: %w", err)
		}
		if n == 0 {
			out.Stale = true
			return nil
		}
		return c.convergeChannelReturn(ctx, tx, id, o, r, at, false, &out)
	})
	if err == nil && out.Stale {
		out.Return, err = c.Returns.DB.Client.OrderReturn.Get(ctx, id)
	}
	return out, err
}

// convergeChannelReturn records the channel's side of a return (raw status, deadline, refund
// amount, evidence, keys), moves it towards the channel's status and mirrors a refund the channel
// reports; then records what it could not follow, or a new raw status that moved nothing.
func (c *Channels) convergeChannelReturn(ctx context.Context, tx *ent.Tx, id pulid.ID, o *ent.Order, r channels.Return, at time.Time, created bool, out *Synced) error {
	cur, err := tx.OrderReturn.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("load return: %w", err)
	}
	changed := cur.ChannelStatus != r.ChannelStatus
	upd := tx.OrderReturn.UpdateOneID(id).SetChannelStatus(r.ChannelStatus).SetChannelUpdatedAt(at)
	if r.Deadline != nil {
		upd.SetChannelDeadline(r.Deadline.UTC())
	}
	if r.RefundAmount > 0 {
		upd.SetChannelRefundAmount(r.RefundAmount)
	}
	if len(r.Evidence) > 0 && cur.SellerDecision == orderreturn.SellerDecisionNONE {
		upd.SetEvidence(r.Evidence) // the buyer's, until the seller backs a decision with their own
	}
	if len(r.Refs) > 0 || r.RefundID != "" {
		refs := maps.Clone(cur.ChannelRefs)
		if refs == nil {
			refs = map[string]string{}
		}
		maps.Copy(refs, r.Refs)
		upd.SetChannelRefs(refs)
	}
	if err := upd.Exec(ctx); err != nil {
		return fmt.Errorf("record channel return: %w", err)
	}
	cmds, alert := ChannelCommands(cur.Status, r.Status, r.Refs[RefReturnTo] == RefToMarketplace)
	if alert != "" && out.Alert == "" {
		out.Alert = alert
	}
	reason := "channel: " + r.ChannelStatus
	for _, cmd := range cmds {
		if err := c.Returns.applyChannelCommand(ctx, tx, id, cmd, reason); err != nil {
			return err
		}
		out.Commands = append(out.Commands, cmd)
	}
	if r.Refunded || r.Status == channels.RMARefunded {
		currency := strings.ToUpper(r.Currency)
		if currency == "" {
			currency = o.Currency
		}
		refundID := r.RefundID
		if refundID == "" {
			refundID = r.ExternalID
		}
		if _, err := c.Refunds.MirrorChannelRefund(ctx, tx, id, r.RefundAmount, currency, refundID); err != nil {
			return err
		}
		out.Refunded = true
	}
	if out.Return, err = tx.OrderReturn.Get(ctx, id); err != nil {
		return fmt.Errorf("load return: %w", err)
	}
	switch {
	case out.Alert != "" && (changed || created):
		return events.Append(ctx, tx, rmaEvent(ctx, out.Return, events.ReturnChannelAlert{
			ReturnID: string(id), ExternalID: r.ExternalID, OrderID: r.OrderID,
			ChannelStatus: r.ChannelStatus, Normalized: string(r.Status), Alert: out.Alert,
		}))
	case changed && !created && len(cmds) == 0 && !out.Refunded:
		return events.Append(ctx, tx, rmaEvent(ctx, out.Return, events.ReturnChannelUpdated{
			ReturnID: string(id), ChannelStatus: r.ChannelStatus, Normalized: string(r.Status),
		}))
	}
	return nil
}

// recordLineRefs keeps on each return line the channel's ids of the lines or units it covers.
func (s *Service) recordLineRefs(ctx context.Context, tx *ent.Tx, id pulid.ID, matched []MatchedLine) error {
	for _, m := range matched {
		if len(m.ExternalIDs) == 0 {
			continue
		}
		err := tx.ReturnLine.Update().Where(returnline.ReturnID(id), returnline.OrderLineID(m.OrderLine.ID)).
			SetExternalIds(m.ExternalIDs).Exec(ctx)
		if err != nil {
			return fmt.Errorf("record return line ids: %w", err)
		}
	}
	return nil
}

// applyChannelCommand moves return id by cmd in tx, as the lifecycle table allows, with its status
// event. A Receive is the channel's word that the goods reached its own warehouse: the return is
// RECEIVED without units at any of Ordo's locations.
func (s *Service) applyChannelCommand(ctx context.Context, tx *ent.Tx, id pulid.ID, cmd Command, reason string) error {
	if cmd != Receive {
		_, err := s.ApplyTx(ctx, tx, id, cmd, reason)
		return err
	}
	_, err := s.runTx(ctx, tx, id, func(ctx context.Context, p *op) error { return s.move(ctx, p, Receive, reason, nil) })
	return err
}

// rmaEvent is an event about a return, on its order's timeline and its channel's stream.
func rmaEvent(ctx context.Context, r *ent.OrderReturn, p events.Payload) events.Event {
	ev := events.Event{OrderID: string(r.OrderID), Payload: p, Actor: auth.Actor(ctx)}
	if r.ChannelID != nil {
		ev.ChannelID = string(*r.ChannelID)
	}
	if r.LocationID != nil {
		ev.LocationID = string(*r.LocationID)
	}
	return ev
}

func (s *Service) rmaNow() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) rmaCommitted() {
	if s.Committed != nil {
		s.Committed()
	}
}

// DecideInput is the seller's decision on a marketplace return.
type DecideInput struct {
	ReturnID pulid.ID
	// Action is APPROVE, REFUSE (with Reason, and Evidence where the channel requires it) or OFFER
	// (a partial refund of OfferAmount, minor units, at most what the buyer asked the channel for).
	Action orderreturn.SellerDecision
	// Reason is the channel's reason code of a refusal; Comment the seller's words.
	Reason, Comment string
	Evidence        []string
	OfferAmount     *int64
}

// maxEvidence bounds the links a decision carries.
const maxEvidence = 10

// refusalNeeds says what a refusal must carry on a channel: evidence (Shopee's dispute and Lazada's
// refuseReturn want images; Lazada's E0108–E0110) and a comment (Lazada). It is pure.
func refusalNeeds(kind channel.Kind) (evidence, comment bool) {
	switch kind {
	case channel.KindSHOPEE:
		return true, false
	case channel.KindLAZADA:
		return true, true
	}
	return false, false
}

// CheckDecision validates a seller's decision on return r of a channel of kind kind before anything
// is written: only a marketplace's return still REQUESTED, whose channel has no decision pending or
// taken, can be decided (CONFLICT otherwise); a refusal needs a reason and what its channel requires;
// an offer needs an amount of at most the channel's refund amount, on a channel that takes offers
// (Shopee). It is pure.
func CheckDecision(r *ent.OrderReturn, kind channel.Kind, in DecideInput) error {
	if r.ChannelID == nil || r.ExternalID == nil {
		return fault.New(fault.Conflict, "return %s is not a marketplace's: approve or decline it", r.ID)
	}
	if r.Status != orderreturn.StatusREQUESTED {
		return fault.New(fault.Conflict, "return %s is %s: the seller decides only requested returns", r.ID, r.Status)
	}
	switch r.DecisionSync {
	case orderreturn.DecisionSyncPENDING:
		return fault.New(fault.Conflict, "return %s: the seller's decision %s is being sent", r.ID, r.SellerDecision)
	case orderreturn.DecisionSyncSENT:
		return fault.New(fault.Conflict, "return %s: the channel has the seller's decision %s already", r.ID, r.SellerDecision)
	}
	if len(in.Evidence) > maxEvidence {
		return fault.New(fault.InvalidArgument, "evidence: at most %d links", maxEvidence)
	}
	for _, e := range in.Evidence {
		if strings.TrimSpace(e) == "" {
			return fault.New(fault.InvalidArgument, "evidence: an empty link")
		}
	}
	switch in.Action {
	case orderreturn.SellerDecisionAPPROVE:
		if _, err := Next(r.Status, Approve); err != nil {
			return err
		}
	case orderreturn.SellerDecisionREFUSE:
		if strings.TrimSpace(in.Reason) == "" {
			return fault.New(fault.InvalidArgument, "reason: a refusal needs the channel's reason")
		}
		evidence, comment := refusalNeeds(kind)
		if evidence && len(in.Evidence) == 0 {
			return fault.New(fault.InvalidArgument, "evidence: %s takes a refusal only with evidence (photos or videos)", kind)
		}
		if comment && strings.TrimSpace(in.Comment) == "" {
			return fault.New(fault.InvalidArgument, "comment: %s takes a refusal only with a comment", kind)
		}
	case orderreturn.SellerDecisionOFFER:
		if kind != channel.KindSHOPEE && kind != channel.KindTIKTOK_SHOP {
			return fault.New(fault.Conflict, "%s takes no partial refund offers", kind)
		}
		if in.OfferAmount == nil || *in.OfferAmount <= 0 {
			return fault.New(fault.InvalidArgument, "offerAmount: an offer needs a positive amount")
		}
		if r.ChannelRefundAmount == nil {
			return fault.New(fault.Conflict, "return %s: the channel gave no refund amount to offer part of", r.ID)
		}
		if *in.OfferAmount > *r.ChannelRefundAmount {
			return fault.New(fault.InvalidArgument, "offerAmount: %d is more than the %d the buyer asked", *in.OfferAmount, *r.ChannelRefundAmount)
		}
	default:
		return fault.New(fault.InvalidArgument, "action: want APPROVE, REFUSE or OFFER, not %q", in.Action)
	}
	return nil
}

// DecisionKey is the idempotency key of a decision sent to a channel: one per (return, action,
// version), so that a retried call is the same call and a later decision a new one.
func DecisionKey(returnID pulid.ID, action string, version int) string {
	return fmt.Sprintf("%s:%s:%d", returnID, action, version)
}

// Decide records the seller's decision on a marketplace return, in one transaction: checked
// (CheckDecision), it is kept on the return (seller_decision, evidence, offer, decision_sync
// PENDING) with a return.decided event; an approval also approves the return (a refusal declines
// it only once the channel says so); and send queues, in the same transaction, the job that sends
// it to the channel, so that a decision recorded is never left unsent. The decision's version is
// the return's version once recorded (see DecisionKey).
func (s *Service) Decide(ctx context.Context, in DecideInput, send func(tx *ent.Tx, r *ent.OrderReturn) error) (*ent.OrderReturn, error) {
	if err := in.ReturnID.Validate("ret"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "returnID: %v", err)
	}
	var out *ent.OrderReturn
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		r, err := tx.OrderReturn.Get(ctx, in.ReturnID)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "return %s not found", in.ReturnID)
		}
		if err != nil {
			return fmt.Errorf("load return: %w", err)
		}
		var kind channel.Kind
		if r.ChannelID != nil {
			ch, err := tx.Channel.Get(ctx, *r.ChannelID)
			if err != nil {
				return fmt.Errorf("load channel: %w", err)
			}
			kind = ch.Kind
		}
		if err := CheckDecision(r, kind, in); err != nil {
			return err
		}
		upd := tx.OrderReturn.Update().
			Where(orderreturn.ID(r.ID), orderreturn.Version(r.Version), orderreturn.StatusEQ(orderreturn.StatusREQUESTED)).
			SetSellerDecision(in.Action).SetDecisionSync(orderreturn.DecisionSyncPENDING).SetDecisionError("").AddVersion(1)
		if len(in.Evidence) > 0 {
			upd.SetEvidence(in.Evidence)
		}
		if in.Action == orderreturn.SellerDecisionOFFER {
			upd.SetOfferAmount(*in.OfferAmount)
		}
		if in.Action == orderreturn.SellerDecisionREFUSE {
			upd.SetDeclineReason(in.Reason)
		}
		n, err := upd.Save(ctx)
		if err != nil {
			return fmt.Errorf("record decision: %w", err)
		}
		if n == 0 {
			return fault.New(fault.Conflict, "return %s changed meanwhile; retry", r.ID)
		}
		if in.Action == orderreturn.SellerDecisionAPPROVE {
			if err := s.applyChannelCommand(ctx, tx, r.ID, Approve, "seller approved"); err != nil {
				return err
			}
		}
		if out, err = tx.OrderReturn.Get(ctx, r.ID); err != nil {
			return fmt.Errorf("load return: %w", err)
		}
		ev := events.ReturnDecided{ReturnID: string(r.ID), Action: string(in.Action), Reason: in.Reason, Comment: in.Comment,
			Evidence: in.Evidence, Version: out.Version}
		if in.OfferAmount != nil && in.Action == orderreturn.SellerDecisionOFFER {
			ev.OfferAmount = *in.OfferAmount
		}
		if err := events.Append(ctx, tx, rmaEvent(ctx, out, ev)); err != nil {
			return err
		}
		return send(tx, out)
	})
	if err != nil {
		return nil, err
	}
	s.rmaCommitted()
	return out.Unwrap(), nil
}

// DecisionSent records how the channel took a decision sent for return id: sent (err nil: SENT), or
// refused for good (FAILED with the channel's words, the alert). Only the decision still pending
// is recorded: a decision taken again meanwhile is left to its own job. RECEIVE, which is no seller
// decision of the lifecycle, only records its event.
func (s *Service) DecisionSent(ctx context.Context, id pulid.ID, action string, refused error) error {
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		r, err := tx.OrderReturn.Get(ctx, id)
		if ent.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("load return: %w", err)
		}
		ev := events.ReturnDecisionSynced{ReturnID: string(id), Action: action, Sync: string(orderreturn.DecisionSyncSENT)}
		if refused != nil {
			ev.Sync, ev.Error = string(orderreturn.DecisionSyncFAILED), refused.Error()
		}
		if action != channels.DecideReceive {
			upd := tx.OrderReturn.Update().Where(orderreturn.ID(id), orderreturn.SellerDecisionEQ(orderreturn.SellerDecision(action)),
				orderreturn.DecisionSyncEQ(orderreturn.DecisionSyncPENDING)).SetDecisionSync(orderreturn.DecisionSync(ev.Sync))
			if refused != nil {
				upd.SetDecisionError(ev.Error)
			}
			n, err := upd.Save(ctx)
			if err != nil {
				return fmt.Errorf("record decision sync: %w", err)
			}
			if n == 0 {
				return nil
			}
		}
		return events.Append(ctx, tx, rmaEvent(ctx, r, ev))
	})
	if err == nil {
		s.rmaCommitted()
	}
	return err
}
