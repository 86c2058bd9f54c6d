package tiktokshop

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// vector is one entry of signature_test_vectors.json.
type vector struct {
	Channel string `json:"channel"`
	Kind    string `json:"kind"`
	Secret  string `json:"secret"`
	AppKey  string `json:"app_key"`
	Request *struct {
		Path  string            `json:"path"`
		Query map[string]string `json:"query"`
		Body  string            `json:"body"`
	} `json:"request"`
	StringToSign string  `json:"string_to_sign"`
	RawBody      string  `json:"raw_body"`
	Expected     *string `json:"expected"`
	Computed     string  `json:"computed"`
}

// vectors returns the TikTok Shop vectors of the shared fixtures file (copied into testdata).
func vectors(t *testing.T, kind string) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/signature_test_vectors.json")
	require.NoError(t, err)
	var f struct{ Vectors []vector }
	require.NoError(t, json.Unmarshal(b, &f))
	var out []vector
	for _, v := range f.Vectors {
		if v.Channel == "tiktok_shop" && v.Kind == kind {
			out = append(out, v)
		}
	}
	require.NotEmpty(t, out)
	return out
}

func TestSignVectors(t *testing.T) {
	vs := vectors(t, "api_request_sign")
	require.Len(t, vs, 2)

	// The SDK test constant (verified): path, query and body as the file gives them.
	sdk := vs[0]
	require.NotNil(t, sdk.Request)
	require.NotNil(t, sdk.Expected)
	q := sdk.Request.Query
	require.Equal(t, sdk.StringToSign, SignBase(sdk.Secret, sdk.Request.Path, q, []byte(sdk.Request.Body)))
	require.Equal(t, *sdk.Expected, Sign(sdk.Secret, sdk.Request.Path, q, []byte(sdk.Request.Body)))

	// The docs walkthrough inputs (no published output; ours, as a regression value).
	docs := vs[1]
	require.Nil(t, docs.Expected)
	query := map[string]string{"app_key": "123456", "timestamp": "1234567890"}
	require.Equal(t, docs.StringToSign, SignBase(docs.Secret, "/authorization/202309/shops", query, nil))
	require.Equal(t, docs.Computed, Sign(docs.Secret, "/authorization/202309/shops", query, nil))
}

func TestSignExcludesSignAndAccessToken(t *testing.T) {
	base := map[string]string{"app_key": "k", "timestamp": "1", "shop_cipher": "c"}
	with := map[string]string{"app_key": "k", "timestamp": "1", "shop_cipher": "c", "sign": "x", "access_token": "t"}
	require.Equal(t, Sign("s", "/order/202309/orders/search", base, []byte(`{"order_status":"UNPAID"}`)),
		Sign("s", "/order/202309/orders/search", with, []byte(`{"order_status":"UNPAID"}`)))
	require.Equal(t, "s/papp_keykshop_cipherctimestamp1{}s", SignBase("s", "/p", with, []byte("{}")))
}
