package webhooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
)

// Version is the version of the envelope and payloads: a change that removes, renames or retypes a
// field bumps it; adding a field does not.
const Version = 1

// Envelope is the body of a delivery, as the Standard Webhooks spec suggests.
type Envelope struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"` // when the event happened, RFC 3339
	Version   int    `json:"version"`
	Data      any    `json:"data"`
}

// Subject is what every payload carries: the event's stable id (the webhook-id), its position in
// the log, and the ids it is about.
type Subject struct {
	EventID  string `json:"eventId"`  // evt_<sequence>, the webhook-id
	Sequence int64  `json:"sequence"` // the event's id: larger is later within an order
	// The ids are "" when the event is not about one; variantId is left out then.
	OrderID    string `json:"orderId"`
	CustomerID string `json:"customerId"`
	ChannelID  string `json:"channelId"`
	LocationID string `json:"locationId"`
	VariantID  string `json:"variantId,omitempty"`
}

// Data is the data of one event type: the subject and the event's own fields, as the events
// package stores them (P), in one JSON object.
type Data[P events.Payload] struct {
	Subject
	Event P
}

// MarshalJSON writes the subject's fields and the event's in one object.
func (d Data[P]) MarshalJSON() ([]byte, error) {
	head, err := json.Marshal(d.Subject)
	if err != nil {
		return nil, err
	}
	tail, err := json.Marshal(d.Event)
	if err != nil {
		return nil, err
	}
	if len(tail) <= 2 || tail[0] != '{' {
		return head, nil
	}
	return slices.Concat(head[:len(head)-1], []byte{','}, tail[1:]), nil
}

// catalogue are the event types partners may subscribe to, each with the function that builds its
// data.
var catalogue = map[string]func(*ent.Event) (any, error){
	events.KindOrderPlaced:         data[events.OrderPlaced],
	events.KindStatusChanged:       data[events.StatusChanged],
	events.KindLinesCancelled:      data[events.LinesCancelled],
	events.KindOrderEdited:         data[events.OrderEdited],
	events.KindBackorderReleased:   data[events.BackorderReleased],
	events.KindShipmentCreated:     data[events.ShipmentCreated],
	events.KindShipmentUpdated:     data[events.ShipmentUpdated],
	events.KindShipmentDelayed:     data[events.ShipmentDelayed],
	events.KindPurchaseOrder:       data[events.PurchaseOrder],
	events.KindReturnRequested:     data[events.ReturnRequested],
	events.KindReturnStatusChanged: data[events.ReturnStatusChanged],
	events.KindReturnReceived:      data[events.ReturnReceived],
	events.KindRefundRequested:     data[events.RefundRequested],
	events.KindRefundSettled:       data[events.RefundSettled],
	events.KindStockChanged:        data[events.StockChanged],
}

// types is the catalogue's event types, sorted.
var types = func() []string {
	out := make([]string, 0, len(catalogue))
	for k := range catalogue {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}()

// EventTypes is the catalogue partners may subscribe to, sorted.
func EventTypes() []string { return slices.Clone(types) }

// checkTypes validates an endpoint's event types: each in the catalogue, none twice. Empty means
// all; the result is sorted.
func checkTypes(in []string) ([]string, error) {
	out := slices.Clone(in)
	slices.Sort(out)
	for i, t := range out {
		if _, ok := catalogue[t]; !ok {
			return nil, fault.New(fault.InvalidArgument, "eventTypes: %q is not an event type partners may subscribe to", t).
				With("eventTypes", types)
		}
		if i > 0 && out[i-1] == t {
			return nil, fault.New(fault.InvalidArgument, "eventTypes: %q twice", t)
		}
	}
	return out, nil
}

func data[P events.Payload](e *ent.Event) (any, error) {
	p, err := events.Decode[P](e)
	if err != nil {
		return nil, err
	}
	return Data[P]{Subject: subjectOf(e), Event: p}, nil
}

// MessageID is the webhook-id of an event: stable across retries and redeliveries.
func MessageID(eventID int64) string { return "evt_" + strconv.FormatInt(eventID, 10) }

func subjectOf(e *ent.Event) Subject {
	return Subject{
		EventID:    MessageID(e.ID),
		Sequence:   e.ID,
		OrderID:    e.OrderID,
		CustomerID: e.CustomerID,
		ChannelID:  e.ChannelID,
		LocationID: e.LocationID,
		VariantID:  e.VariantID,
	}
}

// Body is the JSON body delivered for e.
func Body(e *ent.Event) ([]byte, error) {
	build, ok := catalogue[e.Type]
	if !ok {
		return nil, fmt.Errorf("event %d: %s is not sent to partners", e.ID, e.Type)
	}
	d, err := build(e)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err = enc.Encode(Envelope{Type: e.Type, Timestamp: e.CreatedAt.UTC().Format(time.RFC3339), Version: Version, Data: d})
	if err != nil {
		return nil, fmt.Errorf("event %d: %w", e.ID, err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
