// Package pos is Ordo's connector for the retail point of sale, which Ordo speaks through Square's
// Orders API v2 (plus the Inventory API for stock and the Catalog API for the catalogue). It verifies Square webhooks (base64
// HMAC-SHA256 of the notification URL followed by the raw body), reads their thin order.* envelopes,
// normalizes Square Orders into channels.Order (integer minor-unit Money, decimal-string quantities,
// RFC 3339 times into UTC, the order state and its fulfillments mapped through one table) and calls
// the Orders and Inventory endpoints as Client.
//
// Square lines carry no SKU: a line's catalog_object_id (the item variation) is its ListingID, and
// ingestion matches it against Ordo's listings. Cash tendered at the counter is paid in person, so
// no Square order is ever cash on delivery.
package pos
