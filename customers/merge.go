package customers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/customer"
	"github.com/ordo-oms/ordo/ent/customeridentity"
	"github.com/ordo-oms/ordo/ent/customermerge"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// MaxMergeOrders bounds the orders one merge moves (and its record lists): a customer with more is
// not one buyer an agent merges by hand.
const MaxMergeOrders = 10_000

// maxReason bounds a merge's reason.
const maxReason = 500

// Service runs agents' merges and unmerges.
type Service struct {
	DB *database.DB
	// Committed is called after a merge or an unmerge commits (to wake the event hub).
	Committed func()
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Merge merges the customer mergedID into survivorID for actor (why: reason): the merged customer's
// orders and identities move to the survivor, it is marked merged into the survivor, a
// CustomerMerge records exactly what moved, and customer.merged is recorded on both. Merging a
// customer into itself, a customer already merged, or into a customer that is itself merged (merge
// into its survivor instead) is refused, and changes nothing. The merged customer keeps its email:
// an order with it finds the survivor (its identity moved; the email column is followed to the
// survivor).
func (s *Service) Merge(ctx context.Context, survivorID, mergedID pulid.ID, reason, actor string) (*ent.CustomerMerge, error) {
	if err := survivorID.Validate("cus"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "survivorID: %v", err)
	}
	if err := mergedID.Validate("cus"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "mergedID: %v", err)
	}
	if survivorID == mergedID {
		return nil, fault.New(fault.InvalidArgument, "a customer cannot be merged into itself")
	}
	reason = strings.TrimSpace(reason)
	if len(reason) > maxReason {
		return nil, fault.New(fault.InvalidArgument, "the reason is at most %d characters", maxReason)
	}
	var m *ent.CustomerMerge
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		var err error
		m, err = s.merge(ctx, tx, survivorID, mergedID, reason, actor)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return m, nil
}

func (s *Service) merge(ctx context.Context, tx *ent.Tx, survivorID, mergedID pulid.ID, reason, actor string) (*ent.CustomerMerge, error) {
	now := s.now()
	// Guarded updates, so that two agents merging at once (or a merge into a customer being merged)
	// cannot both pass: the survivor's row is locked unmerged, the merged one is marked only if it
	// was not already.
	n, err := tx.Customer.Update().Where(customer.ID(survivorID), customer.MergedIntoIDIsNil()).SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock survivor: %w", err)
	}
	if n == 0 {
		return nil, refusal(ctx, tx, survivorID, "survivor")
	}
	n, err = tx.Customer.Update().Where(customer.ID(mergedID), customer.MergedIntoIDIsNil()).
		SetMergedIntoID(survivorID).SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("mark merged: %w", err)
	}
	if n == 0 {
		return nil, refusal(ctx, tx, mergedID, "merged")
	}
	orderIDs, err := tx.Order.Query().Where(order.CustomerID(mergedID)).Limit(MaxMergeOrders + 1).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	if len(orderIDs) > MaxMergeOrders {
		return nil, fault.New(fault.Conflict, "customer %s has more than %d orders: not merged", mergedID, MaxMergeOrders)
	}
	identityIDs, err := tx.CustomerIdentity.Query().Where(customeridentity.CustomerID(mergedID)).IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("list identities: %w", err)
	}
	if len(orderIDs) > 0 {
		if err := tx.Order.Update().Where(order.IDIn(orderIDs...), order.CustomerID(mergedID)).SetCustomerID(survivorID).Exec(ctx); err != nil {
			return nil, fmt.Errorf("move orders: %w", err)
		}
	}
	if len(identityIDs) > 0 {
		if err := tx.CustomerIdentity.Update().Where(customeridentity.IDIn(identityIDs...)).SetCustomerID(survivorID).Exec(ctx); err != nil {
			return nil, fmt.Errorf("move identities: %w", err)
		}
	}
	m, err := tx.CustomerMerge.Create().SetSurvivorID(survivorID).SetMergedID(mergedID).
		SetOrderIds(strs(orderIDs)).SetIdentityIds(strs(identityIDs)).SetReason(reason).SetActor(actor).
		SetCreatedAt(now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("record merge: %w", err)
	}
	p := events.CustomerMerged{MergeID: string(m.ID), SurvivorID: string(survivorID), MergedID: string(mergedID),
		Orders: len(orderIDs), Identities: len(identityIDs), Reason: reason}
	return m, events.Append(ctx, tx,
		events.Event{CustomerID: string(survivorID), Payload: p, Actor: actor},
		events.Event{CustomerID: string(mergedID), Payload: p, Actor: actor})
}

// refusal says why a guarded update of the customer id (the merge's survivor or merged one)
// changed nothing: it does not exist, or it is merged already.
func refusal(ctx context.Context, tx *ent.Tx, id pulid.ID, role string) error {
	cu, err := tx.Customer.Get(ctx, id)
	if ent.IsNotFound(err) {
		return fault.New(fault.NotFound, "customer %s not found", id)
	}
	if err != nil {
		return fmt.Errorf("load customer: %w", err)
	}
	if cu.MergedIntoID == nil {
		return fault.New(fault.Conflict, "customer %s changed meanwhile: try again", id)
	}
	if role == "survivor" {
		return fault.New(fault.Conflict, "customer %s is merged into %s: merge into that customer instead", id, *cu.MergedIntoID)
	}
	return fault.New(fault.Conflict, "customer %s is already merged into %s", id, *cu.MergedIntoID)
}

// Unmerge undoes the merge mergeID for actor: the orders and identities it moved go back to the
// merged customer (orders placed on the survivor since stay there), the merged customer is no longer
// merged, the merge is marked undone, and customer.unmerged is recorded on both. Unmerging twice, or
// a merge whose survivor was merged since (unmerge that one first), is refused and changes nothing.
func (s *Service) Unmerge(ctx context.Context, mergeID pulid.ID, actor string) (*ent.CustomerMerge, error) {
	if err := mergeID.Validate("cmg"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "mergeID: %v", err)
	}
	var m *ent.CustomerMerge
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		var err error
		m, err = s.unmerge(ctx, tx, mergeID, actor)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.committed()
	return m, nil
}

func (s *Service) unmerge(ctx context.Context, tx *ent.Tx, mergeID pulid.ID, actor string) (*ent.CustomerMerge, error) {
	now := s.now()
	n, err := tx.CustomerMerge.Update().Where(customermerge.ID(mergeID), customermerge.UndoneAtIsNil()).
		SetUndoneAt(now).SetUndoneBy(actor).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("mark undone: %w", err)
	}
	m, err := tx.CustomerMerge.Get(ctx, mergeID)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.NotFound, "merge %s not found", mergeID)
	}
	if err != nil {
		return nil, fmt.Errorf("load merge: %w", err)
	}
	if n == 0 {
		return nil, fault.New(fault.Conflict, "merge %s was undone already", mergeID)
	}
	// The survivor must still be itself: were it merged since, the orders moved on with it.
	n, err = tx.Customer.Update().Where(customer.ID(m.SurvivorID), customer.MergedIntoIDIsNil()).SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock survivor: %w", err)
	}
	if n == 0 {
		return nil, fault.New(fault.Conflict, "customer %s was merged since: unmerge that first", m.SurvivorID)
	}
	n, err = tx.Customer.Update().Where(customer.ID(m.MergedID), customer.MergedIntoID(m.SurvivorID)).
		ClearMergedIntoID().SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("clear merged: %w", err)
	}
	if n == 0 {
		return nil, fault.New(fault.Conflict, "customer %s is not merged into %s", m.MergedID, m.SurvivorID)
	}
	orders, identities := ids(m.OrderIds), ids(m.IdentityIds)
	moved := 0
	if len(orders) > 0 {
		if moved, err = tx.Order.Update().Where(order.IDIn(orders...), order.CustomerID(m.SurvivorID)).
			SetCustomerID(m.MergedID).Save(ctx); err != nil {
			return nil, fmt.Errorf("move orders back: %w", err)
		}
	}
	back := 0
	if len(identities) > 0 {
		if back, err = tx.CustomerIdentity.Update().Where(customeridentity.IDIn(identities...), customeridentity.CustomerID(m.SurvivorID)).
			SetCustomerID(m.MergedID).Save(ctx); err != nil {
			return nil, fmt.Errorf("move identities back: %w", err)
		}
	}
	p := events.CustomerUnmerged{MergeID: string(m.ID), SurvivorID: string(m.SurvivorID), MergedID: string(m.MergedID),
		Orders: moved, Identities: back}
	return m, events.Append(ctx, tx,
		events.Event{CustomerID: string(m.SurvivorID), Payload: p, Actor: actor},
		events.Event{CustomerID: string(m.MergedID), Payload: p, Actor: actor})
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) committed() {
	if s.Committed != nil {
		s.Committed()
	}
}

func strs(ids []pulid.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

func ids(s []string) []pulid.ID {
	out := make([]pulid.ID, len(s))
	for i, id := range s {
		out[i] = pulid.ID(id)
	}
	return out
}
