package lazada

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

func TestVerifyPush(t *testing.T) {
	v := vectors(t, "push_authorization_header")[0]
	body := []byte(v.RawBody)
	require.Equal(t, v.Computed, PushSignature(v.AppKey, v.Secret, body))

	w := Webhooks{AppKey: v.AppKey}
	sent := time.UnixMilli(1603766859530) // the body's timestamp, in ms
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
		{"uppercase hex is the same signature", w, strings.ToUpper(v.Computed), body, v.Secret, sent, nil},
		{"unsigned", w, "", body, v.Secret, sent, channels.ErrUnsigned},
		{"wrong signature", w, strings.Repeat("0", 64), body, v.Secret, sent, channels.ErrBadSignature},
		{"not hex", w, "not-a-signature", body, v.Secret, sent, channels.ErrBadSignature},
		{"wrong secret", w, v.Computed, body, "other", sent, channels.ErrBadSignature},
		{"wrong app key", Webhooks{AppKey: "654321"}, v.Computed, body, v.Secret, sent, channels.ErrBadSignature},
		{"tampered body", w, v.Computed, []byte(strings.Replace(v.RawBody, "unpaid", "pending", 1)), v.Secret, sent, channels.ErrBadSignature},
		{"whitespace added to the body", w, v.Computed, append(body, '\n'), v.Secret, sent, channels.ErrBadSignature},
		{"stale", w, v.Computed, body, v.Secret, sent.Add(DefaultMaxAge + time.Second), channels.ErrStale},
		{"stale under a shorter window", Webhooks{AppKey: v.AppKey, MaxAge: time.Minute}, v.Computed, body, v.Secret, sent.Add(2 * time.Minute), channels.ErrStale},
		{"from the future", w, v.Computed, body, v.Secret, sent.Add(-time.Hour), channels.ErrStale},
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
}

func TestVerifySecondsTimestamp(t *testing.T) {
	// Reverse-order and fulfillment pushes carry their timestamp in seconds.
	body := fixture(t, "docs_example_push_msgtype10_reverse_order.extracted.json")
	w := Webhooks{AppKey: "k"}
	sig := PushSignature("k", "s", body)
	require.NoError(t, w.Verify(header(sig), body, "s", time.Unix(1627889609, 0).Add(time.Hour)))
	require.ErrorIs(t, w.Verify(header(sig), body, "s", time.Unix(1627889609, 0).Add(8*time.Hour)), channels.ErrStale)

	noTime := []byte(`{"seller_id":"1","message_type":0,"data":{}}`)
	require.ErrorIs(t, w.Verify(header(PushSignature("k", "s", noTime)), noTime, "s", time.Now()), channels.ErrStale)
}

func TestParsePush(t *testing.T) {
	tests := []struct {
		file string
		want channels.Notification
	}{
		{"docs_example_push_msgtype0_trade_order_0.comments_stripped.json", channels.Notification{
			Topic: "trade_order:unpaid", ShopID: "1234567", OrderIDs: []string{"260422900198363"}}},
		{"docs_example_push_msgtype0_trade_order_1.comments_stripped.json", channels.Notification{
			Topic: "trade_order:returned", ShopID: "1000114855", OrderIDs: []string{"252883361348153"}}},
		// ids as JSON numbers in the reverse-order sample stay exact strings.
		{"docs_example_push_msgtype10_reverse_order.extracted.json", channels.Notification{
			Topic: "reverse_order:RTM_INIT", ShopID: "12345", OrderIDs: []string{"416557324702006"}, ReturnIDs: []string{"658960600102006"}}},
		{"docs_example_push_msgtype14_fulfillment_order.comments_stripped.json", channels.Notification{
			Topic: "fulfillment_order:DELIVERED", ShopID: "100056775", OrderIDs: []string{"57244869716603"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Webhooks{}.Parse(nil, fixture(t, tt.file))
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParsePushRefuses(t *testing.T) {
	for name, body := range map[string]string{
		"published with // comments": string(fixture(t, "docs_example_push_msgtype14_fulfillment_order.published.txt")),
		"empty":                      "",
		"no message type":            `{"seller_id":"1","data":{"trade_order_id":"2"}}`,
		"trade order without id":     `{"seller_id":"1","message_type":0,"data":{"order_status":"unpaid"}}`,
		"an array":                   `[]`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Webhooks{}.Parse(nil, []byte(body))
			require.Error(t, err)
		})
	}
	n, err := Webhooks{}.Parse(nil, []byte(`{"seller_id":"1","message_type":3,"data":{"item_id":5}}`))
	require.NoError(t, err)
	require.Equal(t, channels.Notification{Topic: "message_type:3", ShopID: "1"}, n)
}

func TestVerifySignedGarbage(t *testing.T) {
	body := []byte(`{"timestamp":{"ms":1}}`)
	err := Webhooks{AppKey: "k"}.Verify(header(PushSignature("k", "s", body)), body, "s", time.Now())
	require.ErrorIs(t, err, channels.ErrStale)
}
