package shopee

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	neturl "net/url"
	"strconv"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// PathRefreshToken is the Public API call that trades a shop's refresh token for a new access
// token (and a new refresh token: the one sent is spent).
const PathRefreshToken = "/api/v2/auth/access_token/get"

// tokenCodes are the error codes with which Shopee refuses a call for its access token: it is
// expired (after four hours) or not the shop's. Shopee spells the first one so.
var tokenCodes = map[string]bool{"invalid_acceess_token": true, "invalid_access_token": true}

var _ channels.Refresher = (*Client)(nil)

// RefreshTokens implements channels.Refresher: POST /api/v2/auth/access_token/get with partner_id,
// timestamp and sign in the query (SignPublicRequest: no token, no shop) and refresh_token,
// partner_id and shop_id in the JSON body. Shopee answers at the top level (no "response"):
// access_token, refresh_token and expire_in (seconds); the refresh token lasts 30 days. The call is
// sent once: a retried refresh would spend the same refresh token twice.
func (c *Client) RefreshTokens(ctx context.Context) (channels.Tokens, error) {
	if c.account.RefreshToken == "" {
		return channels.Tokens{}, channels.Refused("shopee: no refresh token: connect the shop again")
	}
	body, err := json.Marshal(struct {
		RefreshToken string `json:"refresh_token"`
		PartnerID    int64  `json:"partner_id"`
		ShopID       int64  `json:"shop_id"`
	}{c.account.RefreshToken, c.partnerID, c.shopID})
	if err != nil {
		return channels.Tokens{}, err
	}
	once := channels.Caller{Client: c.caller.Client, Attempts: 1}
	resp, err := once.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		ts := c.now().Unix()
		q := neturl.Values{
			"partner_id": {strconv.FormatInt(c.partnerID, 10)},
			"timestamp":  {strconv.FormatInt(ts, 10)},
			"sign":       {SignPublicRequest(c.account.AppSecret, c.partnerID, PathRefreshToken, ts)},
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.account.BaseURL+PathRefreshToken+"?"+q.Encode(), bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		return req, nil
	})
	if err != nil {
		return channels.Tokens{}, fmt.Errorf("shopee: %s: %w", PathRefreshToken, err)
	}
	return readTokens(resp, c.now())
}

// readTokens reads access_token/get's answer, received at now.
func readTokens(resp *channels.Response, now time.Time) (channels.Tokens, error) {
	var a struct {
		Error        text `json:"error"`
		Message      text `json:"message"`
		RequestID    text `json:"request_id"`
		AccessToken  text `json:"access_token"`
		RefreshToken text `json:"refresh_token"`
		ExpireIn     text `json:"expire_in"`
	}
	err := decode(resp.Body, &a)
	switch {
	case err == nil && a.Error != "":
		return channels.Tokens{}, &apiError{path: PathRefreshToken, code: string(a.Error), message: string(a.Message), requestID: string(a.RequestID)}
	case resp.Status < 200 || resp.Status > 299:
		return channels.Tokens{}, channels.Refused("shopee: %s: HTTP %d: %s", PathRefreshToken, resp.Status, bytes.TrimSpace(resp.Body))
	case err != nil:
		return channels.Tokens{}, fmt.Errorf("shopee: %s: %w", PathRefreshToken, err)
	case a.AccessToken == "" || a.RefreshToken == "":
		return channels.Tokens{}, fmt.Errorf("shopee: %s: the answer has no tokens (request_id %s)", PathRefreshToken, a.RequestID)
	}
	t := channels.Tokens{AccessToken: string(a.AccessToken), RefreshToken: string(a.RefreshToken)}
	if n, err := strconv.ParseInt(string(a.ExpireIn), 10, 64); err == nil && n > 0 {
		t.AccessExpiresAt = now.Add(time.Duration(n) * time.Second).UTC()
	}
	return t, nil
}

// Is makes an error for the access token a channels.ErrTokenExpired.
func (e *apiError) Is(target error) bool {
	return target == channels.ErrTokenExpired && tokenCodes[e.code]
}
