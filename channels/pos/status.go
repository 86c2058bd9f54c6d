package pos

import (
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// Fulfillment is what the status table reads of one Square fulfillment: its type (PICKUP,
// SHIPMENT, DELIVERY) and state (PROPOSED, RESERVED, PREPARED, COMPLETED, CANCELED, FAILED).
type Fulfillment struct {
	Type, State string
}

// orderStates maps an order's state (channels.md §6, §8). An OPEN order is refined by its
// fulfillments.
var orderStates = map[string]channels.Status{
	"DRAFT":     channels.PendingPayment,
	"OPEN":      channels.Confirmed,
	"COMPLETED": channels.Completed,
	"CANCELED":  channels.Cancelled,
}

// fulfillmentStates maps a fulfillment's state. RESERVED and PREPARED are the seller's own progress
// (Ordo's allocation and packing), so they stay CONFIRMED; COMPLETED is read with the type.
var fulfillmentStates = map[string]channels.Status{
	"PROPOSED":  channels.Confirmed,
	"RESERVED":  channels.Confirmed,
	"PREPARED":  channels.Confirmed,
	"COMPLETED": channels.Shipped,
	"CANCELED":  channels.Cancelled,
	"FAILED":    channels.Exception,
}

// handover lists the fulfillment types whose completion puts the goods in the buyer's hands:
// a pickup collected at the counter, a local delivery made. A completed SHIPMENT is with the carrier.
var handover = map[string]bool{"PICKUP": true, "DELIVERY": true, "SHIPMENT": false}

// MapStatus derives Ordo's status from a Square order's state and fulfillments. DRAFT is awaiting
// payment, COMPLETED and CANCELED are terminal; an OPEN order is CONFIRMED until its fulfillments
// say more, ignoring cancelled ones: any FAILED one is an EXCEPTION, any COMPLETED one means SHIPPED,
// and all of them completed by pickup or delivery means DELIVERED; an order whose every fulfillment
// was cancelled is CANCELLED. A state, type or fulfillment state no table knows yields
// channels.Unknown, never an error.
func MapStatus(state string, fs []Fulfillment) channels.Status {
	st, ok := orderStates[strings.ToUpper(state)]
	if !ok {
		return channels.Unknown
	}
	if st != channels.Confirmed {
		return st
	}
	active, completed, failed, shipped := 0, 0, false, false
	for _, f := range fs {
		fst, ok := fulfillmentStates[strings.ToUpper(f.State)]
		toBuyer, typeOK := handover[strings.ToUpper(f.Type)]
		switch {
		case !ok || !typeOK:
			return channels.Unknown
		case fst == channels.Cancelled:
			continue
		case fst == channels.Exception:
			failed = true
		case fst == channels.Shipped:
			completed++
			shipped = shipped || !toBuyer
		}
		active++
	}
	switch {
	case len(fs) > 0 && active == 0:
		return channels.Cancelled
	case failed:
		return channels.Exception
	case completed == 0:
		return channels.Confirmed
	case completed == active && !shipped:
		return channels.Delivered
	}
	return channels.Shipped
}

// RawStatus is the status as Ordo keeps it beside the normalized one: the order state, then each
// fulfillment as TYPE:STATE, e.g. "OPEN/SHIPMENT:PROPOSED".
func RawStatus(state string, fs []Fulfillment) string {
	if len(fs) == 0 {
		return state
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Type + ":" + f.State
	}
	return state + "/" + strings.Join(parts, ",")
}
