package customers

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/customer"
	"github.com/ordo-oms/ordo/ent/customeridentity"
	"github.com/ordo-oms/ordo/ent/customermerge"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// maxIdentities bounds the identities read for one customer (merges add up, but a buyer has few).
const maxIdentities = 200

// MaxMerges is how many of a customer's merges History reads, newest first.
const MaxMerges = 50

// Identities is how customer id is recognised: its identities, by kind and value.
func Identities(ctx context.Context, c *ent.Client, id pulid.ID) ([]*ent.CustomerIdentity, error) {
	out, err := c.CustomerIdentity.Query().Where(customeridentity.CustomerID(id)).
		Order(customeridentity.ByKind(), customeridentity.ByValue()).Limit(maxIdentities).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list identities: %w", err)
	}
	return out, nil
}

// History is the merges customer id took part in, as survivor or as merged, newest first (the
// last MaxMerges).
func History(ctx context.Context, c *ent.Client, id pulid.ID) ([]*ent.CustomerMerge, error) {
	out, err := c.CustomerMerge.Query().
		Where(customermerge.Or(customermerge.SurvivorID(id), customermerge.MergedID(id))).
		Order(ent.Desc(customermerge.FieldCreatedAt), ent.Desc(customermerge.FieldID)).Limit(MaxMerges).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list merges: %w", err)
	}
	return out, nil
}

// Get is customer id as the caller may read it (c's row scoping applies), or nil when it is not
// there or not the caller's to read.
func Get(ctx context.Context, c *ent.Client, id *pulid.ID) (*ent.Customer, error) {
	if id == nil {
		return nil, nil
	}
	cu, err := c.Customer.Query().Where(customer.ID(*id)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load customer: %w", err)
	}
	return cu, nil
}
