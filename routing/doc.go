// Package routing decides where an order ships from: Ordo's routing engine.
//
// Route is a pure function of its Input: the order, the candidate locations, the stock available at
// each (after safety stock), the policy and the current time. It has no database, clock, I/O or
// mutable global state, and its result never depends on map iteration or on the order of the
// Locations slice, so the same input always yields an identical Decision. That is what lets
// previewRouting and simulateRouting replay past orders against a candidate policy and compare the
// outcomes (Compare) without touching stock.
//
// The pipeline follows issue 3:
//
//  1. Eligibility filters (filter.go): excluded, inactive, location kind not allowed by the policy,
//     channel, cash on delivery, destination country, daily capacity; then per line: drop-ship
//     supplier only for its own variants, and stock.
//  2. Ranking (rank.go) by the policy's ordered, weighted criteria. Each criterion's raw value is
//     normalised to [0,1] across the candidates (1 is best) so that weights are comparable; ties
//     fall to the criteria in listed order, then location priority, then location id.
//  3. Split policy (split.go): one location for the whole order if any can serve it; otherwise a
//     bounded beam search over combinations of up to Policy.MaxShipments locations. Among plans
//     that cover the order it minimises shipments, then ship-by misses, cost and distance. A
//     shipment's cost is its units packed into the policy's boxes (packing.Pack), each parcel
//     priced on its box's dimensional weight by the cheapest of the policy's rate cards, in the
//     zone shipping.ZoneOf gives the trip (the zone the delivery promise uses too).
//  4. Outcome (decision.go): allocate, allocate partly and backorder the rest, backorder the whole
//     order, hold pre-order lines until their release, or park the order for review.
//
// Every decision carries a JSON-serialisable Trace that explains it.
package routing
