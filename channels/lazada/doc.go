// Package lazada is Ordo's connector for the Lazada Open Platform (lazop): Client calls the REST API
// with signed requests (orders, stock, fulfilment, cancellation, the catalogue), and the pure parts beneath it
// verify and read Lazada pushes, sign requests, and normalize an order from /order/get or
// /orders/get plus its items from /order/items/get or /orders/items/get into a channels.Order.
//
// Lazada sends one item row per unit (there is no quantity field); NormalizeOrder groups the rows by
// seller SKU, sku_id, unit price and status and keeps every order_item_id. Money may arrive as
// decimal strings or as JSON numbers, times in three formats (RFC 3339, "2006-01-02 15:04:05 -0700"
// and epoch milliseconds as a string). Only Client touches the network and the clock.
package lazada
