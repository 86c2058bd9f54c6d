package marketsim

import (
	"fmt"
	"strconv"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/shopee"
)

// Product is something a demo shop sells: an Ordo SKU and its price in the shop's currency.
type Product struct {
	SKU, Name string
	Price     int64
}

// Kinds are the channel kinds the simulator speaks, in the order demos and tests use them.
var Kinds = []channels.Kind{channels.Shopify, channels.Shopee, channels.Lazada, channels.TikTokShop, channels.Facebook, channels.POS}

// DemoShop returns a shop of the given kind selling products, with credentials, a shop id and
// listing ids in the channel's own style (Shopee item:model pairs, TikTok product and SKU ids,
// Square catalog object ids, Meta retailer ids…), so that tests, the demo and benchmarks connect
// all six channels the same way.
func DemoShop(kind channels.Kind, currency string, products []Product) (ShopConfig, error) {
	cfg := ShopConfig{Kind: kind, Currency: currency}
	listing := func(i int, p Product, id string, attrs map[string]string) Listing {
		return Listing{ID: id, SKU: p.SKU, Name: p.Name, Price: p.Price, Attrs: attrs}
	}
	num := func(base int64, i int) string { return strconv.FormatInt(base+int64(i), 10) }
	switch kind {
	case channels.Shopify:
		cfg.ShopID = "ordo-demo"
		cfg.Credentials = channels.Credentials{AccessToken: "shpat_demo", AppSecret: "shopify-demo-secret", Extra: map[string]string{"location_id": "655441491"}}
		for i, p := range products {
			cfg.Listings = append(cfg.Listings, listing(i, p, num(39072856000, i),
				map[string]string{"inventory_item_id": num(808950810000, i), "product_id": num(632910392000, i)}))
		}
	case channels.Shopee:
		cfg.ShopID = "727720655"
		cfg.Credentials = channels.Credentials{AppKey: "2001887", AppSecret: "shopee-demo-partner-key", AccessToken: "59777174636562737266615546704c6d", RefreshToken: "4e6f4c5a6d7a6d4d6b4c4a6d6c6b6a68"}
		for i, p := range products { // five models an item, as a shirt comes in sizes
			item, model := num(23620853000, i/5), num(221404189000, i)
			cfg.Listings = append(cfg.Listings, listing(i, p, shopee.ListingID(item, model), map[string]string{"item_id": item, "model_id": model}))
		}
	case channels.Lazada:
		cfg.ShopID = "100056775"
		cfg.Credentials = channels.Credentials{AppKey: "123456", AppSecret: "lazada-demo-secret", AccessToken: "50000601c30atpedfgu3LVvik87Ixlsvle3mSoB7701ceb156fPunYZ43GBg",
			RefreshToken: "50001600c30aPb3kBi3eHtdnbX1b9d1a3e4QyRkTqhBrsHzE1ktAUKz7xSAsAx", Extra: map[string]string{"currency": currency}}
		for i, p := range products {
			cfg.Listings = append(cfg.Listings, listing(i, p, num(2114389000, i), map[string]string{"item_id": num(1503947000, i), "seller_sku": p.SKU}))
		}
	case channels.TikTokShop:
		cfg.ShopID = "7494049642642441621"
		cfg.Credentials = channels.Credentials{AppKey: "38abcd", AppSecret: "tiktok-demo-secret", AccessToken: "TTP_demo_token", RefreshToken: "TTP_demo_refresh",
			Extra: map[string]string{"shop_cipher": "ROW_RHkDDABBAAB8tKAVoAqsMTjsQZFLyNfY", "warehouse_id": "7068517275539719942"}}
		for i, p := range products {
			cfg.Listings = append(cfg.Listings, listing(i, p, num(1729382256910270000, i), map[string]string{"product_id": num(1729382256910260000, i/5)}))
		}
	case channels.Facebook:
		cfg.ShopID = "1095000000000001"
		cfg.Credentials = channels.Credentials{AccessToken: "EAAdemotoken", AppSecret: "meta-demo-secret", Extra: map[string]string{"catalog_id": "2070000000000001"}}
		for i, p := range products {
			cfg.Listings = append(cfg.Listings, listing(i, p, p.SKU, nil)) // Meta's retailer_id is the seller's SKU
		}
	case channels.POS:
		cfg.ShopID = "L8QM6Y1Q3B7X1"
		cfg.Credentials = channels.Credentials{AccessToken: "EAAAl-demo-token", WebhookSecret: "square-demo-signature-key",
			AppKey: "sq0idp-demo-application", AppSecret: "sq0csp-demo-application-secret", RefreshToken: "EQAAl-demo-refresh"}
		for i, p := range products {
			cfg.Listings = append(cfg.Listings, listing(i, p, fmt.Sprintf("W62UWFY35CWMYGVW%08X", i), nil))
		}
	default:
		return ShopConfig{}, fmt.Errorf("marketsim: no simulator for channel kind %q", kind)
	}
	return cfg, nil
}
