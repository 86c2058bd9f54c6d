package pos

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// PathObtainToken is Square's OAuth ObtainToken, which also refreshes an access token.
const PathObtainToken = "/oauth2/token"

// codeTokenExpired is Square's error for a call whose access token's 30 days are over.
const codeTokenExpired = "ACCESS_TOKEN_EXPIRED"

var _ channels.Refresher = (*Client)(nil)

// RefreshTokens implements channels.Refresher: ObtainToken with grant_type=refresh_token, the
// application's id and secret (Credentials.AppKey and AppSecret) and the refresh token, as JSON.
// Square answers access_token, expires_at (RFC 3339) and refresh_token; the refresh token of the
// code flow does not change (of the PKCE flow it does: either is stored as answered). An answer
// with Square errors is a refusal. The call is sent once: a retried refresh would spend a PKCE
// refresh token twice.
func (c *Client) RefreshTokens(ctx context.Context) (channels.Tokens, error) {
	if c.account.RefreshToken == "" || c.account.AppKey == "" || c.account.AppSecret == "" {
		return channels.Tokens{}, channels.Refused("pos: refreshing needs the refresh token and the application's id and secret: connect the location again")
	}
	body, err := json.Marshal(map[string]string{
		"client_id": c.account.AppKey, "client_secret": c.account.AppSecret,
		"grant_type": "refresh_token", "refresh_token": c.account.RefreshToken,
	})
	if err != nil {
		return channels.Tokens{}, err
	}
	once := channels.Caller{Client: c.caller.Client, Attempts: 1}
	resp, err := once.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.account.BaseURL+PathObtainToken, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Square-Version", APIVersion)
		req.Header.Set("Content-Type", "application/json")
		return req, nil
	})
	if err != nil {
		return channels.Tokens{}, fmt.Errorf("pos: %s: %w", PathObtainToken, err)
	}
	errs := readErrors(resp.Body)
	if resp.Status < 200 || resp.Status > 299 || len(errs) > 0 {
		return channels.Tokens{}, refusal(http.MethodPost, PathObtainToken, resp.Status, errs, resp.Body)
	}
	var a struct {
		AccessToken           string `json:"access_token"`
		ExpiresAt             string `json:"expires_at"`
		RefreshToken          string `json:"refresh_token"`
		RefreshTokenExpiresAt string `json:"refresh_token_expires_at"`
	}
	if err := json.Unmarshal(resp.Body, &a); err != nil {
		return channels.Tokens{}, fmt.Errorf("pos: %s: %w", PathObtainToken, err)
	}
	if a.AccessToken == "" {
		return channels.Tokens{}, fmt.Errorf("pos: %s: the answer has no access token", PathObtainToken)
	}
	t := channels.Tokens{AccessToken: a.AccessToken, RefreshToken: a.RefreshToken}
	if t.RefreshToken == "" {
		t.RefreshToken = c.account.RefreshToken
	}
	t.AccessExpiresAt, _ = time.Parse(time.RFC3339, a.ExpiresAt)
	t.RefreshExpiresAt, _ = time.Parse(time.RFC3339, a.RefreshTokenExpiresAt)
	return t, nil
}
