// Package ninjavan is Ordo's adapter for Ninja Van, the Southeast Asian carrier. The client
// (shipping.Carrier) takes an OAuth client-credentials token (POST /{cc}/2.0/oauth/access_token,
// kept until shortly before it expires), books one order per parcel (POST /{cc}/4.2/orders), cancels
// them (DELETE /{cc}/2.2/orders/{tracking number}) and fetches their waybills as one PDF
// (GET /{cc}/2.0/reports/waybill). Ninja Van quotes no rates and serves no tracking pull through
// this API: Rates and Track wrap shipping.ErrUnsupported (rate cards and webhooks stand in).
// Webhooks (shipping.TrackingSource) are signed in X-Ninjavan-Hmac-Sha256 with
// base64(HMAC-SHA256(client secret, raw body)); both the v2 events ("Delivered, Received by
// Customer") and the v1-style statuses ("Successful Delivery") map onto the nine tags.
package ninjavan
