package catalog

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/bundlecomponent"
	"github.com/ordo-oms/ordo/ent/product"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/events"
)

// lookupChunk is how many keys one IN query of an import carries: the store is read in bulk, never
// one query per row.
const lookupChunk = 500

// Outcomes an import counts rows by.
const (
	Created   = "created"
	Updated   = "updated"
	Unchanged = "unchanged"
)

// stored is what the store holds of the SKUs a file names.
type stored struct {
	variants   map[string]*ent.Variant     // by SKU, with product and components (with their variants)
	products   map[string][]*ent.Product   // by name
	usedBy     map[pulid.ID][]*ent.Variant // component variant id → the stored bundles that contain it
	components map[string]map[string]bool  // bundle SKU → its stored component SKUs
}

// loadStored reads, in chunks, the variants of skus (with their products and components), the
// products named names, and (with bundles) the stored bundles that contain any of those variants.
func loadStored(ctx context.Context, c *ent.Client, skus, names []string, bundles bool) (stored, error) {
	s := stored{variants: map[string]*ent.Variant{}, products: map[string][]*ent.Product{}, usedBy: map[pulid.ID][]*ent.Variant{},
		components: map[string]map[string]bool{}}
	var ids []pulid.ID
	skuOf := map[pulid.ID]string{}
	for chunk := range slices.Chunk(skus, lookupChunk) {
		vs, err := c.Variant.Query().Where(variant.SkuIn(chunk...)).WithProduct().
			WithComponents(func(q *ent.BundleComponentQuery) { q.WithComponent() }).All(ctx)
		if err != nil {
			return stored{}, fmt.Errorf("look up SKUs: %w", err)
		}
		for _, v := range vs {
			s.variants[v.Sku], skuOf[v.ID] = v, v.Sku
			ids = append(ids, v.ID)
			for _, bc := range v.Edges.Components {
				if s.components[v.Sku] == nil {
					s.components[v.Sku] = map[string]bool{}
				}
				s.components[v.Sku][bc.Edges.Component.Sku] = true
			}
		}
	}
	for chunk := range slices.Chunk(names, lookupChunk) {
		ps, err := c.Product.Query().Where(product.NameIn(chunk...)).Order(product.ByID()).All(ctx)
		if err != nil {
			return stored{}, fmt.Errorf("look up products: %w", err)
		}
		for _, p := range ps {
			s.products[p.Name] = append(s.products[p.Name], p)
		}
	}
	if !bundles {
		return s, nil
	}
	for chunk := range slices.Chunk(ids, lookupChunk) {
		bcs, err := c.BundleComponent.Query().Where(bundlecomponent.ComponentIDIn(chunk...)).WithBundle().All(ctx)
		if err != nil {
			return stored{}, fmt.Errorf("look up bundles: %w", err)
		}
		for _, bc := range bcs {
			b := bc.Edges.Bundle
			s.usedBy[bc.ComponentID] = append(s.usedBy[bc.ComponentID], b)
			// A bundle outside the file is known by the components the file names.
			if s.components[b.Sku] == nil {
				s.components[b.Sku] = map[string]bool{}
			}
			s.components[b.Sku][skuOf[bc.ComponentID]] = true
		}
	}
	return s, nil
}

// keys of a file: its SKUs, its components' SKUs, and the product names it gives (or a new SKU's).
func fileKeys(rows []ProductRow) (skus, names []string) {
	for _, r := range rows {
		skus = append(skus, r.SKU)
		for _, c := range r.Components {
			skus = append(skus, c.SKU)
		}
		if r.Product != "" {
			names = append(names, r.Product)
		} else if r.Name != "" {
			names = append(names, r.Name)
		}
	}
	return slices.Compact(slices.Sorted(slices.Values(skus))), slices.Compact(slices.Sorted(slices.Values(names)))
}

// productName is the product a row puts its SKU in: the one it names, the one the SKU is in, or
// (a new SKU) one of its own named like it.
func productName(r ProductRow, v *ent.Variant) string {
	switch {
	case r.Product != "":
		return r.Product
	case v != nil && v.Edges.Product != nil:
		return v.Edges.Product.Name
	}
	return r.Name
}

// CheckProducts checks a parsed file's rows against the store, reading it in bulk: a new SKU's name,
// the price in its currency, one currency and one brand per product, product names that are not
// ambiguous, components that exist (in the file or the store) and are not bundles (no nesting, so no
// cycles). It returns the good rows in the order they are to be applied (plain SKUs first, then
// bundles, whose components then exist) and the refused ones' errors.
func CheckProducts(ctx context.Context, c *ent.Client, f ProductFile) ([]ProductRow, []RowError, error) {
	skus, names := fileKeys(f.Rows)
	st, err := loadStored(ctx, c, skus, names, true)
	if err != nil {
		return nil, nil, err
	}
	bad := map[int][]RowError{}
	fail := func(r ProductRow, col, format string, args ...any) {
		bad[r.Row] = append(bad[r.Row], RowError{Row: r.Row, Field: col, Message: fmt.Sprintf(format, args...)})
	}
	type seen struct {
		row   int
		value string
	}
	currencyOf, brandOf := map[string]seen{}, map[string]seen{}
	for _, r := range f.Rows {
		v := st.variants[r.SKU]
		if v == nil && r.Name == "" {
			fail(r, ColName, "required for a new SKU")
		}
		p := productName(r, v)
		if n := len(st.products[p]); n > 1 && (r.Product != "" || v == nil) {
			fail(r, ColProduct, "%d products are named %q; rename one first", n, p)
		}
		cur := r.Currency
		if cur == "" && v != nil {
			cur = v.Currency
		}
		if cur == "" {
			cur = defaultCurrency
		}
		if r.Price != "" {
			if _, err := PriceMinor(r.Price, cur); err != nil {
				fail(r, ColPrice, "%v", err)
			}
		} else if v != nil && cur != v.Currency {
			fail(r, ColPrice, "needed when the currency changes (%s → %s)", v.Currency, cur)
		}
		if prev, ok := currencyOf[p]; ok && prev.value != cur {
			fail(r, ColCurrency, "%s, but row %d prices product %q in %s", cur, prev.row, p, prev.value)
		} else if !ok {
			currencyOf[p] = seen{r.Row, cur}
		}
		if r.Brand != "" {
			if prev, ok := brandOf[p]; ok && prev.value != r.Brand {
				fail(r, ColBrand, "%q, but row %d gives product %q the brand %q", r.Brand, prev.row, p, prev.value)
			} else if !ok {
				brandOf[p] = seen{r.Row, r.Brand}
			}
		}
	}
	// Components, against the rows that passed and the store.
	inFile := map[string]ProductRow{}
	for _, r := range f.Rows {
		if bad[r.Row] == nil {
			inFile[r.SKU] = r
		}
	}
	// componentsOf is a SKU's components once the file is applied.
	componentsOf := func(sku string) map[string]bool {
		if r, ok := inFile[sku]; ok && r.SetComponents {
			out := map[string]bool{}
			for _, c := range r.Components {
				out[c.SKU] = true
			}
			return out
		}
		return st.components[sku]
	}
	for _, r := range f.Rows {
		if bad[r.Row] != nil || !r.Bundle() {
			continue
		}
		for _, comp := range r.Components {
			_, known := inFile[comp.SKU]
			if !known && st.variants[comp.SKU] == nil {
				fail(r, ColComponents, "unknown component %s: not in the catalogue nor (without errors) in this file", comp.SKU)
				continue
			}
			if sub := componentsOf(comp.SKU); len(sub) > 0 {
				if sub[r.SKU] {
					fail(r, ColComponents, "cycle: %s contains %s, which contains %s", r.SKU, comp.SKU, r.SKU)
				} else {
					fail(r, ColComponents, "%s is itself a bundle; a bundle's components are plain SKUs", comp.SKU)
				}
			}
		}
		if v := st.variants[r.SKU]; v != nil {
			for _, b := range st.usedBy[v.ID] {
				if componentsOf(b.Sku)[r.SKU] {
					fail(r, ColComponents, "%s is a component of bundle %s, so it cannot be a bundle", r.SKU, b.Sku)
					break
				}
			}
		}
	}
	var good, bundles []ProductRow
	var errs []RowError
	for _, r := range f.Rows {
		switch {
		case bad[r.Row] != nil:
			errs = append(errs, bad[r.Row]...)
		case r.Bundle():
			bundles = append(bundles, r)
		default:
			good = append(good, r)
		}
	}
	return append(good, bundles...), errs, nil
}

const defaultCurrency = "USD"

// ProductBatch is a run of checked rows to apply in one transaction.
type ProductBatch struct {
	Rows []ProductRow
	// JobID and Actor are written on the batch's event.
	JobID, Actor string
}

// ApplyProducts creates or updates the batch's products, variants and bundle components in tx,
// setting only what differs, and counts its rows as created, updated or unchanged. A row applied
// again changes nothing and writes nothing; a batch that changes something writes one
// catalog.variants_imported event (not one per SKU: the event log stays small). The components of
// the batch's bundles must exist already: CheckProducts orders plain SKUs first.
func ApplyProducts(ctx context.Context, tx *ent.Tx, b ProductBatch) (map[string]int, error) {
	counts := map[string]int{Created: 0, Updated: 0, Unchanged: 0}
	if len(b.Rows) == 0 {
		return counts, nil
	}
	c := tx.Client()
	skus, names := fileKeys(b.Rows)
	st, err := loadStored(ctx, c, skus, names, false)
	if err != nil {
		return nil, err
	}
	// Products: create the new names, set brands that differ.
	products := map[string]*ent.Product{}
	for name, ps := range st.products {
		products[name] = ps[0]
	}
	var newProducts []*ent.ProductCreate
	var newNames []string
	isNew := map[string]bool{}
	brands := map[string]string{} // product name → the brand the batch gives it
	clears := map[string]bool{}   // product name → the batch clears its brand
	for _, r := range b.Rows {
		v := st.variants[r.SKU]
		name := productName(r, v)
		if r.Brand != "" {
			brands[name] = r.Brand
		} else if r.Clear[ColBrand] {
			clears[name] = true
		}
		if products[name] != nil || isNew[name] {
			continue
		}
		if v != nil && v.Edges.Product != nil && v.Edges.Product.Name == name {
			products[name] = v.Edges.Product
			continue
		}
		newNames, isNew[name] = append(newNames, name), true
		newProducts = append(newProducts, c.Product.Create().SetName(name))
	}
	for i, pc := range newProducts {
		if br := brands[newNames[i]]; br != "" {
			pc.SetBrand(br)
		}
	}
	created, err := c.Product.CreateBulk(newProducts...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create products: %w", err)
	}
	newProduct := map[string]bool{}
	for _, p := range created {
		products[p.Name], newProduct[p.Name] = p, true
	}
	brandChanged := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(products)) {
		p := products[name]
		if newProduct[name] {
			continue
		}
		switch br := brands[name]; {
		case br != "" && p.Brand != br:
			if err := c.Product.UpdateOne(p).SetBrand(br).Exec(ctx); err != nil {
				return nil, fmt.Errorf("set brand of %q: %w", name, err)
			}
			brandChanged[name] = true
		case br == "" && clears[name] && p.Brand != "":
			if err := c.Product.UpdateOne(p).ClearBrand().Exec(ctx); err != nil {
				return nil, fmt.Errorf("clear brand of %q: %w", name, err)
			}
			brandChanged[name] = true
		}
	}
	// Variants: create the new SKUs in bulk, update the others where they differ.
	var creates []*ent.VariantCreate
	changed := map[string]string{} // SKU → created or updated
	for _, r := range b.Rows {
		v := st.variants[r.SKU]
		p := products[productName(r, v)]
		if v == nil {
			creates = append(creates, newVariant(c, r, p.ID))
			changed[r.SKU] = Created
			continue
		}
		upd, diff, err := variantDiff(c, r, v, p.ID)
		if err != nil {
			return nil, err
		}
		if diff {
			if err := upd.Exec(ctx); err != nil {
				return nil, fmt.Errorf("update %s: %w", r.SKU, err)
			}
			changed[r.SKU] = Updated
		} else if brandChanged[productName(r, v)] && (r.Brand != "" || r.Clear[ColBrand]) {
			changed[r.SKU] = Updated
		}
	}
	vs, err := c.Variant.CreateBulk(creates...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create variants: %w", err)
	}
	ids := map[string]pulid.ID{}
	for _, v := range st.variants {
		ids[v.Sku] = v.ID
	}
	for _, v := range vs {
		ids[v.Sku] = v.ID
	}
	if err := applyComponents(ctx, c, b.Rows, st, ids, changed); err != nil {
		return nil, err
	}
	var skuList []string
	for _, r := range b.Rows {
		switch changed[r.SKU] {
		case Created:
			counts[Created]++
			skuList = append(skuList, r.SKU)
		case Updated:
			counts[Updated]++
			skuList = append(skuList, r.SKU)
		default:
			counts[Unchanged]++
		}
	}
	if len(skuList) == 0 {
		return counts, nil
	}
	return counts, events.Append(ctx, tx, events.Event{Actor: b.Actor, Payload: events.VariantsImported{
		JobID: b.JobID, Created: counts[Created], Updated: counts[Updated], SKUs: skuList,
	}})
}

// applyComponents sets the components of the rows that say them, where they differ from the store.
func applyComponents(ctx context.Context, c *ent.Client, rows []ProductRow, st stored, ids map[string]pulid.ID, changed map[string]string) error {
	var creates []*ent.BundleComponentCreate
	var clearIDs []pulid.ID
	for _, r := range rows {
		if !r.SetComponents {
			continue
		}
		want := map[string]int{}
		for _, comp := range r.Components {
			want[comp.SKU] = comp.Quantity
		}
		have := map[string]int{}
		if v := st.variants[r.SKU]; v != nil {
			for _, bc := range v.Edges.Components {
				have[bc.Edges.Component.Sku] = bc.Quantity
			}
		}
		if maps.Equal(want, have) {
			continue
		}
		id := ids[r.SKU]
		if len(have) > 0 {
			clearIDs = append(clearIDs, id)
		}
		for _, comp := range r.Components {
			cid, ok := ids[comp.SKU]
			if !ok {
				return fmt.Errorf("bundle %s: component %s is not in the catalogue yet", r.SKU, comp.SKU)
			}
			creates = append(creates, c.BundleComponent.Create().SetBundleID(id).SetComponentID(cid).SetQuantity(comp.Quantity))
		}
		if changed[r.SKU] == "" {
			changed[r.SKU] = Updated
		}
	}
	if len(clearIDs) > 0 {
		if _, err := c.BundleComponent.Delete().Where(bundlecomponent.BundleIDIn(clearIDs...)).Exec(ctx); err != nil {
			return fmt.Errorf("replace bundle components: %w", err)
		}
	}
	for chunk := range slices.Chunk(creates, lookupChunk) {
		if err := c.BundleComponent.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("write bundle components: %w", err)
		}
	}
	return nil
}

// newVariant is the create of a row's new SKU.
func newVariant(c *ent.Client, r ProductRow, productID pulid.ID) *ent.VariantCreate {
	vc := c.Variant.Create().SetSku(r.SKU).SetName(r.Name).SetProductID(productID)
	cur := r.Currency
	if cur == "" {
		cur = defaultCurrency
	}
	vc.SetCurrency(cur)
	if r.Price != "" {
		p, _ := PriceMinor(r.Price, cur) // checked
		vc.SetPriceAmount(p)
	}
	vc.SetNillableWeightGrams(r.Weight).SetNillableLengthMm(r.Length).SetNillableWidthMm(r.Width).SetNillableHeightMm(r.Height)
	vc.SetNillableReturnable(r.Returnable)
	if r.Barcode != "" {
		vc.SetBarcode(r.Barcode)
	}
	if r.HSCode != "" {
		vc.SetHsCode(r.HSCode)
	}
	if r.Origin != "" {
		vc.SetCountryOfOrigin(r.Origin)
	}
	if len(r.Options) > 0 {
		vc.SetOptions(r.Options)
	}
	return vc
}

// variantDiff is the update that brings a stored variant to a row, and whether it changes anything.
func variantDiff(c *ent.Client, r ProductRow, v *ent.Variant, productID pulid.ID) (*ent.VariantUpdateOne, bool, error) {
	u := c.Variant.UpdateOne(v)
	diff := false
	set := func(differs bool, apply func()) {
		if differs {
			apply()
			diff = true
		}
	}
	set(r.Name != "" && r.Name != v.Name, func() { u.SetName(r.Name) })
	set(productID != v.ProductID, func() { u.SetProductID(productID) })
	cur := v.Currency
	if r.Currency != "" {
		cur = r.Currency
	}
	set(cur != v.Currency, func() { u.SetCurrency(cur) })
	if r.Price != "" {
		p, err := PriceMinor(r.Price, cur)
		if err != nil {
			return nil, false, fmt.Errorf("row %d: price: %w", r.Row, err)
		}
		set(p != v.PriceAmount, func() { u.SetPriceAmount(p) })
	}
	setInt := func(n *int, old int, apply func(int) *ent.VariantUpdateOne) {
		set(n != nil && *n != old, func() { apply(*n) })
	}
	setInt(r.Weight, v.WeightGrams, u.SetWeightGrams)
	setInt(r.Length, v.LengthMm, u.SetLengthMm)
	setInt(r.Width, v.WidthMm, u.SetWidthMm)
	setInt(r.Height, v.HeightMm, u.SetHeightMm)
	set(r.Returnable != nil && *r.Returnable != v.Returnable, func() { u.SetReturnable(*r.Returnable) })
	setText := func(col, val, old string, apply func(string) *ent.VariantUpdateOne, clearIt func() *ent.VariantUpdateOne) {
		set(val != "" && val != old, func() { apply(val) })
		set(r.Clear[col] && old != "", func() { clearIt() })
	}
	setText(ColBarcode, r.Barcode, v.Barcode, u.SetBarcode, u.ClearBarcode)
	setText(ColHSCode, r.HSCode, v.HsCode, u.SetHsCode, u.ClearHsCode)
	setText(ColOrigin, r.Origin, v.CountryOfOrigin, u.SetCountryOfOrigin, u.ClearCountryOfOrigin)
	set(len(r.Options) > 0 && !maps.Equal(r.Options, v.Options), func() { u.SetOptions(r.Options) })
	set(r.Clear[ColOptions] && len(v.Options) > 0, func() { u.ClearOptions() })
	return u, diff, nil
}
