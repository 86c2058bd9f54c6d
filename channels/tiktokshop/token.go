package tiktokshop

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// AuthURL is TikTok Shop's OAuth host, where tokens are refreshed.
const AuthURL = "https://auth.tiktok-shops.com"

// PathRefreshToken trades a shop's refresh token for a new access token and a new refresh token.
const PathRefreshToken = "/api/v2/token/refresh"

// The codes with which TikTok Shop refuses a call for its access token.
const (
	CodeInvalidToken = 105001 // invalid credentials: not a token TikTok issued for the app
	CodeExpiredToken = 105002 // expired credentials: the token's time is up
)

var _ channels.Refresher = (*Client)(nil)

// RefreshTokens implements channels.Refresher: GET /api/v2/token/refresh on the auth host
// (Account.AuthURL, default AuthURL) with app_key, app_secret, refresh_token and
// grant_type=refresh_token in the query; this call is authenticated by the app secret itself, not
// signed. The answer's data has access_token and refresh_token and their expiries as unix seconds
// (access_token_expire_in, refresh_token_expire_in); a code other than 0 is a refusal. The call is
// sent once: a retried refresh would spend the same refresh token twice.
func (c *Client) RefreshTokens(ctx context.Context) (channels.Tokens, error) {
	if c.account.RefreshToken == "" {
		return channels.Tokens{}, channels.Refused("tiktokshop: no refresh token: authorize the shop again")
	}
	host := strings.TrimRight(c.account.AuthURL, "/")
	if host == "" {
		host = AuthURL
	}
	q := url.Values{
		"app_key":       {c.account.AppKey},
		"app_secret":    {c.account.AppSecret},
		"refresh_token": {c.account.RefreshToken},
		"grant_type":    {"refresh_token"},
	}
	once := channels.Caller{Client: c.caller.Client, Attempts: 1}
	resp, err := once.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, host+PathRefreshToken+"?"+q.Encode(), nil)
	})
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		err = ue.Err // its URL holds the app secret and the refresh token
	}
	if err != nil {
		return channels.Tokens{}, fmt.Errorf("tiktokshop: %s: %w", PathRefreshToken, err)
	}
	data, err := answer(http.MethodGet, PathRefreshToken, resp)
	if err != nil {
		return channels.Tokens{}, err
	}
	var d struct {
		AccessToken          scalar `json:"access_token"`
		AccessTokenExpireIn  scalar `json:"access_token_expire_in"`
		RefreshToken         scalar `json:"refresh_token"`
		RefreshTokenExpireIn scalar `json:"refresh_token_expire_in"`
	}
	if err := decodeData(data, &d); err != nil {
		return channels.Tokens{}, fmt.Errorf("tiktokshop: %s: %w", PathRefreshToken, err)
	}
	if d.AccessToken.String() == "" || d.RefreshToken.String() == "" {
		return channels.Tokens{}, fmt.Errorf("tiktokshop: %s: the answer has no tokens", PathRefreshToken)
	}
	return channels.Tokens{
		AccessToken:      d.AccessToken.String(),
		RefreshToken:     d.RefreshToken.String(),
		AccessExpiresAt:  unixTime(d.AccessTokenExpireIn.String()),
		RefreshExpiresAt: unixTime(d.RefreshTokenExpireIn.String()),
	}, nil
}

// unixTime reads unix seconds; zero when s is not a positive number.
func unixTime(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// tokenRefused reports whether an answer's code refuses the call's access token.
func tokenRefused(code string) bool {
	return code == strconv.Itoa(CodeInvalidToken) || code == strconv.Itoa(CodeExpiredToken)
}
