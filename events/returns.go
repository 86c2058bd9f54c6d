package events

import (
	"strings"

	"github.com/ordo-oms/ordo/ent"
)

// The kinds of return events. Each carries the return's id (returnID); the event's order is the
// return's order, so that the order's timeline shows it, and its location the location concerned
// (where units were received or dispositioned, else where they are expected).
const (
	KindReturnRequested     = "return.requested"
	KindReturnStatusChanged = "return.status_changed"
	KindReturnReceived      = "return.received"
	KindReturnDispositioned = "return.dispositioned"
)

// ReturnRequested records a new return (or claim) of some units of an order.
type ReturnRequested struct {
	ReturnID   string `json:"returnID"`
	Number     string `json:"number"`
	ReturnKind string `json:"kind"`
	Origin     string `json:"origin"`
	Resolution string `json:"resolution"`
	Status     string `json:"status"`
	Units      int64  `json:"units"`
	Lines      int    `json:"lines"`
	ReasonCode string `json:"reasonCode,omitempty"`
}

// ReturnStatusChanged records one step of a return's lifecycle and the command that made it.
type ReturnStatusChanged struct {
	ReturnID string `json:"returnID"`
	Command  string `json:"command"`
	From     string `json:"from"`
	To       string `json:"to"`
	Reason   string `json:"reason,omitempty"`
}

// ReturnReceived records units of a return that arrived at a location (one parcel, or part of one).
type ReturnReceived struct {
	ReturnID   string             `json:"returnID"`
	LocationID string             `json:"locationID"`
	Units      int64              `json:"units"`
	Lines      []ReturnLineAmount `json:"lines"`
}

// ReturnLineAmount is a quantity of one return line.
type ReturnLineAmount struct {
	ReturnLineID string `json:"returnLineID"`
	SKU          string `json:"sku"`
	Quantity     int64  `json:"quantity"`
}

// ReturnDispositioned records what became of some received units of a return line: back on sale,
// damaged, quarantined, missing or written off. From names the disposition it re-dispositions.
type ReturnDispositioned struct {
	ReturnID      string `json:"returnID"`
	DispositionID string `json:"dispositionID"`
	ReturnLineID  string `json:"returnLineID"`
	SKU           string `json:"sku"`
	Disposition   string `json:"kind"`
	Quantity      int64  `json:"quantity"`
	LocationID    string `json:"locationID,omitempty"`
	FromID        string `json:"fromID,omitempty"`
	Note          string `json:"note,omitempty"`
}

// Kind implements Payload.
func (ReturnRequested) Kind() string { return KindReturnRequested }

// Kind implements Payload.
func (ReturnStatusChanged) Kind() string { return KindReturnStatusChanged }

// Kind implements Payload.
func (ReturnReceived) Kind() string { return KindReturnReceived }

// Kind implements Payload.
func (ReturnDispositioned) Kind() string { return KindReturnDispositioned }

// IsReturn reports whether events of kind concern a return or a refund (return.*, refund.*).
func IsReturn(kind string) bool {
	return strings.HasPrefix(kind, "return.") || strings.HasPrefix(kind, "refund.")
}

// ReturnOf is the id of the return an event concerns (every return payload carries it as returnID,
// and so do refund payloads of a return), or "" for other events.
func ReturnOf(e *ent.Event) string {
	if !IsReturn(e.Type) {
		return ""
	}
	id, _ := e.Data["returnID"].(string)
	return id
}
