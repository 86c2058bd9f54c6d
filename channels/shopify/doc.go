// Package shopify is Ordo's connector for Shopify stores (web and POS orders share one Order object).
// It verifies webhooks (base64 HMAC-SHA256 of the raw body), reads them, and normalizes Shopify's
// Order JSON into channels.Order: decimal-string money parsed exactly into minor units, ISO-8601
// times into UTC, 64-bit ids kept as strings, and the financial/fulfillment status pair mapped through
// one table. Everything here is pure: no network, no clock, no store.
package shopify
