package e2e_test

// Issue 14, must show 4: the completeness report finds each planted data defect, and an order with
// a line missing dimensions is flagged, not silently packed; once the SKU is fixed the flag clears
// and its shipment is planned.

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ordotest"
)

// plantSKU creates a SKU with exactly the given data (barcode, HS code and origin are set on the
// row: the import is their writer, not createVariant).
func plantSKU(t *testing.T, srv *ordotest.Server, sku string, grams, l, w, h int, barcode, hs, origin string) *ent.Variant {
	t.Helper()
	ctx := t.Context()
	p, err := srv.Inst.DB.Client.Product.Create().SetName(sku).Save(ctx)
	require.NoError(t, err)
	v, err := srv.Inst.DB.Client.Variant.Create().SetSku(sku).SetName(sku).SetProductID(p.ID).SetWeightGrams(grams).
		SetLengthMm(l).SetWidthMm(w).SetHeightMm(h).SetBarcode(barcode).SetHsCode(hs).SetCountryOfOrigin(origin).Save(ctx)
	require.NoError(t, err)
	return v
}

type skuIssues struct {
	Variant struct{ SKU string }
	Issues  []struct{ SKU, Attribute, Kind, Message string }
}

type completeness struct {
	Items       []skuIssues
	HasNextPage bool
	EndCursor   *string
	Checked     int
	WithIssues  int
	Totals      []struct {
		Attribute             string
		Required, CrossBorder bool
		Complete              int
		Share                 float64
	}
}

const completenessQuery = `query($first: Int, $after: ID, $attribute: CatalogAttribute, $kind: DataIssueKind) {
  catalogCompleteness(first: $first, after: $after, attribute: $attribute, kind: $kind) {
    items { variant { sku } issues { sku attribute kind message } } hasNextPage endCursor checked withIssues
    totals { attribute required crossBorder complete share } } }`

func TestCompletenessFindsPlantedDefects(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		admin := srv.Admin()
		// The default rule, set by an admin: weight and dimensions always; HS code and origin
		// across borders, which the report counts too.
		var rule struct {
			SetCatalogRule struct{ Required, CrossBorderRequired []string }
		}
		admin.MustDo(t, `mutation { setCatalogRule(input: {required: [WEIGHT, DIMENSIONS], crossBorderRequired: [HS_CODE, COUNTRY_OF_ORIGIN]}) {
			required crossBorderRequired } }`, nil, &rule)
		require.Equal(t, []string{"WEIGHT", "DIMENSIONS"}, rule.SetCatalogRule.Required)

		const ean, badEAN = "4006381333931", "4006381333932"
		plantSKU(t, srv, "GOOD", 200, 300, 250, 20, ean, "6109.10", "TH")
		plantSKU(t, srv, "PART", 200, 100, 100, 20, "", "6109.10", "TH")
		plantSKU(t, srv, "NO-WEIGHT", 0, 0, 0, 0, "", "6109.10", "TH")
		plantSKU(t, srv, "ZERO-WEIGHT", 0, 300, 250, 20, "", "6109.10", "TH")
		plantSKU(t, srv, "PHONE-CASE", 80, 2000, 80, 10, "", "3926.90", "CN")
		plantSKU(t, srv, "HEAVY-BUNDLE", 1000, 300, 250, 60, "", "6109.10", "TH")
		plantSKU(t, srv, "BAD-HS", 200, 300, 250, 20, "", "61", "TH")
		plantSKU(t, srv, "BAD-EAN", 200, 300, 250, 20, badEAN, "6109.10", "TH")
		plantSKU(t, srv, "NO-HS", 200, 300, 250, 20, "", "", "TH")
		_, err := srv.Inst.Catalog.SetBundleComponents(t.Context(), "HEAVY-BUNDLE", []catalog.Component{{SKU: "PART", Quantity: 2}})
		require.NoError(t, err)

		var out struct{ CatalogCompleteness completeness }
		admin.MustDo(t, completenessQuery, map[string]any{"first": 50}, &out)
		rep := out.CatalogCompleteness
		found := map[string][]string{}
		for _, it := range rep.Items {
			for _, i := range it.Issues {
				require.Equal(t, it.Variant.SKU, i.SKU)
				require.NotEmpty(t, i.Message)
				found[i.SKU] = append(found[i.SKU], i.Attribute+" "+i.Kind)
			}
		}
		require.Equal(t, map[string][]string{
			"NO-WEIGHT":    {"WEIGHT MISSING", "DIMENSIONS MISSING"},
			"ZERO-WEIGHT":  {"WEIGHT IMPLAUSIBLE"},
			"PHONE-CASE":   {"DIMENSIONS IMPLAUSIBLE"},
			"HEAVY-BUNDLE": {"WEIGHT IMPLAUSIBLE"},
			"BAD-HS":       {"HS_CODE IMPLAUSIBLE"},
			"BAD-EAN":      {"BARCODE IMPLAUSIBLE"},
			"NO-HS":        {"HS_CODE MISSING"},
		}, found, "each planted defect, and nothing on GOOD or PART")
		require.Equal(t, 9, rep.Checked)
		require.Equal(t, 7, rep.WithIssues)
		require.False(t, rep.HasNextPage)
		totals := map[string]int{}
		for _, tot := range rep.Totals {
			totals[tot.Attribute] = tot.Complete
			require.InDelta(t, float64(tot.Complete)/9, tot.Share, 1e-9)
		}
		require.Equal(t, map[string]int{"WEIGHT": 6, "DIMENSIONS": 7, "BARCODE": 8, "HS_CODE": 7, "COUNTRY_OF_ORIGIN": 9}, totals)

		// Narrowed to one attribute and kind; paged two at a time through every SKU with issues.
		admin.MustDo(t, completenessQuery, map[string]any{"attribute": "HS_CODE", "kind": "MISSING"}, &out)
		require.Len(t, out.CatalogCompleteness.Items, 1)
		require.Equal(t, "NO-HS", out.CatalogCompleteness.Items[0].Variant.SKU)
		seen := map[string]bool{}
		var after *string
		for pages := 0; ; pages++ {
			require.Less(t, pages, 10)
			admin.MustDo(t, completenessQuery, map[string]any{"first": 2, "after": after}, &out)
			for _, it := range out.CatalogCompleteness.Items {
				require.False(t, seen[it.Variant.SKU], "listed twice: %s", it.Variant.SKU)
				seen[it.Variant.SKU] = true
			}
			if !out.CatalogCompleteness.HasNextPage {
				break
			}
			after = out.CatalogCompleteness.EndCursor
		}
		require.Len(t, seen, 7)

		// Variant.dataIssues says the same of one SKU.
		var v struct {
			VariantBySku struct {
				DataIssues []struct{ Attribute, Kind string }
			}
		}
		admin.MustDo(t, `{ variantBySku(sku: "PHONE-CASE") { dataIssues { attribute kind } } }`, nil, &v)
		require.Equal(t, []struct{ Attribute, Kind string }{{"DIMENSIONS", "IMPLAUSIBLE"}}, v.VariantBySku.DataIssues)

		// Bad input: a clear error, and the rule is unchanged.
		for _, q := range []string{`{ catalogCompleteness(first: 500) { checked } }`, `{ catalogCompleteness(after: "ord_1") { checked } }`} {
			resp, err := admin.Do(t.Context(), q, nil)
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", resp.Code(), q)
		}
		resp, err := admin.Do(t.Context(), `mutation { setCatalogRule(input: {required: [WEIGHT, WEIGHT], crossBorderRequired: []}) { required } }`, nil)
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", resp.Code())
		var now struct{ CatalogRule struct{ Required []string } }
		admin.MustDo(t, `{ catalogRule { required } }`, nil, &now)
		require.Equal(t, []string{"WEIGHT", "DIMENSIONS"}, now.CatalogRule.Required)
	})
}

type flagged struct {
	Node struct {
		Status     string
		DataIssues []struct{ SKU, Message string }
	}
}

func TestOrderMissingDimensionsIsFlaggedNotPacked(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		ctx := t.Context()
		var p struct{ CreateProduct struct{ ID string } }
		f.admin.MustDo(t, `mutation { createProduct(input: {name: "Phone case"}) { id } }`, nil, &p)
		var v struct{ CreateVariant struct{ ID string } }
		f.admin.MustDo(t, `mutation($p: ID!) { createVariant(input: {sku: "PHONE-CASE-1", name: "Phone case", productID: $p, priceAmount: 900, weightGrams: 80}) { id } }`,
			map[string]any{"p": p.CreateProduct.ID}, &v)
		f.admin.MustDo(t, receive, map[string]any{"sku": "PHONE-CASE-1", "loc": f.locs["BKK"], "q": 5}, nil)

		var placed struct {
			PlaceOrder struct{ Order routedOrderResult }
		}
		f.admin.MustDo(t, routedOrder, map[string]any{"sku": "PHONE-CASE-1", "q": 1}, &placed)
		o := placed.PlaceOrder.Order
		require.Equal(t, "ALLOCATED", o.Status, "the stock is reserved all the same: nothing is oversold")
		require.Len(t, o.Allocations, 1)

		orderQuery := `query($id: ID!) { node(id: $id) { ... on Order { status dataIssues { sku message } } } }`
		var got flagged
		f.admin.MustDo(t, orderQuery, map[string]any{"id": o.ID}, &got)
		require.Equal(t, []struct{ SKU, Message string }{{"PHONE-CASE-1", "no dimensions"}}, got.Node.DataIssues)
		flags := func() []events.OrderDataFlagged {
			rows, err := f.srv.Inst.DB.Client.Event.Query().Where(event.OrderID(o.ID), event.Type(events.KindOrderDataFlagged)).
				Order(ent.Asc(event.FieldID)).All(ctx)
			require.NoError(t, err)
			var out []events.OrderDataFlagged
			for _, r := range rows {
				p, err := events.Decode[events.OrderDataFlagged](r)
				require.NoError(t, err)
				out = append(out, p)
			}
			return out
		}
		require.Equal(t, []events.OrderDataFlagged{{Issues: []string{"PHONE-CASE-1: no dimensions"}}}, flags())

		// The board's exceptions list it.
		var board struct {
			OrderBoard struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		for _, filter := range []string{`{dataIssues: true}`, `{exceptions: true}`} {
			f.admin.MustDo(t, `{ orderBoard(first: 10, filter: `+filter+`) { edges { node { id } } } }`, nil, &board)
			require.Len(t, board.OrderBoard.Edges, 1, filter)
			require.Equal(t, o.ID, board.OrderBoard.Edges[0].Node.ID)
		}

		// Planning is held: no shipment packed in a guessed box; asking again writes no second event.
		shipments := func() int {
			n, err := f.srv.Inst.DB.Client.Shipment.Query().Where(shipment.OrderID(pulid.ID(o.ID))).Count(ctx)
			require.NoError(t, err)
			return n
		}
		for range 2 {
			resp, err := f.admin.Do(ctx, `mutation($id: ID!) { planShipments(input: {orderID: $id}) { shipments { id } } }`, map[string]any{"id": o.ID})
			require.NoError(t, err)
			require.Equal(t, "CONFLICT", resp.Code())
			details := resp.Errors[0].Extensions["details"].(map[string]any)
			require.Equal(t, "DATA_ISSUES", details["reason"])
			require.Equal(t, []any{"PHONE-CASE-1: no dimensions"}, details["dataIssues"])
			require.Zero(t, shipments())
		}
		require.Len(t, flags(), 1, "the flags did not change")

		// The data is fixed: the flag clears in the same change, and planning proceeds.
		f.admin.MustDo(t, `mutation($id: ID!) { updateVariant(id: $id, input: {lengthMm: 160, widthMm: 80, heightMm: 12}) { id } }`,
			map[string]any{"id": v.CreateVariant.ID}, nil)
		f.admin.MustDo(t, orderQuery, map[string]any{"id": o.ID}, &got)
		require.Empty(t, got.Node.DataIssues)
		require.Equal(t, []events.OrderDataFlagged{{Issues: []string{"PHONE-CASE-1: no dimensions"}}, {Cleared: true}}, flags())
		f.admin.MustDo(t, `{ orderBoard(first: 10, filter: {dataIssues: true}) { edges { node { id } } } }`, nil, &board)
		require.Empty(t, board.OrderBoard.Edges)
		planned := f.plan(t, o.ID)
		require.Len(t, planned, 1)
		require.Len(t, planned[0].Packages, 1)
		require.NotEmpty(t, planned[0].Packages[0].Box)
		f.srv.Audit(t)

		// Across a border the rule's cross-border attributes are needed too: stock only in
		// Jakarta, an order to Bangkok, a SKU without HS code or origin.
		f.stock(t, "INTL", map[string]int{"JKT": 2})
		f.admin.MustDo(t, routedOrder, map[string]any{"sku": "INTL", "q": 1}, &placed)
		f.admin.MustDo(t, orderQuery, map[string]any{"id": placed.PlaceOrder.Order.ID}, &got)
		require.Equal(t, []struct{ SKU, Message string }{{"INTL", "no HS code"}, {"INTL", "no country of origin"}}, got.Node.DataIssues)
		// Customs data matters to the label, not the boxes: packing proceeds, the flags stay.
		require.Len(t, f.plan(t, placed.PlaceOrder.Order.ID), 1)
		f.admin.MustDo(t, orderQuery, map[string]any{"id": placed.PlaceOrder.Order.ID}, &got)
		require.Len(t, got.Node.DataIssues, 2)
		f.srv.Audit(t)
	})
}
