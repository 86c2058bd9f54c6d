package tiktokshop

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func header(sig string) http.Header {
	h := http.Header{}
	if sig != "" {
		h.Set("Authorization", sig)
	}
	return h
}

func TestVerifyWebhook(t *testing.T) {
	v := vectors(t, "webhook_authorization_header")[0]
	body := []byte(v.RawBody)
	require.Equal(t, v.Computed, WebhookSignature(v.AppKey, v.Secret, body))

	w := Webhooks{AppKey: v.AppKey}
	sent := time.Unix(1664095733, 0) // the body's timestamp
	tests := []struct {
		name   string
		w      Webhooks
		sig    string
		body   []byte
		secret string
		now    time.Time
		want   error
	}{
		{"the vector, a minute after sending", w, v.Computed, body, v.Secret, sent.Add(time.Minute), nil},
		{"the last retry, 12 h later", w, v.Computed, body, v.Secret, sent.Add(15 * time.Hour), nil},
		{"uppercase hex", w, strings.ToUpper(v.Computed), body, v.Secret, sent, nil},
		{"unsigned", w, "", body, v.Secret, sent, channels.ErrUnsigned},
		{"wrong signature", w, strings.Repeat("ab", 32), body, v.Secret, sent, channels.ErrBadSignature},
		{"truncated signature", w, v.Computed[:62], body, v.Secret, sent, channels.ErrBadSignature},
		{"not hex", w, "Bearer x", body, v.Secret, sent, channels.ErrBadSignature},
		{"wrong secret", w, v.Computed, body, "app_secret", sent, channels.ErrBadSignature},
		{"wrong app key", Webhooks{AppKey: "other"}, v.Computed, body, v.Secret, sent, channels.ErrBadSignature},
		{"tampered body", w, v.Computed, []byte(strings.Replace(v.RawBody, "AWAITING_SHIPMENT", "CANCEL", 1)), v.Secret, sent, channels.ErrBadSignature},
		{"stale", w, v.Computed, body, v.Secret, sent.Add(DefaultMaxAge + time.Second), channels.ErrStale},
		{"stale under a shorter window", Webhooks{AppKey: v.AppKey, MaxAge: time.Minute}, v.Computed, body, v.Secret, sent.Add(2 * time.Minute), channels.ErrStale},
		{"from the future", w, v.Computed, body, v.Secret, sent.Add(-10 * time.Minute), channels.ErrStale},
		{"no secret configured", w, v.Computed, body, "", sent, channels.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.w.Verify(header(tt.sig), tt.body, tt.secret, tt.now)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}

	noTime := []byte(`{"type":1,"shop_id":"1","data":{"order_id":"2"}}`)
	require.ErrorIs(t, w.Verify(header(WebhookSignature(v.AppKey, v.Secret, noTime)), noTime, v.Secret, sent), channels.ErrStale)
}

func TestParseWebhook(t *testing.T) {
	const shop, delivery, order = "7494049642642441621", "7327112393057371910", "576486316948490001"
	tests := []struct {
		file string
		want channels.Notification
	}{
		{"docs_example_webhook_1-order-status-change.json", channels.Notification{
			Topic: "ORDER_STATUS_CHANGE:UNPAID", ShopID: shop, OrderIDs: []string{order}, DeliveryID: delivery}},
		{"docs_example_webhook_11-cancellation-status-change.json", channels.Notification{
			Topic: "CANCELLATION_STATUS_CHANGE:CANCELLATION_REQUEST_PENDING", ShopID: shop, OrderIDs: []string{order}, DeliveryID: delivery}},
		{"docs_example_webhook_12-return-status-change.repaired.json", channels.Notification{
			Topic: "RETURN_STATUS_CHANGE:RETURN_OR_REFUND_REQUEST_PENDING", ShopID: shop, OrderIDs: []string{order}, ReturnIDs: []string{order}, DeliveryID: delivery}},
		// type 3 has no tts_notification_id in the sample.
		{"docs_example_webhook_3-recipient-address-update.json", channels.Notification{
			Topic: "RECIPIENT_ADDRESS_UPDATE", ShopID: shop, OrderIDs: []string{order}}},
		{"docs_example_webhook_4-package-update.json", channels.Notification{
			Topic: "PACKAGE_UPDATE:COMBINE", ShopID: shop, OrderIDs: []string{"152523", "532123"}, DeliveryID: delivery}},
		{"docs_example_webhook_27-inventory-status-change.repaired.json", channels.Notification{
			Topic: "INVENTORY_STATUS_CHANGE:LOW_STOCK", ShopID: shop, DeliveryID: delivery}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Webhooks{}.Parse(nil, fixture(t, tt.file))
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseWebhookRefuses(t *testing.T) {
	for name, body := range map[string]string{
		"type 12 as published (missing comma)":  string(fixture(t, "docs_example_webhook_12-return-status-change.published.txt")),
		"type 27 as published (missing commas)": string(fixture(t, "docs_example_webhook_27-inventory-status-change.published.txt")),
		"empty":                                 "",
		"no type":                               `{"shop_id":"1","data":{"order_id":"2"}}`,
		"order change without id":               `{"type":1,"shop_id":"1","data":{"order_status":"UNPAID"}}`,
		"type as a string":                      `{"type":"1"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Webhooks{}.Parse(nil, []byte(body))
			require.Error(t, err)
		})
	}
	n, err := Webhooks{}.Parse(nil, []byte(`{"type":6,"shop_id":"1","data":{}}`))
	require.NoError(t, err)
	require.Equal(t, channels.Notification{Topic: "TYPE_6", ShopID: "1"}, n)
	n, err = Webhooks{}.Parse(nil, []byte(`{"type":1,"shop_id":1,"data":{"order_id":576486316948490001,"order_status":"CANCEL"}}`))
	require.NoError(t, err)
	require.Equal(t, []string{"576486316948490001"}, n.OrderIDs)
	require.Equal(t, "1", n.ShopID)
}

func TestVerifySignedGarbage(t *testing.T) {
	body := []byte(`not json`)
	err := Webhooks{AppKey: "k"}.Verify(header(WebhookSignature("k", "s", body)), body, "s", time.Now())
	require.ErrorIs(t, err, channels.ErrStale)
}
