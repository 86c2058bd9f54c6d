package outbound

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/returnline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ingestion"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/returns"
)

// DecideArgs is the job of sending the seller's decision on a marketplace return to its channel
// (channels.Returns.DecideReturn): APPROVE, REFUSE or OFFER as decided (returns.Service.Decide),
// or RECEIVE once Ordo received the goods where the channel wants to hear it. One waits or runs per
// (return, action, version); the channel gets the same idempotency key on every attempt.
type DecideArgs struct {
	ReturnID pulid.ID `json:"return_id" river:"unique"`
	Action   string   `json:"action" river:"unique"`
	Version  int      `json:"version" river:"unique"`
	// OrderID names the return's order for the alert of a job that fails for good.
	OrderID     pulid.ID `json:"order_id"`
	Reason      string   `json:"reason,omitempty"`
	Comment     string   `json:"comment,omitempty"`
	Evidence    []string `json:"evidence,omitempty"`
	OfferAmount int64    `json:"offer_amount,omitempty"`
}

// Kind implements river.JobArgs.
func (DecideArgs) Kind() string { return "channel_decide_return" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (DecideArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ReturnDeadlineSweepArgs is the periodic job that raises the deadline alerts of marketplace
// returns waiting for the seller (returns.Service.SweepDeadlines).
type ReturnDeadlineSweepArgs struct{}

// Kind implements river.JobArgs.
func (ReturnDeadlineSweepArgs) Kind() string { return "return_deadline_sweep" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ReturnDeadlineSweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel}
}

// ReturnDeadlineSweepInterval is how often returns nearing their channel's deadline are looked for.
const ReturnDeadlineSweepInterval = time.Minute

// ReturnsPeriodic returns the schedule of the returns' deadline sweep.
func (s *Service) ReturnsPeriodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(ReturnDeadlineSweepInterval),
		func() (river.JobArgs, *river.InsertOpts) { return ReturnDeadlineSweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

// RegisterReturns adds the workers of the seller's decisions and of the deadline sweep.
func (s *Service) RegisterReturns(w *river.Workers) {
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, job *river.Job[DecideArgs]) error {
		return s.decide(auth.NewContext(ctx, auth.System), job.Args)
	}))
	river.AddWorker(w, river.WorkFunc(func(ctx context.Context, _ *river.Job[ReturnDeadlineSweepArgs]) error {
		_, err := s.Returns.SweepDeadlines(auth.NewContext(ctx, auth.System), s.now(), s.DeadlineWarning)
		return err
	}))
}

// DecideReturn records the seller's decision on a marketplace return and queues, in the same
// transaction, the job that sends it to the channel (see returns.Service.Decide for the rules).
func (s *Service) DecideReturn(ctx context.Context, in returns.DecideInput) (*ent.OrderReturn, error) {
	return s.Returns.Decide(ctx, in, func(tx *ent.Tx, r *ent.OrderReturn) error {
		args := DecideArgs{ReturnID: r.ID, Action: string(in.Action), Version: r.Version, OrderID: r.OrderID,
			Reason: in.Reason, Comment: in.Comment, Evidence: in.Evidence}
		if in.OfferAmount != nil {
			args.OfferAmount = *in.OfferAmount
		}
		return s.Queue.InsertTx(ctx, tx, river.InsertManyParams{Args: args})
	})
}

// ReceiveWanted says whether a channel wants to hear that the seller received a return's goods
// (Lazada confirmDelivery, Shopify returnProcess); the others settle it themselves. It is pure.
func ReceiveWanted(kind channel.Kind) bool {
	return kind == channel.KindLAZADA || kind == channel.KindSHOPIFY
}

// decide sends one decision and records how the channel took it: SENT, or FAILED for a refusal for
// good (the alert; the job ends). Throttling and transient failures are returned to be retried. A
// decision superseded or already recorded, or a return that is no marketplace's, sends nothing.
func (s *Service) decide(ctx context.Context, a DecideArgs) error {
	return s.sendDecision(ctx, a, s.Connections.Returns)
}

// sendDecision is decide with the channel's returns opened by open.
func (s *Service) sendDecision(ctx context.Context, a DecideArgs, open func(*ent.Channel) (channels.Returns, bool, error)) error {
	r, err := s.DB.Client.OrderReturn.Query().Where(orderreturn.ID(a.ReturnID)).WithOrder().
		WithLines(func(q *ent.ReturnLineQuery) { q.Order(returnline.ByID()).WithOrderLine() }).Only(ctx)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load return: %w", err)
	}
	if r.ChannelID == nil || r.ExternalID == nil || r.Edges.Order == nil || r.Edges.Order.ExternalID == nil {
		return nil
	}
	if a.Action != channels.DecideReceive &&
		(string(r.SellerDecision) != a.Action || r.DecisionSync != orderreturn.DecisionSyncPENDING) {
		return nil // decided again meanwhile (its own job sends it), or recorded already
	}
	ch, err := s.DB.Client.Channel.Get(ctx, *r.ChannelID)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load channel: %w", err)
	}
	if a.Action == channels.DecideReceive && !ReceiveWanted(ch.Kind) {
		return nil
	}
	rt, ok, err := open(ch)
	if err != nil {
		return s.decided(ctx, a, err)
	}
	if !ok {
		return s.decided(ctx, a, channels.Refused("%s takes no decisions on returns", ch.Kind))
	}
	return s.decided(ctx, a, rt.DecideReturn(ctx, Decision(r, a)))
}

// decided records the outcome of sending a decision: nil and refusals for good are recorded (the
// job is done), anything else is returned to be retried.
func (s *Service) decided(ctx context.Context, a DecideArgs, err error) error {
	if err != nil && jobs.Classify(err) != jobs.Stop {
		return err
	}
	if err != nil {
		s.log().WarnContext(ctx, "channel refused a return decision", "return", a.ReturnID, "action", a.Action, "err", err)
	}
	return s.Returns.DecisionSent(ctx, a.ReturnID, a.Action, err)
}

// Decision is the channels.ReturnDecision of a job on return r (loaded with its order and its lines
// with their order lines): the channel's ids of the return, its order and its lines, and what the
// seller decided, with the idempotency key of (return, action, version). It is pure.
func Decision(r *ent.OrderReturn, a DecideArgs) channels.ReturnDecision {
	d := channels.ReturnDecision{
		Action: a.Action, Reason: a.Reason, Comment: a.Comment, Evidence: a.Evidence, OfferAmount: a.OfferAmount,
		IdempotencyKey: returns.DecisionKey(r.ID, a.Action, a.Version), Refs: r.ChannelRefs,
	}
	if r.ExternalID != nil {
		d.ReturnID = *r.ExternalID
	}
	if o := r.Edges.Order; o != nil {
		d.Currency = o.Currency
		if o.ExternalID != nil {
			d.OrderID = *o.ExternalID
		}
	}
	for _, l := range r.Edges.Lines {
		rl := channels.ReturnLine{SKU: l.Sku, Quantity: l.Quantity, ReturnLineIDs: l.ExternalIds, RefundAmount: l.RefundAmount}
		if a.Action == channels.DecideReceive {
			rl.Quantity = l.ReceivedQuantity
			if rl.Quantity == 0 {
				continue
			}
		}
		if ol := l.Edges.OrderLine; ol != nil {
			rl.LineID, rl.ListingID, rl.UnitIDs = ol.ExternalLineID, ol.ListingID, ol.ExternalUnitIds
		}
		d.Lines = append(d.Lines, rl)
	}
	return d
}

// receiveOf is the RECEIVE job of a return event in which a return reached RECEIVED in Ordo (the
// seller received its goods), or nil. The job tells only channels that want it (ReceiveWanted) and
// only of their own returns; a receipt the channel reported itself (a marketplace's warehouse) is
// the channel's actor's, and is not told back.
func receiveOf(e *ent.Event) river.JobArgs {
	if e.Type != events.KindReturnStatusChanged || e.ChannelID == "" || strings.HasPrefix(e.Actor, ingestion.ActorPrefix) {
		return nil
	}
	ch, err := events.Decode[events.ReturnStatusChanged](e)
	if err != nil || ch.To != string(orderreturn.StatusRECEIVED) || ch.From == ch.To || ch.ReturnID == "" {
		return nil
	}
	return DecideArgs{ReturnID: pulid.ID(ch.ReturnID), Action: channels.DecideReceive, OrderID: pulid.ID(e.OrderID)}
}
