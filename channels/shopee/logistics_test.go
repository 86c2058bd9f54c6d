package shopee

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// responseOf reads the response object of a saved Shopee answer.
func responseOf(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var env struct {
		Response json.RawMessage `json:"response"`
	}
	require.NoError(t, json.Unmarshal(raw, &env))
	return env.Response
}

func TestShippingParameterFixture(t *testing.T) {
	p, err := parseShippingParameter(responseOf(t, "sample_response_v2.logistics.get_shipping_parameter.extracted.json"))
	require.NoError(t, err)
	require.Equal(t, []string{"address_id", "pickup_time_id"}, p.InfoNeeded["pickup"])
	require.Len(t, p.Pickup.AddressList, 2)
	// The sample's pickup address has no time slot, which pickup_time_id needs.
	_, err = chooseShipping(p, "")
	require.ErrorIs(t, err, channels.ErrRefused)
	require.ErrorContains(t, err, "no time slot")
	// Dropoff needs nothing there, and is allowed.
	m, err := chooseShipping(p, channels.HandoverDropOff)
	require.NoError(t, err)
	require.Equal(t, shipMethod{Dropoff: map[string]any{}}, m)
}

func TestTrackingNumberFixture(t *testing.T) {
	n, err := parseTrackingNumber(responseOf(t, "sample_response_v2.logistics.get_tracking_number.extracted.json"))
	require.NoError(t, err)
	require.Equal(t, "MY200448706479IT", n)
}

func TestChooseShipping(t *testing.T) {
	param := func(s string) shippingParameter {
		p, err := parseShippingParameter([]byte(s))
		require.NoError(t, err)
		return p
	}
	const pickupOnly = `{"info_needed":{"pickup":["address_id","pickup_time_id"]},"pickup":{"address_list":[
		{"address_id":7,"address_flag":["return_address"],"time_slot_list":[{"pickup_time_id":"r1"}]},
		{"address_id":8,"address_flag":["pickup_address"],"time_slot_list":[{"pickup_time_id":"s1"},{"pickup_time_id":"s2"}]}]}}`
	const both = `{"info_needed":{"pickup":[],"dropoff":["branch_id"]},"dropoff":{"branch_list":[{"branch_id":42},{"branch_id":43}]}}`
	for _, tc := range []struct {
		name, param, handover string
		want                  shipMethod
		refused               bool
	}{
		{name: "pickup address and its first slot", param: pickupOnly, want: shipMethod{Pickup: map[string]any{"address_id": json.Number("8"), "pickup_time_id": "s1"}}},
		{name: "pickup asked", param: pickupOnly, handover: channels.HandoverPickup, want: shipMethod{Pickup: map[string]any{"address_id": json.Number("8"), "pickup_time_id": "s1"}}},
		{name: "dropoff not offered", param: pickupOnly, handover: channels.HandoverDropOff, refused: true},
		{name: "pickup first when both", param: both, want: shipMethod{Pickup: map[string]any{}}},
		{name: "dropoff at the first branch", param: both, handover: channels.HandoverDropOff, want: shipMethod{Dropoff: map[string]any{"branch_id": json.Number("42")}}},
		{name: "dropoff only", param: `{"info_needed":{"dropoff":["slug"]},"dropoff":{"slug_list":[{"slug":"TH-BKK"}]}}`, want: shipMethod{Dropoff: map[string]any{"slug": "TH-BKK"}}},
		{name: "dropoff without the branch it needs", param: `{"info_needed":{"dropoff":["branch_id"]},"dropoff":{"branch_list":[]}}`, refused: true},
		{name: "neither", param: `{"info_needed":{"non_integrated":["tracking_number"]}}`, refused: true},
		{name: "pickup without addresses", param: `{"info_needed":{"pickup":["address_id"]},"pickup":{"address_list":[]}}`, refused: true},
		{name: "address id not a number", param: `{"info_needed":{"pickup":["address_id"]},"pickup":{"address_list":[{"address_id":"x"}]}}`, refused: true},
		{name: "unknown handover", param: pickupOnly, handover: "COURIER", refused: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := chooseShipping(param(tc.param), tc.handover)
			if tc.refused {
				require.ErrorIs(t, err, channels.ErrRefused)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestPackagesFor(t *testing.T) {
	pkgs, err := parsePackageList([]byte(`{"order_list":[{"order_sn":"A","package_list":[
		{"package_number":"P1","item_list":[{"item_id":1,"model_id":10}]},
		{"package_number":"P2","item_list":[{"item_id":2,"model_id":0}]}]}]}`), "A")
	require.NoError(t, err)
	numbers := func(ps []orderPackage) (out []string) {
		for _, p := range ps {
			out = append(out, p.Number.String())
		}
		return out
	}
	require.Equal(t, []string{"P1", "P2"}, numbers(packagesFor(pkgs, nil)))
	require.Equal(t, []string{"P2"}, numbers(packagesFor(pkgs, []channels.ShipmentLine{{ListingID: "2:0"}})))
	require.Equal(t, []string{"P1", "P2"}, numbers(packagesFor(pkgs, []channels.ShipmentLine{{ListingID: "9:9"}})), "lines named nowhere: all")
	_, err = parsePackageList([]byte(`{"order_list":[]}`), "A")
	require.ErrorIs(t, err, channels.ErrRefused)
}

func TestDocResults(t *testing.T) {
	res, err := parseDocResults(PathDocumentResult, []byte(`{"result_list":[{"order_sn":"A","package_number":"P","status":"READY"}]}`))
	require.NoError(t, err)
	require.Equal(t, "READY", res.Status.String())
	_, err = parseDocResults(PathCreateDocument, []byte(`{"result_list":[{"order_sn":"A","fail_error":"logistics.x","fail_message":"no"}]}`))
	require.ErrorIs(t, err, channels.ErrRefused)
	_, err = parseDocResults(PathDocumentResult, []byte(`{"result_list":[{"status":"FAILED"}]}`))
	require.ErrorIs(t, err, channels.ErrRefused)
	_, err = parseDocResults(PathDocumentResult, []byte(`{"result_list":[]}`))
	require.Error(t, err)
}

func FuzzLogistics(f *testing.F) {
	seeds(f)
	for _, s := range []string{`{"info_needed":{"pickup":["address_id","pickup_time_id"]},"pickup":{"address_list":[{"address_id":1,"time_slot_list":[null]}]}}`,
		`{"info_needed":{"dropoff":["branch_id","slug"]},"dropoff":{"branch_list":[{}],"slug_list":[null]}}`,
		`{"order_list":[{"order_sn":"A","package_list":[null,{"item_list":[null]}]}]}`, `{"result_list":[null]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if p, err := parseShippingParameter(raw); err == nil {
			for _, h := range []string{"", channels.HandoverPickup, channels.HandoverDropOff} {
				if m, err := chooseShipping(p, h); err == nil && (m.Pickup == nil) == (m.Dropoff == nil) {
					t.Fatalf("exactly one way to ship, got %+v", m)
				}
			}
		}
		if pkgs, err := parsePackageList(raw, "A"); err == nil {
			_ = packagesFor(pkgs, []channels.ShipmentLine{{ListingID: "1:0"}})
		}
		_, _ = parseTrackingNumber(raw)
		_, _ = parseDocResults(PathDocumentResult, raw)
	})
}
