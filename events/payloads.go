package events

import (
	"encoding/json"
	"fmt"

	"github.com/ordo-oms/ordo/ent"
)

// Payload is the typed data of one event kind. Each kind has one Go type here, which its writer
// fills in and its readers get back (Decode), so that no reader looks data up by string keys. The
// JSON keys are those of the stored rows: old rows read back as they were written.
type Payload interface {
	// Kind is the event's type, e.g. "order.placed".
	Kind() string
}

// The event kinds.
const (
	KindOrderPlaced        = "order.placed"
	KindStatusChanged      = "order.status_changed"
	KindOrderRouted        = "order.routed"
	KindAllocationRejected = "order.allocation_rejected"
	KindBackorderReleased  = "order.backorder_released"
	KindChannelUpdated     = "order.channel_updated"
	KindChannelAlert       = "order.channel_alert"
	KindChannelConfirmed   = "order.channel_confirmed"
	KindChannelRefused     = "order.channel_refused"
	KindStockChanged       = "stock.changed"
	KindListingsChanged    = "channel.listings_changed"
	KindOrderRejected      = "channel.order_rejected"
	KindTokensRefreshed    = "channel.tokens_refreshed"
	KindAuthFailed         = "channel.auth_failed"
)

// OrderPlaced records a new order, channel orders included.
type OrderPlaced struct {
	Status   string `json:"status"`
	Number   string `json:"number"`
	Total    int64  `json:"total"`
	Currency string `json:"currency"`
	Lines    int    `json:"lines"`
}

// StatusChanged records one lifecycle transition and the command that made it. A transition made to
// follow a channel carries what the channel said.
type StatusChanged struct {
	Command        string `json:"command"`
	From           string `json:"from"`
	To             string `json:"to"`
	Reason         string `json:"reason,omitempty"`
	Carrier        string `json:"carrier,omitempty"`
	TrackingNumber string `json:"trackingNumber,omitempty"`
	ChannelStatus  string `json:"channelStatus,omitempty"`
	Normalized     string `json:"normalized,omitempty"`
}

// OrderRouted records a routing decision (its trace is stored beside the order).
type OrderRouted struct {
	Outcome          string `json:"outcome"`
	Shipments        int    `json:"shipments"`
	BackorderedUnits int64  `json:"backorderedUnits"`
	Cost             int64  `json:"cost"`
}

// AllocationRejected records a location's refusal of its allocation; the order is re-routed.
type AllocationRejected struct {
	AllocationID string `json:"allocationID"`
	LocationID   string `json:"locationID"`
	Reason       string `json:"reason"`
}

// BackorderReleased records units of a backordered order placed when stock arrived.
type BackorderReleased struct {
	Units  int64  `json:"units"`
	Status string `json:"status"`
}

// ChannelUpdated records a new raw channel status that moves nothing in Ordo.
type ChannelUpdated struct {
	ChannelStatus string `json:"channelStatus"`
	Normalized    string `json:"normalized"`
}

// ChannelAlert records something of a channel order Ordo cannot follow (a status it cannot reach,
// lines naming listings it does not know); someone should look.
type ChannelAlert struct {
	ChannelStatus string `json:"channelStatus,omitempty"`
	Normalized    string `json:"normalized,omitempty"`
	Alert         string `json:"alert"`
	// Unmapped names the order's lines whose listing maps to no SKU (kept without stock).
	Unmapped []string `json:"unmapped,omitempty"`
}

// ChannelConfirmed records that a channel took a shipment or cancellation made in Ordo.
type ChannelConfirmed struct {
	Action string `json:"action"`
}

// ChannelRefused records that a channel refused a shipment or cancellation made in Ordo.
type ChannelRefused struct {
	Action string `json:"action"`
	Reason string `json:"reason,omitempty"`
}

// StockChanged records one change of a stock level and the level right after it.
type StockChanged struct {
	SKU           string `json:"sku"`
	LevelID       string `json:"levelID"`
	Movement      string `json:"kind"` // RECEIPT, RESERVATION, RELEASE, SHIPMENT, ADJUSTMENT, …
	OnHand        int64  `json:"onHand"`
	Reserved      int64  `json:"reserved"`
	SafetyStock   int64  `json:"safetyStock"`
	Available     int64  `json:"available"`
	OnHandDelta   int64  `json:"onHandDelta"`
	ReservedDelta int64  `json:"reservedDelta"`
	Reference     string `json:"reference"`
	// Damaged and Quarantined are the level's non-sellable units (returns), never available; the
	// deltas are this change's.
	Damaged          int64 `json:"damaged,omitempty"`
	Quarantined      int64 `json:"quarantined,omitempty"`
	DamagedDelta     int64 `json:"damagedDelta,omitempty"`
	QuarantinedDelta int64 `json:"quarantinedDelta,omitempty"`
}

// ListingsChanged records that a channel's listings were set; its stock is pushed again.
type ListingsChanged struct{}

// OrderRejected records, once, a channel order Ordo cannot take as it is.
type OrderRejected struct {
	ExternalID string `json:"externalID"`
	Reason     string `json:"reason"`
}

// TokensRefreshed records a refresh of a channel's tokens: the new access token's expiry is on the
// channel.
type TokensRefreshed struct {
	Version int64 `json:"version"` // the channel's credentials version after the refresh
}

// AuthFailed is the alert that a channel refused to refresh its tokens (the refresh token expired
// or was revoked): the channel's calls fail until it is connected again.
type AuthFailed struct {
	Error string `json:"error"`
}

// Kind implements Payload.
func (TokensRefreshed) Kind() string { return KindTokensRefreshed }

// Kind implements Payload.
func (AuthFailed) Kind() string { return KindAuthFailed }

// Kind implements Payload.
func (OrderPlaced) Kind() string { return KindOrderPlaced }

// Kind implements Payload.
func (StatusChanged) Kind() string { return KindStatusChanged }

// Kind implements Payload.
func (OrderRouted) Kind() string { return KindOrderRouted }

// Kind implements Payload.
func (AllocationRejected) Kind() string { return KindAllocationRejected }

// Kind implements Payload.
func (BackorderReleased) Kind() string { return KindBackorderReleased }

// Kind implements Payload.
func (ChannelUpdated) Kind() string { return KindChannelUpdated }

// Kind implements Payload.
func (ChannelAlert) Kind() string { return KindChannelAlert }

// Kind implements Payload.
func (ChannelConfirmed) Kind() string { return KindChannelConfirmed }

// Kind implements Payload.
func (ChannelRefused) Kind() string { return KindChannelRefused }

// Kind implements Payload.
func (StockChanged) Kind() string { return KindStockChanged }

// Kind implements Payload.
func (ListingsChanged) Kind() string { return KindListingsChanged }

// Kind implements Payload.
func (OrderRejected) Kind() string { return KindOrderRejected }

// Decode reads e's data as the payload type P, which must be the type of e's kind.
func Decode[P Payload](e *ent.Event) (P, error) {
	var p P
	if e.Type != p.Kind() {
		return p, fmt.Errorf("event %d is %s, not %s", e.ID, e.Type, p.Kind())
	}
	if len(e.Data) == 0 {
		return p, nil
	}
	b, err := json.Marshal(e.Data)
	if err != nil {
		return p, fmt.Errorf("event %d: %w", e.ID, err)
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("event %d: %s data: %w", e.ID, e.Type, err)
	}
	return p, nil
}
