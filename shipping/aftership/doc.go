// Package aftership is Ordo's adapter for AfterShip Tracking, the aggregator whose nine tags Ordo
// normalizes every carrier onto. Its webhooks (shipping.TrackingSource) are signed in
// aftership-hmac-sha256 with base64(HMAC-SHA256(secret, raw body)), sign no time, and come as three
// events: tracking_update (the tracking with all its checkpoints), edd_revise (a new estimated
// delivery) and tracking_pending_time (no first scan within the account's threshold). The client
// pulls trackings (GET /tracking/2025-01/trackings, as-api-key). AfterShip books no labels.
package aftership
