package marketsim

import "encoding/json"

// The parts of an order a fixture can stand in for (see Shop.SetRaw).
const (
	// RawOrder is the order as the channel's order-detail call answers it: Square's Order, TikTok
	// Shop's order object, Lazada's /order/get data.
	RawOrder = "order"
	// RawItems is Lazada's order_items of the order (one row per unit), as /orders/items/get
	// answers them.
	RawItems = "items"
)

// SetRaw makes the shop answer the order-detail calls for orderID with body, a payload in the
// channel's own JSON as a fixture holds it, instead of rendering the simulated order: so that
// Ordo's real fetch path reads payloads the simulator would never produce (numbers sent as
// strings, addresses of other countries, items without ids, lines with no catalogue item). The
// order itself still drives webhooks and lists; only its detail is the fixture. Faces that serve
// raw parts: POS and TikTok Shop (RawOrder), Lazada (RawOrder and RawItems).
func (sh *Shop) SetRaw(orderID, part string, body json.RawMessage) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.raws == nil {
		sh.raws = map[string]json.RawMessage{}
	}
	sh.raws[orderID+"/"+part] = body
}

// raw is the fixture standing in for a part of an order, if one was set.
func (sh *Shop) raw(orderID, part string) (json.RawMessage, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b, ok := sh.raws[orderID+"/"+part]
	return b, ok
}
