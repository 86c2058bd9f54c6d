package customers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/customer"
	"github.com/ordo-oms/ordo/ent/customeridentity"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
)

// maxHops bounds following merged_into_id: merges refuse chains, so one hop is the most a
// consistent store needs.
const maxHops = 4

// Resolve finds the customer of an order's buyer inside the order's transaction, or creates it:
// the identities the buyer brings (Keys) are looked up, a verified email also in the customers'
// email column (customers made before identities); the customer of the strongest one found is the
// buyer's (Choose), after merges; the buyer's identities nobody holds yet are added to it. When
// identities lead to different customers, none is merged: the order goes to the strongest one's and
// a customer.possible_duplicate event tells agents. With nothing found, a new customer is made with
// the buyer's identities. Two first orders of one buyer racing make one customer: an identity is
// claimed with an upsert on its unique (kind, value), and the loser adopts the winner's customer.
// A buyer who brings no identity but a name or a phone gets a customer of their own, as before
// identities; one who brings nothing has none (nil).
func Resolve(ctx context.Context, tx *ent.Tx, b Buyer) (*pulid.ID, error) {
	keys := Keys(b)
	if len(keys) == 0 {
		if strings.TrimSpace(b.Name) == "" && strings.TrimSpace(b.Phone) == "" {
			return nil, nil
		}
		cu, err := tx.Customer.Create().SetName(b.Name).SetPhone(b.Phone).Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("create customer: %w", err)
		}
		return &cu.ID, nil
	}
	found, err := lookup(ctx, tx, keys)
	if err != nil {
		return nil, err
	}
	chosen, others, known := Choose(matches(found))
	if !known {
		chosen = pulid.New("cus")
	}
	if err := claim(ctx, tx, b, keys, found, chosen); err != nil {
		return nil, err
	}
	if !known {
		if chosen, others, err = settle(ctx, tx, b, keys, chosen); err != nil {
			return nil, err
		}
	}
	if len(others) > 0 {
		if err := possibleDuplicate(ctx, tx, b, chosen, others, found); err != nil {
			return nil, err
		}
	}
	return &chosen, nil
}

// found is one key's holder: the customer it leads to after merges, and whether only the email
// column (no identity row) says so.
type holder struct {
	Match
	column bool
}

// lookup finds who holds each key: its identity's customer, or for a verified email without one,
// the customer with that email; followed to their survivors.
func lookup(ctx context.Context, tx *ent.Tx, keys []Key) (map[Key]holder, error) {
	found := map[Key]holder{}
	for _, k := range keys {
		idn, err := tx.CustomerIdentity.Query().
			Where(customeridentity.KindEQ(k.Kind), customeridentity.Value(k.Value)).Only(ctx)
		switch {
		case err == nil:
			found[k] = holder{Match: Match{k.Kind, idn.CustomerID}}
		case !ent.IsNotFound(err):
			return nil, fmt.Errorf("look up identity: %w", err)
		case k.Kind == customeridentity.KindEMAIL:
			id, err := tx.Customer.Query().Where(customer.Email(k.Value)).OnlyID(ctx)
			if err == nil {
				found[k] = holder{Match: Match{k.Kind, id}, column: true}
			} else if !ent.IsNotFound(err) {
				return nil, fmt.Errorf("look up customer by email: %w", err)
			}
		}
	}
	for k, h := range found {
		s, err := Survivor(ctx, tx.Client(), h.Customer)
		if err != nil {
			return nil, err
		}
		h.Customer = s
		found[k] = h
	}
	return found, nil
}

// matches is the holders as Choose takes them, in the keys' order (strongest first).
func matches(found map[Key]holder) []Match {
	out := make([]Match, 0, len(found))
	for _, h := range found {
		out = append(out, h.Match)
	}
	slices.SortFunc(out, func(a, b Match) int { return strength[b.Kind] - strength[a.Kind] })
	return out
}

// Survivor is the customer id stands for now: itself, or the customer it was merged into.
func Survivor(ctx context.Context, c *ent.Client, id pulid.ID) (pulid.ID, error) {
	for range maxHops {
		cu, err := c.Customer.Query().Where(customer.ID(id)).Select(customer.FieldMergedIntoID).Only(ctx)
		if ent.IsNotFound(err) {
			return id, nil // an identity of a customer deleted by hand: the id as it is
		}
		if err != nil {
			return "", fmt.Errorf("load customer: %w", err)
		}
		if cu.MergedIntoID == nil {
			return id, nil
		}
		id = *cu.MergedIntoID
	}
	return id, nil
}

// claim adds to the chosen customer the keys nobody holds (and a verified email only its own email
// column held), in a fixed order so that racing transactions take the unique index's locks alike.
// An identity someone claimed meanwhile is left to them (the upsert changes nothing).
func claim(ctx context.Context, tx *ent.Tx, b Buyer, keys []Key, found map[Key]holder, chosen pulid.ID) error {
	todo := slices.Clone(keys)
	slices.SortFunc(todo, func(a, b Key) int {
		return strings.Compare(string(a.Kind)+":"+a.Value, string(b.Kind)+":"+b.Value)
	})
	for _, k := range todo {
		if h, ok := found[k]; ok && (!h.column || h.Customer != chosen) {
			continue
		}
		err := tx.CustomerIdentity.Create().SetCustomerID(chosen).SetKind(k.Kind).SetValue(k.Value).
			SetVerified(k.Verified).SetNillableChannelID(b.ChannelID).
			OnConflictColumns(customeridentity.FieldKind, customeridentity.FieldValue).Ignore().Exec(ctx)
		if err != nil {
			return fmt.Errorf("add identity: %w", err)
		}
	}
	return nil
}

// settle finishes a new buyer: when racing orders claimed some of the keys first, the buyer is the
// customer of the strongest of those (the identities this one claimed move there, the others are
// possible duplicates); otherwise the customer is created with the id its identities already name.
func settle(ctx context.Context, tx *ent.Tx, b Buyer, keys []Key, fresh pulid.ID) (pulid.ID, []pulid.ID, error) {
	found, err := lookup(ctx, tx, keys)
	if err != nil {
		return "", nil, err
	}
	theirs := slices.DeleteFunc(matches(found), func(m Match) bool { return m.Customer == fresh })
	chosen, others, taken := Choose(theirs)
	if !taken {
		create := tx.Customer.Create().SetID(fresh).SetName(b.Name).SetPhone(b.Phone)
		if email, _ := Email(b.Email); b.EmailVerified && email != "" {
			create.SetEmail(email)
		}
		id, err := create.OnConflictColumns(customer.FieldEmail).Ignore().ID(ctx)
		if err != nil {
			return "", nil, fmt.Errorf("create customer: %w", err)
		}
		if id == fresh {
			return fresh, nil, nil
		}
		chosen = id // a customer made without identities took the email meanwhile
	}
	if _, err := tx.CustomerIdentity.Update().Where(customeridentity.CustomerID(fresh)).
		SetCustomerID(chosen).Save(ctx); err != nil {
		return "", nil, fmt.Errorf("move identities: %w", err)
	}
	return chosen, others, nil
}

// possibleDuplicate records that the buyer's identities led to other customers than chosen.
func possibleDuplicate(ctx context.Context, tx *ent.Tx, b Buyer, chosen pulid.ID, others []pulid.ID, found map[Key]holder) error {
	p := events.CustomerPossibleDuplicate{CustomerID: string(chosen)}
	for _, o := range others {
		p.Others = append(p.Others, string(o))
	}
	for k, h := range found {
		if h.Customer != chosen && !slices.Contains(p.By, string(k.Kind)) {
			p.By = append(p.By, string(k.Kind))
		}
	}
	slices.Sort(p.By)
	ev := events.Event{CustomerID: string(chosen), Payload: p, Actor: auth.Actor(ctx)}
	if b.ChannelID != nil {
		p.ChannelID = string(*b.ChannelID)
		ev.ChannelID, ev.Payload = p.ChannelID, p
	}
	return events.Append(ctx, tx, ev)
}
