// Package email sends customer notifications as email over SMTP (go-mail): a multipart/alternative
// message of plain text and HTML, with a Message-ID stable across attempts (<ntf_…@sender's
// domain>, so that receivers can drop a duplicate) and one-click unsubscribe headers (RFC 8058).
//
// The server is a URL: smtp://[user:password@]host[:port] upgrades to TLS when the server offers
// STARTTLS (port 587 by default), smtps:// speaks TLS from the start (port 465); user info turns on
// authentication (the best mechanism the server offers, PLAIN or LOGIN included). A 5xx reply to
// RCPT or DATA is a refusal (notifications.ErrRejected: the mailbox does not exist, the content
// was refused); anything else (no connection, a 4xx reply) is retried.
package email

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/ordo-oms/ordo/notifications"
)

// Timeout bounds each of a send's steps (dial, each command).
const Timeout = 30 * time.Second

// Provider sends notifications by email.
type Provider struct {
	host string
	opts []gomail.Option
}

// New returns a provider that sends through the SMTP server at smtpURL.
func New(smtpURL string) (*Provider, error) {
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, fmt.Errorf("email: bad SMTP URL: %w", err)
	}
	host := u.Hostname()
	if host == "" {
		return nil, errors.New("email: the SMTP URL names no host")
	}
	opts := []gomail.Option{gomail.WithTimeout(Timeout)}
	port := 587
	switch u.Scheme {
	case "smtp":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("email: SMTP URL scheme %q is not smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port <= 0 || port > 65535 {
			return nil, fmt.Errorf("email: bad SMTP port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil && u.User.Username() != "" {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	return &Provider{host: host, opts: opts}, nil
}

// Name implements notifications.Provider.
func (p *Provider) Name() string { return "email" }

// Medium implements notifications.Provider.
func (p *Provider) Medium() notifications.Medium { return notifications.Email }

// Send implements notifications.Provider: it returns the message's Message-ID.
func (p *Provider) Send(ctx context.Context, m notifications.Message) (string, error) {
	msg, id, err := build(m)
	if err != nil {
		return "", fmt.Errorf("%w: %v", notifications.ErrRejected, err)
	}
	c, err := gomail.NewClient(p.host, p.opts...)
	if err != nil {
		return "", fmt.Errorf("email: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return "", classify(err)
	}
	return id, nil
}

// MessageID is the Message-ID of notification id sent from address from: the same for every
// attempt of one notification.
func MessageID(id, from string) string {
	domain := "ordo.invalid"
	if a, err := mail.ParseAddress(from); err == nil {
		if at := strings.LastIndexByte(a.Address, '@'); at >= 0 && at < len(a.Address)-1 {
			domain = a.Address[at+1:]
		}
	}
	return id + "@" + domain
}

// build is m as an email, and its Message-ID (with its angle brackets).
func build(m notifications.Message) (*gomail.Msg, string, error) {
	msg := gomail.NewMsg()
	if err := msg.From(m.From); err != nil {
		return nil, "", fmt.Errorf("from %q: %w", m.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, "", fmt.Errorf("to %q: %w", m.To, err)
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, "", fmt.Errorf("reply-to %q: %w", m.ReplyTo, err)
		}
	}
	id := MessageID(m.ID, m.From)
	msg.SetMessageIDWithValue(id)
	msg.SetDate()
	msg.Subject(m.Subject)
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	if m.Locale != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Locale)
	}
	if m.UnsubscribeURL != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+m.UnsubscribeURL+">")
		msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		err := msg.AttachReader(a.Name, bytes.NewReader(a.Body), gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		if err != nil {
			return nil, "", fmt.Errorf("attach %s: %w", a.Name, err)
		}
	}
	return msg, "<" + id + ">", nil
}

// classify makes a 5xx reply to RCPT or DATA a refusal; anything else stays retryable.
func classify(err error) error {
	var se *gomail.SendError
	if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
		switch se.Reason {
		case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
			return fmt.Errorf("%w: %v", notifications.ErrRejected, err)
		}
	}
	return fmt.Errorf("email: %w", err)
}
