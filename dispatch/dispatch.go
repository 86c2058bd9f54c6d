// Package dispatch routes orders: it loads what the routing engine needs from the store (locations
// with their calendars, stock, the policy in force), runs the pure engine of package routing, and
// applies its decision (reservations, backorders, holds) and its trace in the order's transaction.
package dispatch
