package fulfilment

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/shipment"
)

func TestExpired(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	for _, tc := range []struct {
		name    string
		status  shipment.Status
		expires *time.Time
		want    bool
	}{
		{"past its hold", shipment.StatusREADY_FOR_PICKUP, at(-time.Second), true},
		{"exactly at its hold", shipment.StatusREADY_FOR_PICKUP, at(0), true},
		{"within its hold", shipment.StatusREADY_FOR_PICKUP, at(time.Hour), false},
		{"no hold recorded", shipment.StatusREADY_FOR_PICKUP, nil, false},
		{"collected", shipment.StatusCOLLECTED, at(-time.Hour), false},
		{"cancelled", shipment.StatusCANCELLED, at(-time.Hour), false},
		{"not yet ready", shipment.StatusOPEN, at(-time.Hour), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Expired(&ent.Shipment{Status: tc.status, PickupExpiresAt: tc.expires}, now))
		})
	}
}
