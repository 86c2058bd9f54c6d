// Package tiktokshop is Ordo's connector for the TikTok Shop Partner API (version 202309 and
// later): it verifies and reads TikTok Shop webhooks, signs API requests, and normalizes a Get Order
// Detail response into a channels.Order.
//
// TikTok Shop line items carry no quantity (one line item per unit); NormalizeOrder groups them by
// seller SKU, unit price and display status and keeps every line item id. Amounts are decimal
// strings, times unix seconds, ids strings. Everything here is pure: no clock, no network, no store.
package tiktokshop
