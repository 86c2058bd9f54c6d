// Package marketsim is a marketplace simulator: one HTTP server that speaks the APIs of Shopify,
// Shopee, Lazada, TikTok Shop, Meta Commerce and Square as Ordo's connectors call them, checks their
// request signing, serves orders in each channel's own JSON, sends Ordo webhooks signed as each
// channel signs them, and records the stock levels, shipment confirmations and cancellations Ordo
// sends back. Tests, the demo (`make run`) and the peak benchmark use it in place of the real
// marketplaces, which are out of reach; `ordo marketsim` serves it on its own.
//
// A shop's orders are kept in one channel-neutral form (Order); a face per channel renders them in
// that channel's vocabulary and formats, and maps what Ordo sends back onto them.
package marketsim
