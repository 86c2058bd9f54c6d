package fulfilment_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/fulfilment"
)

func TestLateRisk(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	at := func(h int) *time.Time { v := now.Add(time.Duration(h) * time.Hour); return &v }
	cases := []struct {
		name    string
		f       fulfilment.Facts
		late    bool
		reason  string
		promise time.Time
	}{
		{"on time", fulfilment.Facts{Status: shipment.StatusIN_TRANSIT, PromisedTo: at(48), Estimate: at(24), LastScan: at(-2)}, false, "", time.Time{}},
		{"estimate past the promise: promised the estimate", fulfilment.Facts{Status: shipment.StatusIN_TRANSIT, PromisedTo: at(24), Estimate: at(72), LastScan: at(-2)},
			true, fulfilment.LateEstimate, *at(72)},
		{"estimate on the promise is not late", fulfilment.Facts{Status: shipment.StatusIN_TRANSIT, PromisedTo: at(24), Estimate: at(24), LastScan: at(-2)}, false, "", time.Time{}},
		{"the estimate slips again after a re-promise", fulfilment.Facts{Status: shipment.StatusIN_TRANSIT, PromisedTo: at(72), Estimate: at(96), LastScan: at(-2),
			LateRisk: true, LateReason: fulfilment.LateEstimate}, true, fulfilment.LateEstimate, *at(96)},
		{"silent lane past the default gap: now plus the transit left at the last scan", fulfilment.Facts{Status: shipment.StatusIN_TRANSIT, PromisedTo: at(-10), LastScan: at(-50)},
			true, fulfilment.LateSilent, now.Add(40 * time.Hour)},
		{"silent since shipping, no scan at all", fulfilment.Facts{Status: shipment.StatusSHIPPED, PromisedTo: at(10), ShippedAt: at(-30), ScanGap: 24 * time.Hour},
			true, fulfilment.LateSilent, now.Add(40 * time.Hour)},
		{"silent lane within the account's gap", fulfilment.Facts{Status: shipment.StatusIN_TRANSIT, PromisedTo: at(48), LastScan: at(-50), ScanGap: 72 * time.Hour}, false, "", time.Time{}},
		{"silent lane already raised", fulfilment.Facts{Status: shipment.StatusIN_TRANSIT, PromisedTo: at(48), LastScan: at(-50), LateRisk: true, LateReason: fulfilment.LateSilent},
			false, "", time.Time{}},
		{"a re-promise is at least a day after the old promise", fulfilment.Facts{Status: shipment.StatusIN_TRANSIT, PromisedTo: at(100), Delay: true},
			true, fulfilment.LateCarrierDelay, now.Add(124 * time.Hour)},
		{"no promise: a default transit", fulfilment.Facts{Status: shipment.StatusIN_TRANSIT, LastScan: at(-50)}, true, fulfilment.LateSilent, now.Add(72 * time.Hour)},
		{"a delay subtag, with a carrier estimate", fulfilment.Facts{Status: shipment.StatusIN_TRANSIT, PromisedTo: at(24), Estimate: at(20), LastScan: at(-1), Tag: "InTransit", Subtag: "Exception_004"},
			true, fulfilment.LateCarrierDelay, now.Add(25 * time.Hour)},
		{"the source's delay flag", fulfilment.Facts{Status: shipment.StatusIN_TRANSIT, PromisedTo: at(24), LastScan: at(-1), Delay: true},
			true, fulfilment.LateCarrierDelay, now.Add(25 * time.Hour)},
		{"a failed attempt", fulfilment.Facts{Status: shipment.StatusATTEMPT_FAILED, PromisedTo: at(24), Estimate: at(48), LastScan: at(-1), Tag: "AttemptFail"},
			true, fulfilment.LateEstimate, *at(48)},
		{"an exception already raised", fulfilment.Facts{Status: shipment.StatusEXCEPTION, PromisedTo: at(24), LastScan: at(-1), Tag: "Exception", LateRisk: true, LateReason: fulfilment.LateCarrierDelay},
			false, "", time.Time{}},
		{"a return to sender is no delay", fulfilment.Facts{Status: shipment.StatusEXCEPTION, PromisedTo: at(24), LastScan: at(-1), Tag: "Exception", ReturnExpected: true}, false, "", time.Time{}},
		{"delivered", fulfilment.Facts{Status: shipment.StatusDELIVERED, PromisedTo: at(-24), Estimate: at(-1), LastScan: at(-100)}, false, "", time.Time{}},
		{"still at its origin", fulfilment.Facts{Status: shipment.StatusREADY, PromisedTo: at(-24)}, false, "", time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			late, reason, promise := fulfilment.LateRisk(tc.f, now)
			require.Equal(t, tc.late, late)
			require.Equal(t, tc.reason, reason)
			require.True(t, tc.promise.Equal(promise), "new promise %v, want %v", promise, tc.promise)
		})
	}
}

func TestDeadline(t *testing.T) {
	shipBy := time.Date(2026, 3, 10, 18, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		cur  shipment.DeadlineAlert
		now  time.Time
		next shipment.DeadlineAlert
		ok   bool
	}{
		{"well before", shipment.DeadlineAlertNONE, shipBy.Add(-7 * time.Hour), shipment.DeadlineAlertNONE, false},
		{"the alert window opens", shipment.DeadlineAlertNONE, shipBy.Add(-6 * time.Hour), shipment.DeadlineAlertWARNED, true},
		{"warned once", shipment.DeadlineAlertWARNED, shipBy.Add(-time.Hour), shipment.DeadlineAlertWARNED, false},
		{"at the deadline it is not missed yet", shipment.DeadlineAlertWARNED, shipBy, shipment.DeadlineAlertWARNED, false},
		{"missed", shipment.DeadlineAlertWARNED, shipBy.Add(time.Second), shipment.DeadlineAlertMISSED, true},
		{"missed without a warning (the sweep was late)", shipment.DeadlineAlertNONE, shipBy.Add(time.Hour), shipment.DeadlineAlertMISSED, true},
		{"missed once", shipment.DeadlineAlertMISSED, shipBy.Add(time.Hour), shipment.DeadlineAlertMISSED, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			next, ok := fulfilment.Deadline(tc.cur, shipBy, 6*time.Hour, tc.now)
			require.Equal(t, tc.next, next)
			require.Equal(t, tc.ok, ok)
		})
	}
}
