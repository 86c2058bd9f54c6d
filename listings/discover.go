package listings

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"entgo.io/ent/dialect/sql"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/listingcandidate"
	"github.com/ordo-oms/ordo/ent/product"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
)

// indexCache keeps the variants' index between discoveries while the catalogue stays the same
// (the same number of variants, products and bundle parts, and no later update).
type indexCache struct {
	mu  sync.Mutex
	key string
	ix  *Index
}

// index returns the catalogue's index, read again only when the catalogue changed.
func (c *indexCache) index(ctx context.Context, db *ent.Client) (*Index, error) {
	key, err := catalogueVersion(ctx, db)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ix != nil && c.key == key {
		return c.ix, nil
	}
	ix, err := LoadIndex(ctx, db)
	if err != nil {
		return nil, err
	}
	c.key, c.ix = key, ix
	return ix, nil
}

// catalogueVersion says, in a few small queries, whether the catalogue changed: how many variants,
// products and bundle parts there are, and the latest update of a variant and of a product.
func catalogueVersion(ctx context.Context, db *ent.Client) (string, error) {
	var key strings.Builder
	for _, count := range []func(context.Context) (int, error){db.Variant.Query().Count, db.Product.Query().Count, db.BundleComponent.Query().Count} {
		n, err := count(ctx)
		if err != nil {
			return "", fmt.Errorf("catalogue version: %w", err)
		}
		fmt.Fprintf(&key, "%d/", n)
	}
	v, err := db.Variant.Query().Order(variant.ByUpdatedAt(sql.OrderDesc())).Select(variant.FieldUpdatedAt).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return "", fmt.Errorf("catalogue version: %w", err)
	}
	p, err := db.Product.Query().Order(product.ByUpdatedAt(sql.OrderDesc())).Select(product.FieldUpdatedAt).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return "", fmt.Errorf("catalogue version: %w", err)
	}
	if v != nil {
		fmt.Fprintf(&key, "%d/", v.UpdatedAt.UnixNano())
	}
	if p != nil {
		fmt.Fprintf(&key, "%d", p.UpdatedAt.UnixNano())
	}
	return key.String(), nil
}

// Discover records, as candidates, the listings of channelID that an order's stock lines name but
// no candidate knows yet (the seller SKU and name from the line), and maps them as an import would.
// It returns the SKU of each listing that mapped automatically, by listing id, so that its line
// takes stock; the others wait for review and their lines stay unmapped. Listings a candidate
// already knows are left as they are (an operator's decision stands). It commits on its own.
func (s *Service) Discover(ctx context.Context, channelID pulid.ID, lines []channels.Line) (map[string]string, error) {
	byID := map[string]channels.CatalogItem{}
	var ids []string
	for _, l := range lines {
		id := strings.TrimSpace(l.ListingID)
		if !l.Stocked() || id == "" {
			continue
		}
		if _, ok := byID[id]; !ok {
			ids = append(ids, id)
		}
		byID[id] = channels.CatalogItem{ListingID: id, SellerSKU: strings.TrimSpace(l.SKU), Title: l.Name, Price: l.UnitPrice, Active: true}
		if len(ids) == MaxBatch {
			break
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	known, err := s.DB.Client.ListingCandidate.Query().Where(listingcandidate.ChannelID(channelID), listingcandidate.ExternalIDIn(ids...)).
		Select(listingcandidate.FieldExternalID).Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("load candidates: %w", err)
	}
	for _, k := range known {
		delete(byID, k)
	}
	if len(byID) == 0 {
		return nil, nil
	}
	items := make([]channels.CatalogItem, 0, len(byID))
	for _, id := range ids {
		if it, ok := byID[id]; ok {
			items = append(items, it)
		}
	}
	ix, err := s.cache.index(ctx, s.DB.Client)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	err = s.DB.Tx(ctx, func(tx *ent.Tx) error {
		clear(out)
		counts, err := Upsert(ctx, tx, ix, channelID, items, nil)
		if err != nil || counts["mapped"]+counts["confirmed"] == 0 {
			return err
		}
		mapped, err := tx.ListingCandidate.Query().Where(listingcandidate.ChannelID(channelID), listingcandidate.ExternalIDIn(ids...),
			listingcandidate.VariantIDNotNil()).All(ctx)
		if err != nil {
			return err
		}
		vids := make([]pulid.ID, len(mapped))
		for i, c := range mapped {
			vids[i] = *c.VariantID
		}
		skus := map[pulid.ID]string{}
		vs, err := tx.Variant.Query().Where(variant.IDIn(vids...)).Select(variant.FieldID, variant.FieldSku).All(ctx)
		if err != nil {
			return err
		}
		for _, v := range vs {
			skus[v.ID] = v.Sku
		}
		for _, c := range mapped {
			out[c.ExternalID] = skus[*c.VariantID]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) > 0 {
		s.changed()
	}
	return out, nil
}
