package lazada

import (
	"sort"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// SignBase is the string Lazada signs for an API call: the API path ("/order/get"), then every
// system and business parameter but "sign" as key+value, sorted by key in byte order, then the
// request body if there is one (as the official Java and C# SDKs append it). Byte-array (file)
// parameters must not be passed.
func SignBase(apiPath string, params map[string]string, body []byte) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "sign" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(apiPath)
	for _, k := range keys {
		b.WriteString(k)
		b.WriteString(params[k])
	}
	b.Write(body)
	return b.String()
}

// Sign returns the "sign" parameter of a Lazada API call: the uppercase hex HMAC-SHA256 of
// SignBase keyed with the app secret. params must already hold app_key, access_token (if any),
// timestamp (ms, within 7200 s of UTC) and sign_method=sha256.
func Sign(appSecret, apiPath string, params map[string]string, body []byte) string {
	return strings.ToUpper(channels.HMACHex(appSecret, SignBase(apiPath, params, body)))
}
