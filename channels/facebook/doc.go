// Package facebook is Ordo's connector for Meta's Commerce Platform (Facebook and Instagram Shops
// with checkout on Meta). Meta sends no order webhooks: orders are pulled from the commerce
// account's commerce_orders edge and acknowledged, which moves them from CREATED to IN_PROGRESS
// and tells Meta that the seller has taken them.
//
// NormalizeOrder reads one CommerceOrder, with its items, shipments and cancellations edges inline
// as Graph field expansion returns them ({"data":[…]}), into a channels.Order: money objects
// {amount:"2.50", currency:"USD"} parsed exactly into minor units, ISO-8601 times into UTC, the bare
// ship_by_date as the end of that day in UTC, and order_status.state mapped through one table with
// the edges deciding "all shipped" and "all cancelled". Meta is the merchant of record, so an order
// is paid once it is CREATED and never cash on delivery.
//
// Webhooks implements Graph's generic webhook signature (X-Hub-Signature-256) for completeness.
// Client calls the Graph API. Everything but Client is pure: no network, no clock, no store.
package facebook
