// Package fulfilment carries an order from its allocations to the doorstep. It plans shipments (one
// per origin location, packed into packages by package packing), runs each shipment through its
// lifecycle table (pick, pack, ready, shipped, in transit, out for delivery, delivered, with
// exceptions, failed attempts, returns to sender, pickups and cancellation), ships stock through
// the inventory ledger per shipment, takes carriers' tracking scans, and tells package orders what
// the shipments add up to (partially shipped, shipped, delivered, exception).
//
// It is the only writer of shipments, their lines, packages, tracking events and documents. Every
// change writes its event in the same transaction, as everywhere in Ordo.
package fulfilment
