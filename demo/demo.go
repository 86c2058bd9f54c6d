// Package demo seeds a store with a small, realistic Southeast Asian business: warehouses and stores
// in six cities, the sales channels of the mission, products with stock, a bundle and a few orders.
// `make run` uses it so that a first look at Ordo has something to look at.
package demo

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/routingpolicy"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/orders"
)

// Services are the domain services the seed writes through, as any other client would.
type Services struct {
	Catalog   *catalog.Service
	Inventory *inventory.Service
	Orders    *orders.Service
	Policies  dispatch.Policies
}

type site struct {
	code, name, city, country, tz string
	kind                          location.Kind
	lat, lng                      float64
	priority, capacity            int
	cod                           bool
}

var sites = []site{
	{"BKK-WH", "Bangkok Fulfilment Centre", "Bangkok", "TH", "Asia/Bangkok", location.KindWAREHOUSE, 13.7563, 100.5018, 10, 2000, true},
	{"CGK-WH", "Jakarta Mega Warehouse", "Jakarta", "ID", "Asia/Jakarta", location.KindWAREHOUSE, -6.2088, 106.8456, 20, 5000, true},
	{"SGN-3PL", "Ho Chi Minh City 3PL", "Ho Chi Minh City", "VN", "Asia/Ho_Chi_Minh", location.KindTHIRD_PARTY_LOGISTICS, 10.8231, 106.6297, 30, 1500, true},
	{"MNL-WH", "Manila Warehouse", "Manila", "PH", "Asia/Manila", location.KindWAREHOUSE, 14.5995, 120.9842, 40, 1200, true},
	{"KUL-ST", "Kuala Lumpur Pavilion Store", "Kuala Lumpur", "MY", "Asia/Kuala_Lumpur", location.KindSTORE, 3.1390, 101.6869, 50, 150, false},
	{"SIN-ST", "Singapore Orchard Store", "Singapore", "SG", "Asia/Singapore", location.KindSTORE, 1.3048, 103.8318, 60, 100, false},
}

var shops = []struct {
	kind     channel.Kind
	name, id string
}{
	{channel.KindSHOPEE, "Shopee Thailand", "727720655"},
	{channel.KindLAZADA, "Lazada Indonesia", "100056775"},
	{channel.KindTIKTOK_SHOP, "TikTok Shop Vietnam", "7494049642642441621"},
	{channel.KindSHOPIFY, "ordo-demo.myshopify.com", "ordo-demo"},
	{channel.KindFACEBOOK, "Facebook & Instagram Shop", "1095000000000001"},
	{channel.KindPOS, "Singapore Orchard POS", "L8QM6Y1Q3B7X1"},
}

type item struct {
	product, sku, name string
	price              int64 // in minor units of USD, for a shop that sells in USD across the region
	grams, l, w, h     int
	stock              []int64 // per site, in the order of sites
	hs, origin         string  // customs data, which orders across borders need
}

var items = []item{
	{"Batik Cotton Shirt", "SHIRT-BATIK-M", "Batik Cotton Shirt, M", 2900, 250, 300, 250, 30, []int64{40, 120, 20, 15, 5, 5}, "6205.20", "ID"},
	{"Batik Cotton Shirt", "SHIRT-BATIK-L", "Batik Cotton Shirt, L", 2900, 270, 300, 250, 30, []int64{30, 100, 10, 10, 4, 3}, "6205.20", "ID"},
	{"Rattan Tote Bag", "BAG-RATTAN", "Rattan Tote Bag", 4500, 600, 400, 120, 350, []int64{12, 30, 8, 0, 3, 2}, "4602.19", "ID"},
	{"Thai Silk Scarf", "SCARF-SILK-RED", "Thai Silk Scarf, Red", 3500, 80, 200, 150, 20, []int64{60, 10, 5, 5, 8, 8}, "6214.10", "TH"},
	{"Vietnamese Drip Coffee", "COFFEE-PHIN-250", "Robusta Coffee 250 g with Phin Filter", 1800, 400, 180, 120, 80, []int64{25, 40, 200, 20, 10, 10}, "0901.21", "VN"},
	{"Coconut Bowl Set", "BOWL-COCONUT-2", "Coconut Bowls, set of 2", 2200, 350, 160, 160, 90, []int64{0, 50, 30, 25, 0, 0}, "4419.90", "VN"},
	{"Pandan Kaya Jam", "KAYA-PANDAN", "Pandan Kaya Jam 300 g", 900, 380, 80, 80, 100, []int64{10, 10, 5, 30, 20, 40}, "2007.99", "MY"},
}

// Seed writes the demo business. It expects an empty store.
func Seed(ctx context.Context, s Services) error {
	ctx = auth.NewContext(ctx, auth.Viewer{Name: "demo seed", Role: auth.Admin})
	var locs []*ent.Location
	for _, st := range sites {
		lat, lng := st.lat, st.lng
		l, err := s.Catalog.CreateLocation(ctx, ent.CreateLocationInput{
			Code: st.code, Name: st.name, Kind: st.kind, Priority: &st.priority, Timezone: &st.tz,
			DailyCapacity: &st.capacity, AcceptsCod: &st.cod,
			Address: &schema.Address{City: st.city, CountryCode: st.country, Latitude: &lat, Longitude: &lng},
		})
		if err != nil {
			return fmt.Errorf("location %s: %w", st.code, err)
		}
		locs = append(locs, l)
	}
	var channels []*ent.Channel
	for _, sh := range shops {
		id := sh.id
		c, err := s.Catalog.CreateChannel(ctx, ent.CreateChannelInput{Kind: sh.kind, Name: sh.name, ShopID: &id})
		if err != nil {
			return fmt.Errorf("channel %s: %w", sh.name, err)
		}
		channels = append(channels, c)
	}
	products := map[string]pulid.ID{}
	for _, it := range items {
		pid, ok := products[it.product]
		if !ok {
			p, err := s.Catalog.CreateProduct(ctx, ent.CreateProductInput{Name: it.product})
			if err != nil {
				return fmt.Errorf("product %s: %w", it.product, err)
			}
			pid, products[it.product] = p.ID, p.ID
		}
		price, usd := it.price, "USD"
		v, err := s.Catalog.CreateVariant(ctx, ent.CreateVariantInput{
			Sku: it.sku, Name: it.name, ProductID: pid, PriceAmount: &price, Currency: &usd,
			WeightGrams: &it.grams, LengthMm: &it.l, WidthMm: &it.w, HeightMm: &it.h,
		})
		if err != nil {
			return fmt.Errorf("variant %s: %w", it.sku, err)
		}
		// Customs data is set by catalogue imports, not through the API's variant input.
		if err := s.Catalog.DB.Client.Variant.UpdateOne(v).SetHsCode(it.hs).SetCountryOfOrigin(it.origin).Exec(ctx); err != nil {
			return fmt.Errorf("variant %s: %w", it.sku, err)
		}
		for i, q := range it.stock {
			if q == 0 {
				continue
			}
			if _, err := s.Inventory.Receive(ctx, inventory.Receive{SKU: it.sku, LocationID: locs[i].ID, Quantity: q, Reference: "opening stock"}); err != nil {
				return fmt.Errorf("stock %s: %w", it.sku, err)
			}
		}
		if _, err := s.Inventory.SetSafetyStock(ctx, inventory.SafetyStock{SKU: it.sku, LocationID: locs[0].ID, SafetyStock: 2}); err != nil {
			return fmt.Errorf("safety stock %s: %w", it.sku, err)
		}
	}
	giftP, err := s.Catalog.CreateProduct(ctx, ent.CreateProductInput{Name: "Breakfast Gift Box"})
	if err != nil {
		return fmt.Errorf("bundle product: %w", err)
	}
	price, usd := int64(2500), "USD"
	if _, err := s.Catalog.CreateVariant(ctx, ent.CreateVariantInput{Sku: "GIFT-BREAKFAST", Name: "Breakfast Gift Box (coffee + kaya)", ProductID: giftP.ID, PriceAmount: &price, Currency: &usd}); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if _, err := s.Catalog.SetBundleComponents(ctx, "GIFT-BREAKFAST", []catalog.Component{{SKU: "COFFEE-PHIN-250", Quantity: 1}, {SKU: "KAYA-PANDAN", Quantity: 1}}); err != nil {
		return fmt.Errorf("bundle components: %w", err)
	}
	// The store's POS sells from the store: its orders are routed there.
	_, err = s.Policies.Set(ctx, dispatch.PolicyInput{
		ChannelID: &channels[5].ID, MaxShipments: 1, ShipFromStore: true, Backorder: routingpolicy.BackorderPARTIAL,
		Criteria: []schema.RoutingCriterion{{Name: "DISTANCE", Weight: 5}, {Name: "STOCK_AFTER", Weight: 1}},
		Note:     "in-store sales ship from the store",
	})
	if err != nil {
		return fmt.Errorf("POS routing policy: %w", err)
	}
	return placeOrders(ctx, s, channels)
}

func placeOrders(ctx context.Context, s Services, channels []*ent.Channel) error {
	bkk, hcm := 13.7367, 10.7769
	bkkLng, hcmLng := 100.5231, 106.7009
	demo := []orders.PlaceInput{
		{ChannelID: &channels[0].ID, ExternalID: "2211ABCD1234", Paid: true,
			Customer:        orders.Customer{Email: "somchai@example.com", Name: "Somchai P."},
			ShippingAddress: &schema.Address{Name: "Somchai P.", City: "Bangkok", CountryCode: "TH", PostalCode: "10330", Latitude: &bkk, Longitude: &bkkLng},
			Lines:           []orders.Line{{SKU: "SCARF-SILK-RED", Quantity: 2}, {SKU: "KAYA-PANDAN", Quantity: 1}}},
		{ChannelID: &channels[2].ID, ExternalID: "576461413038785752", PaymentMethod: order.PaymentMethodCOD, Priority: 1,
			Customer:        orders.Customer{Email: "linh.nguyen@example.com", Name: "Nguyen Thi Linh"},
			ShippingAddress: &schema.Address{Name: "Nguyen Thi Linh", City: "Ho Chi Minh City", CountryCode: "VN", Latitude: &hcm, Longitude: &hcmLng},
			Lines:           []orders.Line{{SKU: "COFFEE-PHIN-250", Quantity: 3}, {SKU: "GIFT-BREAKFAST", Quantity: 1}}},
		{ChannelID: &channels[3].ID, ExternalID: "820982911946154508",
			Customer: orders.Customer{Email: "aisyah@example.com", Name: "Aisyah R."},
			Lines:    []orders.Line{{SKU: "SHIRT-BATIK-L", Quantity: 1}, {SKU: "BAG-RATTAN", Quantity: 1}}},
	}
	for _, in := range demo {
		if _, _, err := s.Orders.Place(ctx, in); err != nil {
			return fmt.Errorf("demo order %s: %w", in.ExternalID, err)
		}
	}
	return nil
}
