package pos

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// squareVector is the Square entry of testdata/signature_test_vectors.json: the official
// square-python-sdk test constant, reproduced (VERIFIED).
type squareVector struct {
	Secret   string `json:"secret"`
	URL      string `json:"notification_url"`
	RawBody  string `json:"raw_body"`
	Expected string `json:"expected"`
	Status   string `json:"status"`
}

func vector(t testing.TB) squareVector {
	t.Helper()
	var f struct {
		Vectors []struct {
			Channel string `json:"channel"`
			squareVector
		} `json:"vectors"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "signature_test_vectors.json"), &f))
	for _, v := range f.Vectors {
		if v.Channel == "square" {
			return v.squareVector
		}
	}
	t.Fatal("no square vector")
	return squareVector{}
}

var now = time.Date(2026, 11, 11, 12, 0, 0, 0, time.UTC)

func TestSignVerifiedVector(t *testing.T) {
	v := vector(t)
	require.Contains(t, v.Status, "VERIFIED")
	require.Equal(t, "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=", v.Expected, "the file and channels.md agree")
	require.Equal(t, v.Expected, Sign(v.Secret, v.URL, []byte(v.RawBody)))
}

func TestVerify(t *testing.T) {
	v := vector(t)
	body := []byte(v.RawBody)
	hdr := func(k, val string) http.Header { return http.Header{k: {val}} }
	tests := []struct {
		name   string
		h      http.Header
		url    string
		body   []byte
		secret string
		want   error
	}{
		{"verified vector", hdr(HeaderSignature, v.Expected), v.URL, body, v.Secret, nil},
		{"as sent, lower case, through net/http", func() http.Header { h := http.Header{}; h.Set("x-square-hmacsha256-signature", v.Expected); return h }(), v.URL, body, v.Secret, nil},
		{"lower-case map key", hdr("x-square-hmacsha256-signature", v.Expected), v.URL, body, v.Secret, nil},
		{"missing", http.Header{}, v.URL, body, v.Secret, channels.ErrUnsigned},
		{"legacy SHA-1 header only", hdr("X-Square-Signature", v.Expected), v.URL, body, v.Secret, channels.ErrUnsigned},
		{"wrong key", hdr(HeaderSignature, v.Expected), v.URL, body, v.Secret + "x", channels.ErrBadSignature},
		{"other URL", hdr(HeaderSignature, v.Expected), v.URL + "/", body, v.Secret, channels.ErrBadSignature},
		{"body alone is not what is signed", hdr(HeaderSignature, Sign(v.Secret, "", body)), v.URL, body, v.Secret, channels.ErrBadSignature},
		{"tampered body", hdr(HeaderSignature, v.Expected), v.URL, append([]byte(v.RawBody[:len(v.RawBody)-1]), ' ', '}'), v.Secret, channels.ErrBadSignature},
		{"no key configured", hdr(HeaderSignature, Sign("", v.URL, body)), v.URL, body, "", channels.ErrBadSignature},
		{"no URL configured", hdr(HeaderSignature, Sign(v.Secret, "", body)), "", body, v.Secret, channels.ErrBadSignature},
		{"not base64", hdr(HeaderSignature, "not*base64"), v.URL, body, v.Secret, channels.ErrBadSignature},
		{"truncated", hdr(HeaderSignature, v.Expected[:20]), v.URL, body, v.Secret, channels.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Webhooks{URL: tt.url}.Verify(tt.h, tt.body, tt.secret, now)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want channels.Notification
	}{
		{"order.created (API orders only)", fixture(t, "apijson_example_OrderCreatedEvent.json"), channels.Notification{
			Topic: "order.created", ShopID: "FPYCBCHYMXFK1", OrderIDs: []string{"eA3vssLHKJrv9H0IdJCM3gNqfdcZY"}, DeliveryID: "116038d3-2948-439f-8679-fc86dbf80f69",
		}},
		{"order.fulfillment.updated", fixture(t, "apijson_example_OrderFulfillmentUpdatedEvent.json"), channels.Notification{
			Topic: "order.fulfillment.updated", ShopID: "FPYCBCHYMXFK1", OrderIDs: []string{"eA3vssLHKJrv9H0IdJCM3gNqfdcZY"}, DeliveryID: "b3adf364-4937-436e-a833-49c72b4baee8",
		}},
		{"order.updated, id only in the object", []byte(`{"merchant_id":"5S9MXCS9Y99KK","type":"order.updated","event_id":"e1","created_at":"2026-11-11T00:00:00Z","data":{"type":"order_updated","object":{"order_updated":{"order_id":"O1","location_id":"L1","state":"OPEN","version":2}}}}`), channels.Notification{
			Topic: "order.updated", ShopID: "L1", OrderIDs: []string{"O1"}, DeliveryID: "e1",
		}},
		{"a test notification names no order", []byte(vector(t).RawBody), channels.Notification{
			Topic: "webhooks.test_notification", DeliveryID: "ac3ac95b-f97d-458c-a6e6-18981597e05f",
		}},
		{"other events keep their type", []byte(`{"type":"payment.created","event_id":"e2","data":{"type":"payment","id":"P1","object":{"payment":{"order_id":"O9"}}}}`), channels.Notification{
			Topic: "payment.created", DeliveryID: "e2",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Webhooks{}.Parse(nil, tt.body)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, body := range []string{
		``, `{`, `[]`, `{"type":1}`, `{"event_id":"e"}`,
		`{"type":"order.updated","data":{"type":"order_updated","object":{}}}`,
		`{"type":"order.updated"}`,
		`{"type":"order.updated","data":{"type":"order_updated","object":{"order_updated":[1]}}}`,
	} {
		t.Run(body, func(t *testing.T) {
			_, err := Webhooks{}.Parse(nil, []byte(body))
			require.Error(t, err)
		})
	}
}
