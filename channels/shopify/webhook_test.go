package shopify

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// The worked example in docs/channels.md §1, computed with Python's hmac.
const (
	exampleSecret = "hush"
	exampleBody   = `{"id":820982911946154508,"name":"#9999"}`
	exampleHMAC   = "YBwnJ9vsibq7srObgXybmGHWuwos+jDEL//7749XS78="
)

var now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func TestSignWorkedExample(t *testing.T) {
	require.Equal(t, exampleHMAC, Sign(exampleSecret, []byte(exampleBody)))
}

func TestSignatureVectorsFile(t *testing.T) {
	// docs/channels.md's shared vector file; its Shopify entry is the worked example.
	raw, err := os.ReadFile(filepath.Join("testdata", "signature_test_vectors.json"))
	require.NoError(t, err)
	var f struct {
		Vectors []struct {
			Channel, Kind, Secret, Computed string
			RawBody                         string `json:"raw_body"`
		} `json:"vectors"`
	}
	require.NoError(t, json.Unmarshal(raw, &f))
	n := 0
	for _, v := range f.Vectors {
		if v.Channel != "shopify" {
			continue
		}
		n++
		require.Equal(t, "webhook_hmac_header", v.Kind)
		require.Equal(t, v.Computed, Sign(v.Secret, []byte(v.RawBody)))
		require.NoError(t, Webhooks{}.Verify(http.Header{HeaderHMAC: {v.Computed}}, []byte(v.RawBody), v.Secret, now))
		require.Equal(t, exampleHMAC, v.Computed, "the file and channels.md agree")
	}
	require.Equal(t, 1, n)
}

func TestVerify(t *testing.T) {
	body := []byte(exampleBody)
	tests := []struct {
		name   string
		header http.Header
		body   []byte
		secret string
		want   error
	}{
		{"worked example", http.Header{"X-Shopify-Hmac-Sha256": {exampleHMAC}}, body, exampleSecret, nil},
		{"canonicalized by net/http", hdr("x-shopify-hmac-sha256", exampleHMAC), body, exampleSecret, nil},
		{"without X- prefix", hdr("shopify-hmac-sha256", exampleHMAC), body, exampleSecret, nil},
		{"lower-case map key", http.Header{"x-shopify-hmac-sha256": {exampleHMAC}}, body, exampleSecret, nil},
		{"surrounding spaces", hdr(HeaderHMAC, " "+exampleHMAC+" "), body, exampleSecret, nil},
		{"missing", http.Header{}, body, exampleSecret, channels.ErrUnsigned},
		{"empty value", hdr(HeaderHMAC, ""), body, exampleSecret, channels.ErrUnsigned},
		{"wrong secret", hdr(HeaderHMAC, exampleHMAC), body, "hushh", channels.ErrBadSignature},
		{"no secret configured", hdr(HeaderHMAC, Sign("", body)), body, "", channels.ErrBadSignature},
		{"tampered body", hdr(HeaderHMAC, exampleHMAC), []byte(`{"id":820982911946154509,"name":"#9999"}`), exampleSecret, channels.ErrBadSignature},
		{"re-serialized body", hdr(HeaderHMAC, exampleHMAC), []byte(`{"id": 820982911946154508, "name": "#9999"}`), exampleSecret, channels.ErrBadSignature},
		{"not base64", hdr(HeaderHMAC, "not*base64"), body, exampleSecret, channels.ErrBadSignature},
		{"hex instead of base64", hdr(HeaderHMAC, "601c2727dbec89babbb2b39b5f8c9b9861d6bb0a2cfa30c42fffbbef8f574bbf"), body, exampleSecret, channels.ErrBadSignature},
		{"truncated", hdr(HeaderHMAC, exampleHMAC[:20]), body, exampleSecret, channels.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Webhooks{}.Verify(tt.header, tt.body, tt.secret, now)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestParseOrderWebhookFixture(t *testing.T) {
	body := payload(t, "webhook_2026-04_orders_create.metadata.json")
	h := hdr(HeaderTopic, "orders/create", HeaderShopDomain, "jsmith.myshopify.com",
		HeaderWebhookID, "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", HeaderHMAC, Sign("s3cret", body))
	require.NoError(t, Webhooks{}.Verify(h, body, "s3cret", now))
	n, err := Webhooks{}.Parse(h, body)
	require.NoError(t, err)
	require.Equal(t, "orders/create", n.Topic)
	require.Equal(t, "jsmith.myshopify.com", n.ShopID)
	require.Equal(t, "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", n.DeliveryID)
	require.Equal(t, []string{"820982911946154508"}, n.OrderIDs)
	require.NotNil(t, n.Order)
	require.Equal(t, "jsmith.myshopify.com", n.Order.ShopID)
	require.Equal(t, channels.Cancelled, n.Order.Status)
	require.Len(t, n.Order.Lines, 5)
}

func TestParse(t *testing.T) {
	fulfillment := payload(t, "webhook_2026-04_fulfillments_create.metadata.json")
	routing := payload(t, "webhook_2026-04_fulfillment_orders_order_routing_complete.metadata.json")
	inventory := payload(t, "webhook_2024-01_inventory_levels_update.metadata.json")
	tests := []struct {
		name, topic string
		body        []byte
		ids         []string
		order       bool
		bad         bool
	}{
		{"every orders topic carries the order", "orders/updated", []byte(exampleBody), []string{"820982911946154508"}, true, false},
		{"topic header without X-", "", []byte(exampleBody), []string{"820982911946154508"}, true, false},
		{"orders/delete has only the id", "orders/delete", []byte(`{"id":820982911946154508}`), []string{"820982911946154508"}, false, false},
		{"orders/edited names the order it edited", "orders/edited", []byte(`{"order_edit":{"id":78912328,"order_id":450789469,` +
			`"committed_at":"2026-12-07T10:00:00-05:00","line_items":{"additions":[{"id":466157049,"delta":1}],"removals":[]}}}`),
			[]string{"450789469"}, false, false},
		{"orders/edited not JSON", "orders/edited", []byte(`{`), nil, false, true},
		{"fulfillment names its order", "fulfillments/create", fulfillment, []string{"820982911946154500"}, false, false},
		{"fulfillment order has no order id", "fulfillment_orders/order_routing_complete", routing, nil, false, false},
		{"inventory level", "inventory_levels/update", inventory, nil, false, false},
		{"unknown topic keeps the topic", "app/uninstalled", []byte(`not json`), nil, false, false},
		{"order body not JSON", "orders/create", []byte(`{"id":`), nil, false, true},
		{"order body with a bad amount", "orders/paid", []byte(`{"total_price":"a"}`), nil, false, true},
		{"fulfillment body not JSON", "fulfillments/update", []byte(`[`), nil, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := hdr(HeaderTopic, tt.topic, HeaderShopDomain, "s.myshopify.com", HeaderWebhookID, "d-1")
			if tt.topic == "" {
				h = hdr("Shopify-Topic", "orders/paid", "Shopify-Shop-Domain", "s.myshopify.com", "Shopify-Webhook-Id", "d-1")
			}
			n, err := Webhooks{}.Parse(h, tt.body)
			if tt.bad {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "s.myshopify.com", n.ShopID)
			require.Equal(t, "d-1", n.DeliveryID)
			require.Equal(t, tt.ids, n.OrderIDs)
			require.Equal(t, tt.order, n.Order != nil)
		})
	}
}

func TestParseWithoutTopic(t *testing.T) {
	_, err := Webhooks{}.Parse(http.Header{}, []byte(exampleBody))
	require.ErrorIs(t, err, ErrNoTopic)
}
