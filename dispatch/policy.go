package dispatch

import (
	"context"
	"fmt"
	"slices"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/routingpolicy"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
)

// defaultScope is the scope of the policy that applies to channels without one of their own.
const defaultScope = "default"

// PolicyInput is a new version of a channel's routing policy (ChannelID nil: the default policy).
type PolicyInput struct {
	ChannelID     *pulid.ID
	Criteria      []schema.RoutingCriterion
	MaxShipments  int
	ShipFromStore bool
	DropShip      bool
	SplitBundles  bool
	Backorder     routingpolicy.Backorder
	Note          string
}

// Criteria are the names a policy may rank by.
var Criteria = []string{"DISTANCE", "STOCK_AFTER", "CONGESTION", "SHIP_BY", "COST", "PRIORITY"}

// Validate checks a policy without the database.
func (in PolicyInput) Validate() error {
	if len(in.Criteria) == 0 {
		return fault.New(fault.InvalidArgument, "a policy ranks by at least one criterion")
	}
	seen := map[string]bool{}
	for _, c := range in.Criteria {
		if !slices.Contains(Criteria, c.Name) {
			return fault.New(fault.InvalidArgument, "unknown criterion %q; use one of %v", c.Name, Criteria)
		}
		if seen[c.Name] {
			return fault.New(fault.InvalidArgument, "criterion %s is listed twice", c.Name)
		}
		seen[c.Name] = true
		if c.Weight <= 0 || c.Weight > 100 {
			return fault.New(fault.InvalidArgument, "criterion %s: weight must be in (0, 100], got %v", c.Name, c.Weight)
		}
	}
	if in.MaxShipments < 1 || in.MaxShipments > 10 {
		return fault.New(fault.InvalidArgument, "maxShipments must be between 1 and 10, got %d", in.MaxShipments)
	}
	if err := routingpolicy.BackorderValidator(in.Backorder); err != nil {
		return fault.New(fault.InvalidArgument, "unknown backorder mode %q", in.Backorder)
	}
	if in.ChannelID != nil {
		if err := in.ChannelID.Validate("chn"); err != nil {
			return fault.New(fault.InvalidArgument, "channelID: %v", err)
		}
	}
	return nil
}

// Policies stores routing policies, one version after another.
type Policies struct {
	DB *database.DB
	// Changed is called after a new version is stored (routing drops its cached copy).
	Changed func()
}

// scopeOf is the scope of a channel's policy; nil is the default policy's.
func scopeOf(channelID *pulid.ID) string {
	if channelID == nil {
		return defaultScope
	}
	return string(*channelID)
}

// Set writes in as the newest version of its scope's policy; it is in force from now on.
func (p Policies) Set(ctx context.Context, in PolicyInput) (*ent.RoutingPolicy, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	scope := defaultScope
	if in.ChannelID != nil {
		if _, err := p.DB.Client.Channel.Get(ctx, *in.ChannelID); ent.IsNotFound(err) {
			return nil, fault.New(fault.NotFound, "channel %s not found", *in.ChannelID)
		} else if err != nil {
			return nil, fmt.Errorf("load channel: %w", err)
		}
		scope = string(*in.ChannelID)
	}
	var out *ent.RoutingPolicy
	err := p.DB.Tx(ctx, func(tx *ent.Tx) error {
		last, err := tx.RoutingPolicy.Query().Where(routingpolicy.Scope(scope)).
			Order(ent.Desc(routingpolicy.FieldVersion)).First(ctx)
		version := 1
		switch {
		case err == nil:
			version = last.Version + 1
		case !ent.IsNotFound(err):
			return err
		}
		out, err = tx.RoutingPolicy.Create().SetScope(scope).SetNillableChannelID(in.ChannelID).SetVersion(version).
			SetCriteria(in.Criteria).SetMaxShipments(in.MaxShipments).SetShipFromStore(in.ShipFromStore).
			SetDropShip(in.DropShip).SetSplitBundles(in.SplitBundles).SetBackorder(in.Backorder).
			SetNote(in.Note).SetCreatedBy(auth.Actor(ctx)).Save(ctx)
		return err
	})
	if database.IsUniqueViolation(err) {
		return nil, fault.New(fault.Conflict, "the policy was changed at the same time; read it again and retry")
	}
	if err != nil {
		return nil, fmt.Errorf("save routing policy: %w", err)
	}
	if p.Changed != nil {
		p.Changed()
	}
	return out.Unwrap(), nil
}

// InForce returns the newest policy of the channel, else the newest default policy, else nil (the
// engine's built-in default applies).
func (p Policies) InForce(ctx context.Context, c *ent.Client, channelID *pulid.ID) (*ent.RoutingPolicy, error) {
	scopes := []string{defaultScope}
	if channelID != nil {
		scopes = []string{string(*channelID), defaultScope}
	}
	for _, scope := range scopes {
		pol, err := c.RoutingPolicy.Query().Where(routingpolicy.Scope(scope)).
			Order(ent.Desc(routingpolicy.FieldVersion)).First(ctx)
		if err == nil {
			return pol, nil
		}
		if !ent.IsNotFound(err) {
			return nil, fmt.Errorf("load routing policy: %w", err)
		}
	}
	return nil, nil
}

// History lists every version of a scope's policy (channelID nil: the default policy), newest first.
func (p Policies) History(ctx context.Context, channelID *pulid.ID) ([]*ent.RoutingPolicy, error) {
	return p.DB.Client.RoutingPolicy.Query().Where(routingpolicy.Scope(scopeOf(channelID))).Order(ent.Desc(routingpolicy.FieldVersion)).All(ctx)
}
