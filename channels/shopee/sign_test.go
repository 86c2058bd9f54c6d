package shopee

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

type vector struct {
	Channel, Kind, Secret, Computed string
	CallbackURL                     string `json:"callback_url"`
	RawBody                         string `json:"raw_body"`
	StringToSign                    string `json:"string_to_sign"`
}

func vectors(t *testing.T) map[string]vector {
	var f struct{ Vectors []vector }
	require.NoError(t, json.Unmarshal(read(t, "signature_test_vectors.json"), &f))
	out := map[string]vector{}
	for _, v := range f.Vectors {
		if v.Channel == "shopee" {
			out[v.Kind] = v
		}
	}
	require.Len(t, out, 2)
	return out
}

func TestSignRequestVector(t *testing.T) {
	v := vectors(t)["api_request_sign"]
	// The docs' Shop API example: partner 2001887, get_shop_info, ts 1655714431, shop 14701711.
	const token = "59777174636562737266615546704c6d"
	require.Equal(t, "2001887/api/v2/shop/get_shop_info1655714431"+token+"14701711", v.StringToSign)
	got := SignRequest(v.Secret, 2001887, "/api/v2/shop/get_shop_info", 1655714431, token, 14701711)
	require.Equal(t, v.Computed, got)
	require.Equal(t, "9fdae5aeed86e753249982ec04aa54339280f12d3f456b9e3f7d8ee91e66a2b3", got)
	require.NotEqual(t, got, SignRequest(v.Secret, 2001887, "/api/v2/shop/get_shop_info", 1655714432, token, 14701711))
	require.NotEqual(t, got, SignRequest("other_key", 2001887, "/api/v2/shop/get_shop_info", 1655714431, token, 14701711))
}

func TestSignPublicRequest(t *testing.T) {
	require.Equal(t, channels.HMACHex("k", "2001887/api/v2/auth/token/get1655714431"),
		SignPublicRequest("k", 2001887, "/api/v2/auth/token/get", 1655714431))
	require.Len(t, SignPublicRequest("k", 1, "/p", 1), 64)
}

func TestSignPushVector(t *testing.T) {
	v := vectors(t)["push_authorization_header"]
	require.Equal(t, "32ad95ee30ee105f80e2ea52fc97c80853d6dcbe0c9a619a09e7914d70724070",
		SignPush(v.Secret, v.CallbackURL, []byte(v.RawBody)))
	require.Equal(t, v.Computed, SignPush(v.Secret, v.CallbackURL, []byte(v.RawBody)))
}
