package lazada

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// AuthURL is Lazada's OAuth host, where tokens are refreshed, for every venture.
const AuthURL = "https://auth.lazada.com/rest"

// PathRefreshToken trades a seller's refresh token for a new access token and a new refresh token.
const PathRefreshToken = "/auth/token/refresh"

// codeIllegalAccessToken is Lazada's answer to a call whose access token is expired or invalid.
const codeIllegalAccessToken = "IllegalAccessToken"

var _ channels.Refresher = (*Client)(nil)

// RefreshTokens implements channels.Refresher: /auth/token/refresh on the auth host
// (Account.AuthURL, default AuthURL), signed as every call is (app_key, timestamp, sign_method,
// sign) but without an access token, with the refresh_token parameter. Lazada answers
// access_token, refresh_token, expires_in and refresh_expires_in (seconds) with code "0"; any other
// code (IllegalRefreshToken…) is a refusal. The call is sent once: a retried refresh would spend
// the same refresh token twice.
func (c *Client) RefreshTokens(ctx context.Context) (channels.Tokens, error) {
	if c.account.RefreshToken == "" {
		return channels.Tokens{}, channels.Refused("lazada: no refresh token: authorize the seller again")
	}
	host := strings.TrimRight(c.account.AuthURL, "/")
	if host == "" {
		host = AuthURL
	}
	once := channels.Caller{Client: c.caller.Client, Attempts: 1}
	resp, err := once.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		p := map[string]string{
			"app_key":       c.account.AppKey,
			"refresh_token": c.account.RefreshToken,
			"timestamp":     strconv.FormatInt(c.now().UnixMilli(), 10),
			"sign_method":   "sha256",
		}
		p["sign"] = Sign(c.account.AppSecret, PathRefreshToken, p, nil)
		form := url.Values{}
		for k, v := range p {
			form.Set(k, v)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, host+PathRefreshToken, strings.NewReader(form.Encode()))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
		return req, nil
	})
	if err != nil {
		return channels.Tokens{}, fmt.Errorf("lazada: %s: %w", PathRefreshToken, err)
	}
	return readTokens(resp, c.now())
}

// readTokens reads /auth/token/refresh's answer, received at now.
func readTokens(resp *channels.Response, now time.Time) (channels.Tokens, error) {
	if resp.Status < 200 || resp.Status > 299 {
		return channels.Tokens{}, channels.Refused("lazada: %s: HTTP %d: %s", PathRefreshToken, resp.Status, bytes.TrimSpace(resp.Body))
	}
	var a struct {
		Code             scalar `json:"code"`
		Message          scalar `json:"message"`
		AccessToken      scalar `json:"access_token"`
		RefreshToken     scalar `json:"refresh_token"`
		ExpiresIn        scalar `json:"expires_in"`
		RefreshExpiresIn scalar `json:"refresh_expires_in"`
	}
	if err := decode(resp.Body, &a); err != nil {
		return channels.Tokens{}, fmt.Errorf("lazada: %s: %w", PathRefreshToken, err)
	}
	if a.Code.String() != "0" {
		return channels.Tokens{}, &apiError{path: PathRefreshToken, code: a.Code.String(), message: a.Message.String()}
	}
	if a.AccessToken.String() == "" || a.RefreshToken.String() == "" {
		return channels.Tokens{}, fmt.Errorf("lazada: %s: the answer has no tokens", PathRefreshToken)
	}
	return channels.Tokens{
		AccessToken:      a.AccessToken.String(),
		RefreshToken:     a.RefreshToken.String(),
		AccessExpiresAt:  after(now, a.ExpiresIn.String()),
		RefreshExpiresAt: after(now, a.RefreshExpiresIn.String()),
	}, nil
}

// after is now plus a number of seconds; zero when secs is not a positive number.
func after(now time.Time, secs string) time.Time {
	n, err := strconv.ParseInt(secs, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return now.Add(time.Duration(n) * time.Second).UTC()
}

// Is makes IllegalAccessToken a channels.ErrTokenExpired.
func (e *apiError) Is(target error) bool {
	return target == channels.ErrTokenExpired && e.code == codeIllegalAccessToken
}
