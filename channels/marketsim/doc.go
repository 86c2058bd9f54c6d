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
package marketsim
