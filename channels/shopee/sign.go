package shopee

import (
	"strconv"

	"github.com/ordo-oms/ordo/channels"
)

// SignRequest computes the sign query parameter of a Shop API call: lowercase
// hex(HMAC-SHA256(partner_key, partner_id + api_path + timestamp + access_token + shop_id)), where
// apiPath has no host (for example /api/v2/order/get_order_detail) and timestamp is unix seconds,
// valid for five minutes. Merchant APIs pass the merchant_id as shopID.
func SignRequest(partnerKey string, partnerID int64, apiPath string, timestamp int64, accessToken string, shopID int64) string {
	return channels.HMACHex(partnerKey, strconv.FormatInt(partnerID, 10)+apiPath+strconv.FormatInt(timestamp, 10)+
		accessToken+strconv.FormatInt(shopID, 10))
}

// SignPublicRequest computes the sign of a Public API call (no shop, no token, such as the token
// exchange): hex(HMAC-SHA256(partner_key, partner_id + api_path + timestamp)).
func SignPublicRequest(partnerKey string, partnerID int64, apiPath string, timestamp int64) string {
	return channels.HMACHex(partnerKey, strconv.FormatInt(partnerID, 10)+apiPath+strconv.FormatInt(timestamp, 10))
}

// SignPush computes the Authorization header of a push: hex(HMAC-SHA256(partner_key,
// callback_url + "|" + raw body)). The simulator signs with it; Webhooks.Verify checks against it.
func SignPush(partnerKey, callbackURL string, body []byte) string {
	return channels.HMACHex(partnerKey, callbackURL+"|"+string(body))
}
