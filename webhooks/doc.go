// Package webhooks tells partners what happened in Ordo: admins register endpoints (a URL, the event
// types it wants, a secret), and each endpoint reads the event log from its own cursor and gets
// every event of its types as a POST signed per the Standard Webhooks spec (webhook-id is
// "evt_<event id>", stable across retries), in order; a failing delivery is retried on the spec's
// schedule and holds the endpoint's later events back, an endpoint that answers 410 or fails for
// too long is disabled, and every attempt is logged.
//
// Delivery is at least once: the cursor moves in the transaction that records the attempts, after
// the POSTs, so a process that stops between a POST and that commit sends the event again, with
// the same webhook-id; receivers deduplicate on it. Within an endpoint, events of one order are
// never delivered out of order (a later one waits for an earlier one that failed); events of
// different orders are sent concurrently, and each carries its log position (sequence) so that a
// receiver can tell the order of any two.
//
// Payloads are versioned: the envelope's version is 1, and a change that removes or retypes a field
// bumps it (adding a field does not).
package webhooks
