package tiktokshop

import (
	"sort"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// SignBase is the string TikTok Shop signs for an API call (202309 signing): the app secret, the
// request path, every query parameter but "sign" and "access_token" as key+value sorted by key, the
// raw body (pass nil for multipart/form-data), and the app secret again.
func SignBase(appSecret, path string, query map[string]string, body []byte) string {
	keys := make([]string, 0, len(query))
	for k := range query {
		if k != "sign" && k != "access_token" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(appSecret)
	b.WriteString(path)
	for _, k := range keys {
		b.WriteString(k)
		b.WriteString(query[k])
	}
	b.Write(body)
	b.WriteString(appSecret)
	return b.String()
}

// Sign returns the "sign" query parameter of a TikTok Shop API call: the lowercase hex
// HMAC-SHA256 of SignBase keyed with the app secret. The access token travels in the
// x-tts-access-token header, never in the signed string.
func Sign(appSecret, path string, query map[string]string, body []byte) string {
	return channels.HMACHex(appSecret, SignBase(appSecret, path, query, body))
}
