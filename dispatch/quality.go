package dispatch

import (
	"context"
	"fmt"
	"slices"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/allocation"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/orderline"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/quality"
)

// recheckBatch is how many flagged orders one query of RecheckVariants reads.
const recheckBatch = 100

// settled are the order states in which product data no longer matters to fulfilment.
var settled = []order.Status{order.StatusSHIPPED, order.StatusDELIVERED, order.StatusCOMPLETED, order.StatusCANCELLED,
	order.StatusRETURN_REQUESTED, order.StatusRETURNED, order.StatusREFUNDED}

// FlagData checks, in tx, the product data of o's stock lines (a bundle's components included)
// against the catalogue rule and stores what they lack as o's data issues, writing
// order.data_flagged when they change (an empty list: the flags cleared). The order ships across
// a border when one of its open allocations is at a location in another country than its
// destination; then the rule's cross-border attributes are required too. Only needed attributes
// flag an order: a wrong barcode nobody requires does not stop packing. It returns the issues
// flagged, one per flag. Four queries, whatever the order's size.
func FlagData(ctx context.Context, tx *ent.Tx, o *ent.Order) ([]quality.Issue, error) {
	c := tx.Client()
	rule, _, err := catalog.Rule(ctx, c)
	if err != nil {
		return nil, err
	}
	ls, err := c.OrderLine.Query().Where(orderline.OrderID(o.ID), orderline.KindEQ(orderline.KindSTOCK), orderline.VariantIDNotNil()).
		WithVariant().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load lines: %w", err)
	}
	ids := make([]pulid.ID, 0, len(ls))
	for _, l := range ls {
		if wanted(l) > 0 && l.Edges.Variant != nil {
			ids = append(ids, l.Edges.Variant.ID)
		}
	}
	comps, err := catalog.Components(ctx, c, ids)
	if err != nil {
		return nil, err
	}
	allocs, err := c.Allocation.Query().Where(allocation.OrderID(o.ID), allocation.StatusEQ(allocation.StatusOPEN)).
		WithLocation().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load allocations: %w", err)
	}
	dest := o.ShippingAddress.CountryCode
	crossBorder := false
	for _, a := range allocs {
		if from := a.Edges.Location.Address.CountryCode; dest != "" && from != "" && from != dest {
			crossBorder = true
		}
	}
	need := rule.Needs(crossBorder)
	var flags []string
	var flagged []quality.Issue
	add := func(issues []quality.Issue) {
		for _, i := range issues {
			if slices.Contains(need, i.Attribute) && !slices.Contains(flags, i.Flag()) {
				flags = append(flags, i.Flag())
				flagged = append(flagged, i)
			}
		}
	}
	for _, l := range ls {
		v := l.Edges.Variant
		if wanted(l) <= 0 || v == nil {
			continue
		}
		add(quality.Check(need, catalog.Facts(v), catalog.Parts(comps[v.ID])))
		for _, bc := range comps[v.ID] {
			add(quality.Check(need, catalog.Facts(bc.Edges.Component), nil))
		}
	}
	slices.Sort(flags)
	return flagged, setFlags(ctx, tx, o, flags)
}

// setFlags stores o's flags and writes their event when they changed.
func setFlags(ctx context.Context, tx *ent.Tx, o *ent.Order, flags []string) error {
	before := slices.Clone(o.DataIssues)
	slices.Sort(before)
	if slices.Equal(before, flags) {
		return nil
	}
	upd := tx.Order.UpdateOneID(o.ID)
	if len(flags) == 0 {
		upd.ClearDataIssues()
	} else {
		upd.SetDataIssues(flags)
	}
	if err := upd.Exec(ctx); err != nil {
		return fmt.Errorf("flag order: %w", err)
	}
	o.DataIssues = flags
	e := events.Event{OrderID: string(o.ID), Actor: auth.Actor(ctx),
		Payload: events.OrderDataFlagged{Issues: flags, Cleared: len(flags) == 0}}
	if o.CustomerID != nil {
		e.CustomerID = string(*o.CustomerID)
	}
	if o.ChannelID != nil {
		e.ChannelID = string(*o.ChannelID)
	}
	return events.Append(ctx, tx, e)
}

// DataChecker checks flagged orders again when product data changes. It implements
// catalog.DataChecker.
type DataChecker struct{}

// RecheckVariants checks again, in tx, the open flagged orders with a line of one of the variants,
// or of a bundle made of them: their flags shrink or clear as the data is fixed, and a cleared
// order's shipments may be planned. It reads the flagged orders in batches of 100; it touches no
// order that is not flagged.
func (DataChecker) RecheckVariants(ctx context.Context, tx *ent.Tx, ids []pulid.ID) error {
	if len(ids) == 0 {
		return nil
	}
	bundles, err := tx.BundleComponent.Query().Where(bundlecomponent.ComponentIDIn(ids...)).
		Select(bundlecomponent.FieldBundleID).Strings(ctx)
	if err != nil {
		return fmt.Errorf("load bundles: %w", err)
	}
	all := slices.Clone(ids)
	for _, b := range bundles {
		all = append(all, pulid.ID(b))
	}
	var last pulid.ID
	for {
		q := tx.Order.Query().Where(order.DataIssuesNotNil(), order.StatusNotIn(settled...),
			order.HasLinesWith(orderline.VariantIDIn(all...))).Order(order.ByID()).Limit(recheckBatch)
		if last != "" {
			q.Where(order.IDGT(last))
		}
		os, err := q.All(ctx)
		if err != nil {
			return fmt.Errorf("load flagged orders: %w", err)
		}
		for _, o := range os {
			if _, err := FlagData(ctx, tx, o); err != nil {
				return err
			}
		}
		if len(os) < recheckBatch {
			return nil
		}
		last = os[len(os)-1].ID
	}
}
