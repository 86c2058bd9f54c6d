// Package marketsim is a marketplace simulator: one HTTP server that speaks the APIs of Shopify,
// Shopee, Lazada, TikTok Shop, Meta Commerce and Square as Ordo's connectors call them, checks their
// request signing, serves orders in each channel's own JSON, sends Ordo webhooks signed as each
// channel signs them, and records the stock levels, shipment confirmations and cancellations Ordo
// sends back. Tests, the demo (`make run`) and the peak benchmark use it in place of the real
// marketplaces, which are out of reach; `ordo marketsim` serves it on its own.
//
// A shop's orders are kept in one channel-neutral form (Order); a face per channel renders them in
// that channel's vocabulary and formats, and maps what Ordo sends back onto them.
//
// Shipments are kept per order (logistics.go): Shopify fulfillments by fulfillment order of each
// line's assigned location (SpecLine.Location), Meta shipments by idempotency key, and the
// packages of TikTok Shop and Shopee orders (OrderSpec.Packages splits them) and of Lazada's pack,
// each with the tracking number the marketplace hands out and an airway bill to download (a tiny
// PDF). An order ships once all its units have. Tests read them with Shop.Fulfillments,
// Shop.Packages, Shop.Shipped and Shop.DocumentsFetched. The tracking events Ordo records on
// Shopify fulfillments (a "delivered" FulfillmentEvent) are kept per order: Shop.FulfillmentEvents.
//
// With Options.TokenLifetime, the access tokens of Shopee, Lazada, TikTok Shop and Square expire:
// calls with an expired one get the channel's own error, and each channel's refresh endpoint, with
// its real request shape and checks, issues new ones and rotates the refresh token (Square's code
// flow keeps it); a spent refresh token is refused. Shops count refreshes, reuses of a spent
// refresh token and calls refused for an expired token.
//
// Returns (rma.go) are kept per shop for the channels that have them here (Shopee, TikTok Shop):
// tests open them on orders that left (Shop.OpenRMA) and move them as buyers and marketplaces do;
// the faces serve them in each channel's API, take the seller's decisions as the channel would,
// record each (RMA.Decisions) and, for TikTok Shop, send type-12 webhooks (Shop.RMAPushes).
//
// Returns: a Lazada shop keeps reverse orders (lazada_returns.go: OpenLazadaReturn on an order's
// units, ShipLazadaReturn, DeliverLazadaReturn, CancelLazadaReturn; the seller's agreeReturn,
// refuseReturn, confirmDelivery, agreeRefund and startDispute through the signed API, kept in
// LazadaDecisions; msg_type 10 pushes), a Shopify store keeps returns (shopify_returns.go:
// OpenShopifyReturn, CancelShopifyReturn, RefundShopifyReturn; returnApproveRequest,
// returnDeclineRequest and returnProcess through graphql.json, kept on each return; returns/* and
// refunds/create webhooks). A webhook about a return carries its id in Delivery.ReturnID, so that
// tests can pick it (Shop.ReturnPushes) and replay it with Shop.Redeliver.
//
// Catalogues (catalogs.go and each face's *_catalog.go): every shop serves its listings through the
// channel's own catalogue API, signed and checked as its order calls are, grouped into the
// channel's products by Attrs "product_id", else "item_id", else "item_group_id":
//
//	Shopify     GET products.json (limit ≤ 250, Link header page_info), GET shop.json (currency)
//	Shopee      GET v2.product.get_item_list (offset, page_size ≤ 100, item_status),
//	            get_item_base_info (≤ 50 ids), get_model_list (tier_variation, model[])
//	Lazada      GET /products/get (filter live|inactive|all, offset, limit ≤ 50; skus[] with saleProp)
//	TikTok Shop POST product/202309/products/search (page_token), GET product/202309/products/{id}
//	            (skus[] with sales_attributes and identifier_code)
//	Meta        GET /{catalog_id}/products (limit, after; paging.cursors and paging.next)
//	Square      GET /v2/catalog/list (types, cursor; ITEM_OPTION then ITEM objects),
//	            POST /v2/catalog/batch-retrieve
//
// A page holds at most Options.CatalogPageSize products (items, objects; default 50), whatever the
// client asks, so that a large catalogue takes many pages. A Listing's SellerSKU (or NoSellerSKU)
// is what the channel shows as its SKU, in the catalogue and on orders alike (Listing.ChannelSKU),
// while SKU stays the Ordo SKU it stands for; Barcode and Options are shown where the channel has
// them (Shopify barcode and option1..3, Shopee gtin_code and tier_variation, Lazada barcode_ean
// [U] and saleProp, TikTok identifier_code and sales_attributes, Meta gtin, color, size… and
// additional_variant_attributes, Square upc and item option values). CatalogFor plants a
// catalogue for tests: each variant listed exactly, with a fuzzed seller SKU (FuzzSKU: case,
// spaces, separators), with a barcode only, with only its options, twice (ambiguous) or not at
// all (Plant), and bundle listings whose Components only the test knows, as no catalogue API says.
package marketsim
