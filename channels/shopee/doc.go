// Package shopee is Ordo's connector for Shopee Open Platform v2. It signs API requests, verifies
// and reads push notifications (which are thin: an order's sn and new status, after which the
// connector fetches get_order_detail), and normalizes get_order_detail orders into channels.Order:
// JSON-float money into minor units by currency, unix seconds into UTC, order_status through a
// table, COD and the ship_by_date deadline. Everything here is pure: no network, no clock, no store.
package shopee
