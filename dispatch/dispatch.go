// Package dispatch routes orders: it loads what the routing engine needs from the store (locations
// with their calendars, stock, the policy in force, the box catalogue and rate cards shipments are
// priced with), runs the pure engine of package routing, and applies its decision (reservations,
// backorders, holds) and its trace in the order's transaction. It answers checkout's delivery
// promise with the same box catalogue and rate cards, so that both price a trip alike.
package dispatch
