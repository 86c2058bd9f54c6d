package orders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
)

// PaymentExpired is the reason on an unpaid order cancelled when its time ran out.
const PaymentExpired = "payment expired"

// AnyPaymentMethod is the key of a channel's unpaid expiry rule for the payment methods it does not
// name.
const AnyPaymentMethod = "*"

// UnpaidSweepInterval is how often unpaid orders past their expiry are looked for.
const UnpaidSweepInterval = time.Minute

// unpaidSweepBatch bounds the orders one pass cancels; the sweep takes passes until none are left.
const unpaidSweepBatch = 100

// UnpaidExpiry is how long an unpaid order paid by method keeps its stock under a channel's rules
// (minutes per payment method, AnyPaymentMethod for the others), and whether it expires at all:
// cash on delivery never does, nor a method no rule covers, nor a rule of zero minutes. It is pure.
func UnpaidExpiry(rules map[string]int, method order.PaymentMethod) (time.Duration, bool) {
	if method == order.PaymentMethodCOD {
		return 0, false
	}
	m, ok := rules[string(method)]
	if !ok {
		m, ok = rules[AnyPaymentMethod]
	}
	if !ok || m <= 0 {
		return 0, false
	}
	return time.Duration(m) * time.Minute, true
}

// unpaidExpiry sets, on an order being created PENDING_PAYMENT, when it expires unpaid: its
// channel's rule for its payment method, from placedAt. An order without a channel follows the
// oldest active STOREFRONT channel, which stands for the business's own shop (as its fulfilment
// settings do).
func (s *Service) unpaidExpiry(ctx context.Context, tx *ent.Tx, create *ent.OrderCreate, channelID *pulid.ID,
	status order.Status, method order.PaymentMethod, placedAt time.Time,
) error {
	if status != order.StatusPENDING_PAYMENT || method == order.PaymentMethodCOD {
		return nil
	}
	q := tx.Channel.Query().Where(channel.KindEQ(channel.KindSTOREFRONT), channel.Active(true)).Order(channel.ByID())
	if channelID != nil {
		q = tx.Channel.Query().Where(channel.ID(*channelID))
	}
	ch, err := q.First(ctx)
	if ent.IsNotFound(err) {
		return nil // a missing channel is refused elsewhere; no storefront channel: no expiry
	}
	if err != nil {
		return fmt.Errorf("load the channel's unpaid expiry: %w", err)
	}
	if d, ok := UnpaidExpiry(ch.UnpaidExpiryMinutes, method); ok {
		create.SetExpiresAt(placedAt.Add(d))
	}
	return nil
}

// paidOff reports whether a transition settles an order's payment question (confirmed, or paid):
// its unpaid expiry no longer applies.
func paidOff(t Transition) bool {
	return (t.From == order.StatusPENDING_PAYMENT && t.To == order.StatusCONFIRMED) ||
		(t.Payment != nil && *t.Payment == order.PaymentStatusPAID)
}

// UnpaidSweepArgs is the periodic job that cancels unpaid orders past their expiry.
type UnpaidSweepArgs struct{}

// Kind implements river.JobArgs.
func (UnpaidSweepArgs) Kind() string { return "unpaid_expiry_sweep" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (UnpaidSweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueChannel}
}

// Register adds the orders' workers.
func (s *Service) Register(w *river.Workers) {
	river.AddWorker(w, &unpaidSweepWorker{s: s})
}

// Periodic returns the orders' scheduled jobs.
func (s *Service) Periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(UnpaidSweepInterval),
		func() (river.JobArgs, *river.InsertOpts) { return UnpaidSweepArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
}

type unpaidSweepWorker struct {
	river.WorkerDefaults[UnpaidSweepArgs]
	s *Service
}

func (w *unpaidSweepWorker) Work(ctx context.Context, _ *river.Job[UnpaidSweepArgs]) error {
	_, err := w.s.ExpireUnpaid(ctx, w.s.now())
	return err
}

// ExpireUnpaid cancels, through the lifecycle's Cancel (reason PaymentExpired), every order still
// PENDING_PAYMENT past its expires_at at now, releasing its stock; each in its own transaction,
// which checks again that the order is unpaid and due (a payment confirmed meanwhile wins: the
// guarded status update refuses the cancellation). It returns how many orders it cancelled.
func (s *Service) ExpireUnpaid(ctx context.Context, now time.Time) (int, error) {
	cancelled := 0
	for {
		due, err := s.DB.Client.Order.Query().
			Where(order.StatusEQ(order.StatusPENDING_PAYMENT), order.ExpiresAtLTE(now)).
			Order(order.ByExpiresAt(), order.ByID()).Limit(unpaidSweepBatch).IDs(ctx)
		if err != nil {
			return cancelled, fmt.Errorf("load expired unpaid orders: %w", err)
		}
		var errs []error
		for _, id := range due {
			err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
				o, err := tx.Order.Get(ctx, id)
				if err != nil {
					return fmt.Errorf("load order: %w", err)
				}
				if o.Status != order.StatusPENDING_PAYMENT || o.ExpiresAt == nil || now.Before(*o.ExpiresAt) {
					return fault.New(fault.Conflict, "order %s is %s", o.ID, o.Status)
				}
				return s.command(ctx, tx, o, ApplyInput{OrderID: id, Command: Cancel, Reason: PaymentExpired}, nil)
			})
			switch {
			case fault.Is(err, fault.Conflict): // paid, cancelled or expired elsewhere meanwhile
			case err != nil:
				errs = append(errs, fmt.Errorf("expire unpaid order %s: %w", id, err))
			default:
				cancelled++
				s.committed()
				s.replenished(ctx, id)
			}
		}
		if len(errs) > 0 || len(due) < unpaidSweepBatch {
			return cancelled, errors.Join(errs...)
		}
	}
}

// maxUnpaidMinutes bounds an unpaid expiry rule (30 days).
const maxUnpaidMinutes = 30 * 24 * 60

// SetUnpaidExpiry replaces a channel's unpaid expiry rules (minutes per payment method,
// AnyPaymentMethod for the others). COD cannot have one: cash on delivery is never paid upfront.
func (s *Service) SetUnpaidExpiry(ctx context.Context, channelID pulid.ID, rules map[string]int) (*ent.Channel, error) {
	if err := channelID.Validate("chn"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "channelID: %v", err)
	}
	for method, m := range rules {
		if method != AnyPaymentMethod {
			if err := order.PaymentMethodValidator(order.PaymentMethod(method)); err != nil {
				return nil, fault.New(fault.InvalidArgument, "unknown payment method %q", method)
			}
		}
		if order.PaymentMethod(method) == order.PaymentMethodCOD {
			return nil, fault.New(fault.InvalidArgument, "cash on delivery orders never expire unpaid")
		}
		if m < 1 || m > maxUnpaidMinutes {
			return nil, fault.New(fault.InvalidArgument, "%s: minutes must be between 1 and %d, got %d", method, maxUnpaidMinutes, m)
		}
	}
	ch, err := s.DB.Client.Channel.UpdateOneID(channelID).SetUnpaidExpiryMinutes(rules).Save(ctx)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "channel %s not found", channelID)
	}
	if err != nil {
		return nil, fmt.Errorf("update channel: %w", err)
	}
	return ch, nil
}
