// Package tiktokshop is Ordo's connector for the TikTok Shop Partner API (version 202309 and
// later): it verifies and reads TikTok Shop webhooks, signs API requests, normalizes a Get Order
// Detail response into a channels.Order, and its Client calls the API (orders, stock, the catalogue, shipments,
// cancellations) as a channels.Connector.
//
// TikTok Shop line items carry no quantity (one line item per unit); NormalizeOrder groups them by
// seller SKU, sku_id, unit price and display status and keeps every line item id. Amounts are
// decimal strings, times unix seconds, ids strings. Everything but Client is pure: no clock, no
// network, no store.
package tiktokshop
