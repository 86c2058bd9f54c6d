// Package carriersim simulates the carriers Ordo's shipping adapters talk to, for tests and the
// demo, as channels/marketsim does for sales channels. One http.Handler speaks EasyPost's API
// (shipments, rates, buy, refund, trackers, label files) under /easypost, Ninja Van's (OAuth token,
// orders, cancellation, waybills) under /ninjavan and AfterShip's tracking pull under /aftership,
// with their authentication, keeping its state in memory. Advance moves a parcel along and builds
// the tracking webhook its carrier would send, in the carrier's real format and signature;
// AfterShipUpdate and AfterShipEDDRevise build AfterShip's for any parcel; parcels added under J&T
// get its signed trace pushes. Send delivers a built
// webhook; built ones can be replayed or reordered. Every API call is recorded for tests to assert.
package carriersim
