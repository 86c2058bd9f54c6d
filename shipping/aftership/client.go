package aftership

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/shipping"
)

// DefaultBaseURL is AfterShip's API root; APIVersion the tracking API version the client calls.
const (
	DefaultBaseURL = "https://api.aftership.com"
	APIVersion     = "2025-01"
)

// HeaderAPIKey carries the account's API key.
const HeaderAPIKey = "As-Api-Key"

// Client pulls trackings from one AfterShip account and reads its webhooks.
type Client struct {
	account shipping.Account
	caller  channels.Caller
	Webhooks
}

var _ shipping.Tracker = (*Client)(nil)

// NewClient returns the client for an account, calling AfterShip through hc (nil: the default
// client). The account needs APIKey; WebhookSecret is needed to verify webhooks.
func NewClient(a shipping.Account, hc *http.Client) (*Client, error) {
	if a.APIKey == "" {
		return nil, fmt.Errorf("%w: AfterShip needs an API key", shipping.ErrAccount)
	}
	if a.BaseURL == "" {
		a.BaseURL = DefaultBaseURL
	}
	a.BaseURL = strings.TrimRight(a.BaseURL, "/")
	return &Client{account: a, caller: channels.Caller{Client: hc}, Webhooks: Webhooks{Secret: a.WebhookSecret}}, nil
}

// Track implements shipping.Tracker: the trackings AfterShip holds for the number (one per
// carrier slug it was added under), their events in order.
func (c *Client) Track(ctx context.Context, trackingNumber string) ([]shipping.TrackingEvent, error) {
	path := "/tracking/" + APIVersion + "/trackings?" + url.Values{"tracking_numbers": {trackingNumber}}.Encode()
	a, err := c.caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.account.BaseURL+path, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set(HeaderAPIKey, c.account.APIKey)
		req.Header.Set("Accept", "application/json")
		return req, nil
	})
	if err != nil {
		var rl *channels.RateLimitError
		if errors.As(err, &rl) {
			err = &shipping.RateLimitError{RetryAfter: rl.RetryAfter, Detail: rl.Detail}
		}
		return nil, fmt.Errorf("aftership: GET %s: %w", path, err)
	}
	var answer struct {
		Meta struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"meta"`
		Data struct {
			Trackings []tracking `json:"trackings"`
		} `json:"data"`
	}
	if err := json.Unmarshal(a.Body, &answer); err != nil && a.Status < 400 {
		return nil, fmt.Errorf("aftership: GET %s: answer: %w", path, err)
	}
	if a.Status >= 400 {
		return nil, shipping.Refused("aftership: GET %s: HTTP %d %d %s", path, a.Status, answer.Meta.Code, answer.Meta.Message)
	}
	var out []shipping.TrackingEvent
	for _, t := range answer.Data.Trackings {
		if t.TrackingNumber == trackingNumber {
			out = append(out, t.Events("")...)
		}
	}
	return out, nil
}
