package shopee

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

const (
	key = "test_partner_key"
	url = "http://www.example.com/example/uri"
	// The live code 3 push as channels.md §2 gives it (from get_lost_push_message's sample).
	orderPush = `{"shop_id":727720655,"code":3,"timestamp":1660123127,"data":{"items":[],"ordersn":"220810QSK8S7BX","status":"PROCESSED","completed_scenario":"","update_time":1660123127}}`
)

var pushedAt = time.Unix(1660123127, 0).UTC()

func TestVerify(t *testing.T) {
	v := vectors(t)["push_authorization_header"]
	body := []byte(orderPush)
	good := SignPush(key, url, body)
	tests := []struct {
		name   string
		w      Webhooks
		header http.Header
		body   []byte
		secret string
		now    time.Time
		want   error
	}{
		{"vector", Webhooks{CallbackURL: v.CallbackURL}, auth(v.Computed), []byte(v.RawBody), v.Secret, pushedAt, nil},
		{"order push", Webhooks{CallbackURL: url}, auth(good), body, key, pushedAt, nil},
		{"upper-case hex", Webhooks{CallbackURL: url}, auth(strings.ToUpper(good)), body, key, pushedAt, nil},
		{"fresh enough", Webhooks{CallbackURL: url, MaxAge: 5 * time.Minute}, auth(good), body, key, pushedAt.Add(4 * time.Minute), nil},
		{"old but no MaxAge", Webhooks{CallbackURL: url}, auth(good), body, key, pushedAt.Add(72 * time.Hour), nil},
		{"missing", Webhooks{CallbackURL: url}, http.Header{}, body, key, pushedAt, channels.ErrUnsigned},
		{"wrong key", Webhooks{CallbackURL: url}, auth(good), body, "other_key", pushedAt, channels.ErrBadSignature},
		{"other URL", Webhooks{CallbackURL: url + "/"}, auth(good), body, key, pushedAt, channels.ErrBadSignature},
		{"body alone (SDK mistake)", Webhooks{CallbackURL: url}, auth(channels.HMACHex(key, orderPush)), body, key, pushedAt, channels.ErrBadSignature},
		{"tampered body", Webhooks{CallbackURL: url}, auth(good), []byte(strings.Replace(orderPush, "PROCESSED", "CANCELLED", 1)), key, pushedAt, channels.ErrBadSignature},
		{"not hex", Webhooks{CallbackURL: url}, auth("zz" + good[2:]), body, key, pushedAt, channels.ErrBadSignature},
		{"truncated", Webhooks{CallbackURL: url}, auth(good[:32]), body, key, pushedAt, channels.ErrBadSignature},
		{"no key configured", Webhooks{CallbackURL: url}, auth(SignPush("", url, body)), body, "", pushedAt, channels.ErrBadSignature},
		{"no URL configured", Webhooks{}, auth(SignPush(key, "", body)), body, key, pushedAt, channels.ErrBadSignature},
		{"stale", Webhooks{CallbackURL: url, MaxAge: 5 * time.Minute}, auth(good), body, key, pushedAt.Add(6 * time.Minute), channels.ErrStale},
		{"from the future", Webhooks{CallbackURL: url, MaxAge: 5 * time.Minute}, auth(good), body, key, pushedAt.Add(-6 * time.Minute), channels.ErrStale},
		{"signed without timestamp", Webhooks{CallbackURL: url, MaxAge: time.Minute}, auth(SignPush(key, url, []byte(`{"code":3}`))), []byte(`{"code":3}`), key, pushedAt, channels.ErrStale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.w.Verify(tt.header, tt.body, tt.secret, tt.now)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func auth(v string) http.Header {
	h := http.Header{}
	h.Set("authorization", v)
	return h
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, body string
		want       channels.Notification
	}{
		{"order status push", orderPush, channels.Notification{Topic: "order_status", ShopID: "727720655", OrderIDs: []string{"220810QSK8S7BX"}}},
		{"tracking number push names its order", `{"shop_id":1,"code":4,"timestamp":1,"data":{"ordersn":"A","tracking_no":"T"}}`, channels.Notification{Topic: "order_tracking_number", ShopID: "1", OrderIDs: []string{"A"}}},
		{"authorization push keeps its topic", `{"shop_id": 123, "code": 1, "success": 1, "extra": "shop_id 123 is authorized successfully", "data": {"more_info": "more info"}, "timestamp": 1470198856}`, channels.Notification{Topic: "shop_authorization", ShopID: "123"}},
		{"other code with an ordersn", `{"shop_id":1,"code":8,"data":{"ordersn":"A"}}`, channels.Notification{Topic: "reserved_stock_change", ShopID: "1"}},
		{"shipping document push", `{"shop_id":1,"code":15,"data":{"ordersn":"A"}}`, channels.Notification{Topic: "shipping_document_status", ShopID: "1"}},
		{"unlisted code", `{"shop_id":1,"code":99,"data":"x"}`, channels.Notification{Topic: "code_99", ShopID: "1"}},
		{"no data", `{"shop_id":1,"code":3}`, channels.Notification{Topic: "order_status", ShopID: "1"}},
		{"lost-push nesting", `{"shop_id":1,"code":3,"timestamp":1,"data":{"data":{"ordersn":"B"},"shop_id":1,"code":3}}`, channels.Notification{Topic: "order_status", ShopID: "1", OrderIDs: []string{"B"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Webhooks{}.Parse(nil, []byte(tt.body))
			require.NoError(t, err)
			require.Equal(t, tt.want, n)
		})
	}
	for _, bad := range []string{``, `{`, `{"code":"three"}`, `{"shop_id":1}`, `[1]`} {
		_, err := Webhooks{}.Parse(nil, []byte(bad))
		require.Error(t, err, bad)
	}
}

func TestParseLostPushMessagesFixture(t *testing.T) {
	ns, last, more, err := ParseLostPushMessages(read(t, "sample_response_v2.push.get_lost_push_message.extracted.json"))
	require.NoError(t, err)
	require.Equal(t, "176610", last)
	require.False(t, more)
	require.Equal(t, []channels.Notification{{Topic: "order_status", ShopID: "727720655", OrderIDs: []string{"220810QSK8S7BX"}}}, ns)

	// The message inside the fixture is the live push body channels.md quotes.
	var f struct {
		Response struct {
			List []struct {
				Data json.RawMessage `json:"data"`
			} `json:"push_message_list"`
		} `json:"response"`
	}
	require.NoError(t, json.Unmarshal(read(t, "sample_response_v2.push.get_lost_push_message.extracted.json"), &f))
	n, err := Webhooks{}.Parse(nil, f.Response.List[0].Data)
	require.NoError(t, err)
	require.Equal(t, ns[0], n)

	_, _, _, err = ParseLostPushMessages([]byte(`{"error":"error_param","message":"bad"}`))
	require.ErrorContains(t, err, "error_param")
	_, _, _, err = ParseLostPushMessages([]byte(`{`))
	require.Error(t, err)
}
