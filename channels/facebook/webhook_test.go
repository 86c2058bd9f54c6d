package facebook

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// The vector was computed with `openssl dgst -sha256 -hmac fb-app-secret` over the body, byte for
// byte. The body is Graph's generic webhook envelope; its "orders" field is hypothetical, as Meta
// has no order webhook.
const (
	exampleSecret = "fb-app-secret"
	exampleBody   = `{"object":"page","entry":[{"id":"104000000000001","time":1700000000,"changes":[{"field":"feed","value":{"item":"status","verb":"add"}},{"field":"orders","value":{"order_id":"64000841784004"}}]},{"id":"104000000000001","time":1700000001,"changes":[{"field":"orders","value":{"order_id":10100677592885259}}]}]}`
	exampleSig    = "sha256=39ab995d47b3c6b2b93fbbcdd328caf769220d5dfe648c57b719e3c98769d6e8"
	emptyBodySig  = "sha256=e35c8fcdea2744c1103ac9e7100b1a9dd37b691a70d6c4d2f64294250b86a862"
)

var now = time.Unix(1700000002, 0)

func TestSign(t *testing.T) {
	require.Equal(t, exampleSig, Sign(exampleSecret, []byte(exampleBody)))
	require.Equal(t, emptyBodySig, Sign(exampleSecret, nil))
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		h      http.Header
		body   string
		secret string
		want   error
	}{
		{"published vector", http.Header{HeaderSignature: {exampleSig}}, exampleBody, exampleSecret, nil},
		{"upper-case hex", http.Header{HeaderSignature: {"sha256=39AB995D47B3C6B2B93FBBCDD328CAF769220D5DFE648C57B719E3C98769D6E8"}}, exampleBody, exampleSecret, nil},
		{"hand-built lower-case header", http.Header{"x-hub-signature-256": {exampleSig}}, exampleBody, exampleSecret, nil},
		{"empty body", http.Header{HeaderSignature: {emptyBodySig}}, "", exampleSecret, nil},
		{"missing", http.Header{}, exampleBody, exampleSecret, channels.ErrUnsigned},
		{"blank", http.Header{HeaderSignature: {" "}}, exampleBody, exampleSecret, channels.ErrUnsigned},
		{"tampered body", http.Header{HeaderSignature: {exampleSig}}, exampleBody + " ", exampleSecret, channels.ErrBadSignature},
		{"other secret", http.Header{HeaderSignature: {exampleSig}}, exampleBody, "other", channels.ErrBadSignature},
		{"no secret configured", http.Header{HeaderSignature: {exampleSig}}, exampleBody, "", channels.ErrBadSignature},
		{"no prefix", http.Header{HeaderSignature: {exampleSig[len("sha256="):]}}, exampleBody, exampleSecret, channels.ErrBadSignature},
		{"sha1 prefix", http.Header{HeaderSignature: {"sha1=" + exampleSig[len("sha256="):]}}, exampleBody, exampleSecret, channels.ErrBadSignature},
		{"prefix only", http.Header{HeaderSignature: {"sha256="}}, exampleBody, exampleSecret, channels.ErrBadSignature},
		{"not hex", http.Header{HeaderSignature: {"sha256=zz"}}, exampleBody, exampleSecret, channels.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Webhooks{}.Verify(tt.h, []byte(tt.body), tt.secret, now)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestParse(t *testing.T) {
	n, err := Webhooks{}.Parse(nil, []byte(exampleBody))
	require.NoError(t, err)
	require.Equal(t, channels.Notification{
		Topic: "feed", ShopID: "104000000000001", OrderIDs: []string{"64000841784004", "10100677592885259"},
	}, n)

	n, err = Webhooks{}.Parse(nil, []byte(`{"object":"page","entry":[{"id":"9","changes":[{"field":"ratings","value":"x"}]}]}`))
	require.NoError(t, err)
	require.Equal(t, channels.Notification{Topic: "ratings", ShopID: "9"}, n)

	for _, body := range []string{``, `{`, `[]`, `{"entry":[]}`, `{"entry":[{"id":"1","changes":[]}]}`, `{"entry":{}}`} {
		_, err := Webhooks{}.Parse(nil, []byte(body))
		require.Error(t, err, body)
	}
}
