// Package shopee is Ordo's connector for Shopee Open Platform v2. Client calls the Shop APIs
// (orders by order_sn and by update time, stock, shipment, cancellation, the catalogue) with Shopee's request
// signing; pushes are thin (an order's sn and new status, after which the connector fetches
// get_order_detail) and are verified over the callback URL and the raw body. The normalizer turns
// get_order_detail orders into channels.Order: JSON-float money into minor units by currency, unix
// seconds into UTC, order_status through a table, COD, the ship_by_date deadline, and each line's
// listing as "item_id:model_id". All but Client is pure: no network, no clock, no store.
package shopee
