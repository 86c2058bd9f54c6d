// Package promise answers checkout's question "when can it arrive, and for how much?": for each
// delivery service (standard, express, pick-up at a store) it picks the location that gives the
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
//   - Cost is the rate's Base (which covers the first kilogram) plus PerKg for every further
//     started kilogram, in Transit.Currency. Pick-up is free.
//   - STANDARD and EXPRESS come from candidates that CanFulfil; PICKUP only from STORE candidates
//     that offer Pickup and CanFulfil, in the destination's zone up to Transit.PickupZone (default
//     SAME_CITY), ready at their earliest ship time, with no transit.
//   - For each service the winner is the candidate with the earliest DeliverTo, then the earliest
//     DeliverFrom, then the lower cost, then the lower location id. Options come in the order
//     STANDARD, EXPRESS, PICKUP; there are none when nothing can fulfil.
package promise
