package facebook

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Numbers sent as strings and strings as numbers: ids, quantities and amounts read alike.
func TestNormalizeOrderQuotedNumbers(t *testing.T) {
	for _, body := range []string{
		`{"id":"368508827392800","created":"2026-11-11T00:00:00+0000","order_status":{"state":"CREATED"},
		  "estimated_payment_details":{"total_amount":{"amount":"580.00","currency":"THB"}},
		  "items":{"data":[{"id":"1","retailer_id":"TEE-M","quantity":2,"price_per_unit":{"amount":"290.00","currency":"THB"}}]}}`,
		`{"id":368508827392800,"created":"2026-11-11T00:00:00+0000","order_status":{"state":"CREATED"},
		  "estimated_payment_details":{"total_amount":{"amount":580,"currency":"THB"}},
		  "items":{"data":[{"id":1,"retailer_id":"TEE-M","quantity":"2","price_per_unit":{"amount":290.0,"currency":"THB"}}]}}`,
	} {
		o, err := NormalizeOrder([]byte(body))
		require.NoError(t, err, body)
		require.Equal(t, "368508827392800", o.ExternalID, body)
		require.Equal(t, int64(58000), o.Total, body)
		require.Len(t, o.Lines, 1, body)
		require.Equal(t, int64(2), o.Lines[0].Quantity, body)
		require.Equal(t, int64(29000), o.Lines[0].UnitPrice, body)
	}
}
