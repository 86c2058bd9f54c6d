package shopify

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// Three fulfillments of one order: one cancelled carrying KER1, one carrying KER1 (its only
// tracking number in tracking_numbers), one carrying TH9 and TH10.
const fulfillments = `{"fulfillments":[
	{"id":255858046,"status":"cancelled","tracking_number":"KER1","tracking_numbers":["KER1"]},
	{"id":255858047,"status":"success","tracking_number":null,"tracking_numbers":["KER1"]},
	{"id":255858048,"status":"success","tracking_number":"TH9","tracking_numbers":["TH9","TH10"]}]}`

func TestCarrying(t *testing.T) {
	fs, err := parseFulfillments([]byte(fulfillments))
	require.NoError(t, err)
	for _, tt := range []struct {
		name     string
		tracking []string
		want     string
	}{
		{"the live fulfillment, not the cancelled one", []string{"KER1"}, "255858047"},
		{"a second tracking number", []string{"TH10"}, "255858048"},
		{"the first tracking number that matches", []string{"NOPE", "TH9"}, "255858048"},
		{"none carries it", []string{"NOPE"}, ""},
		{"an empty number matches nothing", []string{""}, ""},
		{"no number", nil, ""},
	} {
		require.Equal(t, tt.want, carrying(fs, tt.tracking), tt.name)
	}
}

func TestTrackingNumbers(t *testing.T) {
	require.Equal(t, []string{"A", "B"}, trackingNumbers(channels.Delivery{TrackingNumber: "A",
		Packages: []channels.Package{{TrackingNumber: "A"}, {}, {TrackingNumber: "B"}}}))
	require.Empty(t, trackingNumbers(channels.Delivery{Packages: []channels.Package{{}}}))
}

func FuzzFulfillments(f *testing.F) {
	f.Add([]byte(fulfillments))
	f.Add([]byte(`{"fulfillments":[null,{"id":"x","tracking_numbers":[null]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fs, err := parseFulfillments(body)
		if err != nil {
			return
		}
		id := carrying(fs, []string{"KER1", "TH9"})
		if id == "" {
			return
		}
		for _, fu := range fs {
			if fu.ID.String() == id {
				return
			}
		}
		t.Fatalf("carrying returned %q, no fulfillment's id", id)
	})
}
