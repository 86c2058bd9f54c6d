// Package webhooks tells partners what happened in Ordo: admins register endpoints (a URL, the event
// types it wants, a secret), and each endpoint reads the event log from its own cursor and gets
// every event of its types as a POST signed per the Standard Webhooks spec (webhook-id is the
// event's stable id), in order; a failing delivery is retried on the spec's schedule and holds the
// endpoint's later events back, an endpoint that answers 410 or fails for too long is disabled, and
// every attempt is logged.
package webhooks
