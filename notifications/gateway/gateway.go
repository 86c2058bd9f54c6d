// Package gateway sends customer notifications to an HTTP messaging gateway (SMS, LINE, WhatsApp)
// that the operator runs or buys: each message is POSTed as JSON {id, kind, to, locale, subject,
// text, orderNumber}, to the customer's phone number, signed as Standard Webhooks sign (webhook-id
// is the notification's id, stable across retries, so that the gateway can drop a duplicate). A 2xx
// answer is sent; a 4xx other than 408 and 429 is a refusal (notifications.ErrRejected); anything
// else is retried.
package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/ordo-oms/ordo/notifications"
	"github.com/ordo-oms/ordo/webhooks"
)

// Timeout bounds one request when New is given no client.
const Timeout = 30 * time.Second

// Provider posts notifications to a gateway.
type Provider struct {
	url    string
	key    []byte
	client *http.Client
	now    func() time.Time
}

// New returns a provider that posts to url, signed with secret (whsec_<base64>); a nil client is
// one with Timeout.
func New(gatewayURL, secret string, client *http.Client) (*Provider, error) {
	u, err := url.Parse(gatewayURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("gateway: %q is not an http(s) URL", gatewayURL)
	}
	key, err := webhooks.ParseSecret(secret)
	if err != nil {
		return nil, fmt.Errorf("gateway: %w", err)
	}
	if client == nil {
		client = &http.Client{Timeout: Timeout}
	}
	return &Provider{url: gatewayURL, key: key, client: client, now: time.Now}, nil
}

// Name implements notifications.Provider.
func (p *Provider) Name() string { return "http" }

// Medium implements notifications.Provider.
func (p *Provider) Medium() notifications.Medium { return notifications.Phone }

// body is what the gateway is sent.
type body struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	To          string `json:"to"`
	Locale      string `json:"locale"`
	Subject     string `json:"subject"`
	Text        string `json:"text"`
	OrderNumber string `json:"orderNumber"`
}

// reply is what the gateway may answer: its id of the message.
type reply struct {
	ID string `json:"id"`
}

// Send implements notifications.Provider: it returns the gateway's id of the message (its answer's
// "id", if any, else the notification's).
func (p *Provider) Send(ctx context.Context, m notifications.Message) (string, error) {
	raw, err := json.Marshal(body{ID: m.ID, Kind: m.Kind, To: m.To, Locale: m.Locale, Subject: m.Subject, Text: m.Text, OrderNumber: m.OrderNumber})
	if err != nil {
		return "", fmt.Errorf("%w: %v", notifications.ErrRejected, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(raw))
	if err != nil {
		return "", fmt.Errorf("%w: %v", notifications.ErrRejected, err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range webhooks.Headers([][]byte{p.key}, m.ID, p.now(), raw) {
		req.Header.Set(k, v)
	}
	res, err := p.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("gateway: %w", err)
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err := classify(res.StatusCode, answer); err != nil {
		return "", err
	}
	var r reply
	if json.Unmarshal(answer, &r) == nil && r.ID != "" {
		return r.ID, nil
	}
	return m.ID, nil
}

// classify is the error of a gateway's answer, nil for a 2xx. It is pure.
func classify(status int, answer []byte) error {
	switch {
	case status >= 200 && status < 300:
		return nil
	case status >= 400 && status < 500 && status != http.StatusRequestTimeout && status != http.StatusTooManyRequests:
		return fmt.Errorf("%w: gateway answered %d: %s", notifications.ErrRejected, status, snippet(answer))
	}
	return errors.New("gateway answered " + fmt.Sprint(status) + ": " + snippet(answer))
}

// snippet is the start of an answer, for an error message.
func snippet(b []byte) string {
	if len(b) > 200 {
		b = b[:200]
	}
	return string(bytes.ToValidUTF8(b, nil))
}
