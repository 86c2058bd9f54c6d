package catalog

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/catalogrule"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/quality"
)

// ruleID is the id of the one stored catalogue rule.
const ruleID = "default"

// The bounds of a completeness report.
const (
	// MaxCompletenessPage is the most SKUs one page of the report lists; DefaultCompletenessPage
	// the page when none is asked for.
	MaxCompletenessPage     = 200
	DefaultCompletenessPage = 50
	// completenessBatch is how many variants (with their bundle components) one query reads.
	completenessBatch = 500
)

// RuleInForce is the catalogue rule in force and when it was set (nil: the default, never set).
type RuleInForce struct {
	quality.Rule
	UpdatedAt *time.Time
}

// CatalogRule is the rule in force, as the API shows it.
func (s *Service) CatalogRule(ctx context.Context) (*RuleInForce, error) {
	r, at, err := Rule(ctx, s.DB.Client)
	if err != nil {
		return nil, err
	}
	out := &RuleInForce{Rule: r}
	if !at.IsZero() {
		out.UpdatedAt = &at
	}
	return out, nil
}

// Rule is the catalogue rule in force (quality.DefaultRule while none is stored) and when it was
// last set (zero for the default).
func Rule(ctx context.Context, c *ent.Client) (quality.Rule, time.Time, error) {
	r, err := c.CatalogRule.Query().Where(catalogrule.ID(ruleID)).Only(ctx)
	if ent.IsNotFound(err) {
		return quality.DefaultRule(), time.Time{}, nil
	}
	if err != nil {
		return quality.Rule{}, time.Time{}, fmt.Errorf("load catalogue rule: %w", err)
	}
	return quality.Rule{Required: attributes(r.Required), CrossBorderRequired: attributes(r.CrossBorderRequired)}, r.UpdatedAt, nil
}

func attributes(ss []string) []quality.Attribute {
	out := make([]quality.Attribute, 0, len(ss))
	for _, s := range ss {
		out = append(out, quality.Attribute(s))
	}
	return out
}

func names(as []quality.Attribute) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, string(a))
	}
	return out
}

// SetCatalogRule stores which attributes fulfilment requires. Orders already flagged are checked
// again when a SKU of theirs changes, not when the rule does.
func (s *Service) SetCatalogRule(ctx context.Context, r quality.Rule) (*RuleInForce, error) {
	if err := r.Validate(); err != nil {
		return nil, fault.New(fault.InvalidArgument, "%v", err)
	}
	err := s.DB.Client.CatalogRule.Create().SetID(ruleID).SetRequired(names(r.Required)).
		SetCrossBorderRequired(names(r.CrossBorderRequired)).SetUpdatedAt(time.Now().UTC()).
		OnConflictColumns(catalogrule.FieldID).UpdateNewValues().Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("save catalogue rule: %w", err)
	}
	return s.CatalogRule(ctx)
}

// Facts are a variant's product data as package quality checks it.
func Facts(v *ent.Variant) quality.Facts {
	return quality.Facts{SKU: v.Sku, WeightGrams: v.WeightGrams, LengthMM: v.LengthMm, WidthMM: v.WidthMm, HeightMM: v.HeightMm,
		Barcode: v.Barcode, HSCode: v.HsCode, CountryOfOrigin: v.CountryOfOrigin}
}

// Parts are a bundle's components (loaded with their variants) as package quality checks them.
func Parts(comps []*ent.BundleComponent) []quality.Part {
	out := make([]quality.Part, 0, len(comps))
	for _, bc := range comps {
		out = append(out, quality.Part{Facts: Facts(bc.Edges.Component), Quantity: bc.Quantity})
	}
	return out
}

// Components are the bundle components of the given variants, with their component variants, by
// bundle id: one query.
func Components(ctx context.Context, c *ent.Client, ids []pulid.ID) (map[pulid.ID][]*ent.BundleComponent, error) {
	out := map[pulid.ID][]*ent.BundleComponent{}
	if len(ids) == 0 {
		return out, nil
	}
	comps, err := c.BundleComponent.Query().Where(bundlecomponent.BundleIDIn(ids...)).WithComponent().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load bundle components: %w", err)
	}
	for _, bc := range comps {
		out[bc.BundleID] = append(out[bc.BundleID], bc)
	}
	return out, nil
}

// VariantIssues is what is wrong with each variant's data under the rule, as shipped across
// borders (the report's view: everything a SKU may need). One query for their bundle components.
func VariantIssues(ctx context.Context, c *ent.Client, vs []*ent.Variant) (map[pulid.ID][]quality.Issue, error) {
	r, _, err := Rule(ctx, c)
	if err != nil {
		return nil, err
	}
	ids := make([]pulid.ID, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	comps, err := Components(ctx, c, ids)
	if err != nil {
		return nil, err
	}
	need := r.Needs(true)
	out := make(map[pulid.ID][]quality.Issue, len(vs))
	for _, v := range vs {
		out[v.ID] = quality.Check(need, Facts(v), Parts(comps[v.ID]))
	}
	return out, nil
}

// CompletenessQuery asks for a page of the completeness report: SKUs with issues after the
// variant id After, at most First (0: DefaultCompletenessPage), narrowed to one attribute and one kind when set.
type CompletenessQuery struct {
	First     int
	After     *pulid.ID
	Attribute *quality.Attribute
	Kind      *quality.Kind
}

// SKUIssues is one SKU of the report and what is wrong with it.
type SKUIssues struct {
	Variant *ent.Variant
	Issues  []quality.Issue
}

// AttributeTotal is how much of the catalogue has an attribute right.
type AttributeTotal struct {
	Attribute quality.Attribute
	// Required and CrossBorder say whether the rule requires it of every SKU, or across borders.
	Required, CrossBorder bool
	// Complete counts the SKUs with no issue on the attribute.
	Complete int
	// Share is Complete over the SKUs checked (1 for an empty catalogue).
	Share float64
}

// Completeness is a page of the report and the catalogue's totals.
type Completeness struct {
	Items       []SKUIssues
	HasNextPage bool
	// EndCursor is the last listed SKU's variant id: the next page's After.
	EndCursor *pulid.ID
	// Checked counts the SKUs of the catalogue; WithIssues those with at least one issue.
	Checked, WithIssues int
	Totals              []AttributeTotal
}

// Completeness reports each SKU's missing or implausible data under the catalogue rule (as shipped
// across borders) and, per attribute, the share of SKUs that have it right. It walks the whole
// catalogue in batches of 500 variants in id order, two queries a batch (the variants, their bundle
// components), never one per SKU; the page holds the first matching SKUs after q.After.
func (s *Service) Completeness(ctx context.Context, q CompletenessQuery) (*Completeness, error) {
	if q.First == 0 {
		q.First = DefaultCompletenessPage
	}
	if q.First < 0 || q.First > MaxCompletenessPage {
		return nil, fault.New(fault.InvalidArgument, "first: between 1 and %d", MaxCompletenessPage)
	}
	if q.After != nil {
		if err := q.After.Validate("sku"); err != nil {
			return nil, fault.New(fault.InvalidArgument, "after: %v", err)
		}
	}
	if q.Attribute != nil && !slices.Contains(quality.Attributes, *q.Attribute) {
		return nil, fault.New(fault.InvalidArgument, "attribute: %q is not an attribute", *q.Attribute)
	}
	if q.Kind != nil && *q.Kind != quality.Missing && *q.Kind != quality.Implausible {
		return nil, fault.New(fault.InvalidArgument, "kind: %q is not MISSING or IMPLAUSIBLE", *q.Kind)
	}
	c := s.DB.Client
	r, _, err := Rule(ctx, c)
	if err != nil {
		return nil, err
	}
	need := r.Needs(true)
	out := &Completeness{}
	complete := map[quality.Attribute]int{}
	var last pulid.ID
	for {
		vq := c.Variant.Query().Order(variant.ByID()).Limit(completenessBatch)
		if last != "" {
			vq.Where(variant.IDGT(last))
		}
		vs, err := vq.All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load variants: %w", err)
		}
		if len(vs) == 0 {
			break
		}
		last = vs[len(vs)-1].ID
		ids := make([]pulid.ID, len(vs))
		for i, v := range vs {
			ids[i] = v.ID
		}
		comps, err := Components(ctx, c, ids)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			issues := quality.Check(need, Facts(v), Parts(comps[v.ID]))
			out.Checked++
			wrong := map[quality.Attribute]bool{}
			for _, i := range issues {
				wrong[i.Attribute] = true
			}
			for _, a := range quality.Attributes {
				if !wrong[a] {
					complete[a]++
				}
			}
			if len(issues) == 0 {
				continue
			}
			out.WithIssues++
			matching := slices.ContainsFunc(issues, func(i quality.Issue) bool {
				return (q.Attribute == nil || i.Attribute == *q.Attribute) && (q.Kind == nil || i.Kind == *q.Kind)
			})
			if !matching || (q.After != nil && v.ID <= *q.After) {
				continue
			}
			if len(out.Items) == q.First {
				out.HasNextPage = true
				continue
			}
			out.Items = append(out.Items, SKUIssues{Variant: v, Issues: issues})
		}
		if len(vs) < completenessBatch {
			break
		}
	}
	if n := len(out.Items); n > 0 {
		out.EndCursor = &out.Items[n-1].Variant.ID
	}
	for _, a := range quality.Attributes {
		t := AttributeTotal{Attribute: a, Required: slices.Contains(r.Required, a), CrossBorder: slices.Contains(r.CrossBorderRequired, a),
			Complete: complete[a], Share: 1}
		if out.Checked > 0 {
			t.Share = float64(t.Complete) / float64(out.Checked)
		}
		out.Totals = append(out.Totals, t)
	}
	return out, nil
}
