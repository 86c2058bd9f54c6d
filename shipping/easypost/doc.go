// Package easypost is Ordo's adapter for EasyPost, a multi-carrier label and tracking API. The
// client (shipping.Carrier) quotes rates from a shipment's rates, buys a label (POST /v2/shipments,
// then /buy with the chosen rate; one EasyPost shipment per parcel), refunds it to cancel, and reads
// trackers. Calls authenticate with HTTP Basic, the API key as user name. Webhooks
// (shipping.TrackingSource) are EasyPost Events signed in X-Hmac-Signature with
// hmac-sha256-hex=hex(HMAC-SHA256(NFKD(secret), raw body)); tracker.created and tracker.updated
// events become tracking events, anything else is ignored.
//
// EasyPost's units are ounces and inches; Ordo's grams and millimetres are converted at the edge.
package easypost
