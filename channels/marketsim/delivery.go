package marketsim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// FulfillmentEvent is one tracking event a seller recorded on a fulfillment (Shopify's
// FulfillmentEvent): "delivered", "in_transit", and so on.
type FulfillmentEvent struct {
	OrderID       string
	FulfillmentID string
	Status        string
	HappenedAt    time.Time
	At            time.Time // when the shop took it
}

// FulfillmentEvents returns the events recorded on an order's fulfillments, oldest first.
func (sh *Shop) FulfillmentEvents(orderID string) []FulfillmentEvent {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return append([]FulfillmentEvent(nil), sh.fulfilEvents[orderID]...)
}

// fulfillmentStatuses are the statuses Shopify takes for a FulfillmentEvent.
var fulfillmentStatuses = map[string]bool{
	"label_printed": true, "label_purchased": true, "attempted_delivery": true, "ready_for_pickup": true,
	"picked_up": true, "confirmed": true, "in_transit": true, "out_for_delivery": true, "delivered": true,
	"failure": true, "carrier_picked_up": true,
}

// listFulfillments serves GET orders/{id}/fulfillments.json.
func (shopifyFace) listFulfillments(w http.ResponseWriter, r *http.Request, sh *Shop) {
	id := r.PathValue("id")
	if _, ok := sh.Order(id); !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"errors": "Not Found"})
		return
	}
	out := []map[string]any{}
	for _, f := range sh.Fulfillments(id) {
		out = append(out, shopifyFulfillment(f))
	}
	writeJSON(w, http.StatusOK, map[string]any{"fulfillments": out})
}

// fulfillmentEvent serves POST orders/{id}/fulfillments/{fid}/events.json: a status Shopify
// knows, on a fulfillment of the order, is recorded.
func (shopifyFace) fulfillmentEvent(w http.ResponseWriter, r *http.Request, sh *Shop) {
	var in struct {
		Event struct {
			Status     string `json:"status"`
			HappenedAt string `json:"happened_at"`
		} `json:"event"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || !fulfillmentStatuses[in.Event.Status] {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": map[string][]string{"status": {"is not included in the list"}}})
		return
	}
	e := FulfillmentEvent{OrderID: r.PathValue("id"), FulfillmentID: r.PathValue("fid"), Status: in.Event.Status}
	if in.Event.HappenedAt != "" {
		at, err := time.Parse(time.RFC3339, in.Event.HappenedAt)
		if err != nil {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": map[string][]string{"happened_at": {"is invalid"}}})
			return
		}
		e.HappenedAt = at
	}
	found := false
	for _, f := range sh.Fulfillments(e.OrderID) {
		found = found || f.ID == e.FulfillmentID
	}
	if !found {
		writeJSON(w, http.StatusNotFound, map[string]string{"errors": "Not Found"})
		return
	}
	sh.mu.Lock()
	e.At = sh.sim.now()
	if e.HappenedAt.IsZero() {
		e.HappenedAt = e.At
	}
	if sh.fulfilEvents == nil {
		sh.fulfilEvents = map[string][]FulfillmentEvent{}
	}
	sh.fulfilEvents[e.OrderID] = append(sh.fulfilEvents[e.OrderID], e)
	n := len(sh.fulfilEvents[e.OrderID])
	sh.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"fulfillment_event": map[string]any{
		"id": json.Number(strconv.Itoa(944947000 + n)), "fulfillment_id": json.Number(e.FulfillmentID), "order_id": json.Number(e.OrderID),
		"status": e.Status, "happened_at": e.HappenedAt.In(zone).Format(time.RFC3339),
	}})
}
