// Package promise answers checkout's question "when can it arrive, and for how much?": for each
// delivery service (standard, express, same-day, pick-up at a store) it picks the location that gives the
// earliest delivery and states the ship time, the delivery window and the cost. It is pure and
// deterministic: the caller passes the candidates (which locations can fulfil every line), the
// destination, the transit table and "now"; there is no clock, database or I/O inside.
//
// Rules:
//
//   - Ship time is the location's calendar.EarliestShip(now): cut-off, processing time, working
//     days and holidays in the location's own zone.
//   - The zone of a shipment is shipping.ZoneOf from the location to the destination, with
//     Transit.Bands (DefaultTransit: shipping.DefaultBands): the one rule routing prices with too,
//     so that the cost of a split and the promise of a delivery agree on how far a parcel goes.
//   - Transit is counted in carrier working days (Transit.Carrier: Monday to Saturday and its
//     holidays, read in the shipping location's zone unless the carrier calendar names one). If the
//     ship day is not a carrier working day, the carrier collects on the next one. The window runs
//     from 00:00 of the Min-th carrier working day after collection to 23:59:59 of the Max-th
//     (from the collection itself when Min is 0).
//   - A service is offered from a location only if the transit table has days for its zone.
//   - Cost comes from Transit.RateCards, the cards routing prices shipments with: Promise prices
//     the order as one parcel of its weight by the cheapest card (shipping.Cheapest); PromiseGoods
//     packs its items into Transit.Boxes and prices each parcel on its box's dimensions
//     (shipping.EstimatePlan), exactly as routing prices a shipment, so that the STANDARD option
//     from a location costs what routing's shipment from it does. A service costs Transit.Markup
//     percent of that (DefaultTransit: express 160, same-day 200; rounded down). No cards: free.
//     Parcels no card carries: the service is not offered from that location. Pick-up is free.
//   - SAME_DAY is offered from candidates that offer it (SameDay) and CanFulfil, to destinations
//     in their SAME_CITY zone, when the order ships today: EarliestShip falls on the local date of
//     now (placed before the cut-off with time to process, on a working day). It is delivered
//     from the ship time to 23:59:59 of that day, whatever the carrier calendar says.
//   - STANDARD and EXPRESS come from candidates that CanFulfil; PICKUP only from STORE candidates
//     that offer Pickup and CanFulfil, in the destination's zone up to Transit.PickupZone (default
//     SAME_CITY), ready at their earliest ship time, with no transit.
//   - For each service the winner is the candidate with the earliest DeliverTo, then the earliest
//     DeliverFrom, then the lower cost, then the lower location id. Options come in the order
//     STANDARD, EXPRESS, SAME_DAY, PICKUP; there are none when nothing can fulfil.
package promise
