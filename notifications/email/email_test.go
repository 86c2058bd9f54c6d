package email_test

import (
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/notifications"
	"github.com/ordo-oms/ordo/notifications/email"
	"github.com/ordo-oms/ordo/notifications/smtptest"
)

func TestNew(t *testing.T) {
	for _, u := range []string{"smtp://mail.example:587", "smtps://u:p@mail.example", "smtp://u@mail.example:25"} {
		_, err := email.New(u)
		require.NoError(t, err, u)
	}
	for _, u := range []string{"http://mail.example", "smtp://", "smtp://mail.example:0", "smtp://mail.example:x", "::"} {
		_, err := email.New(u)
		require.Error(t, err, u)
	}
}

func TestMessageID(t *testing.T) {
	require.Equal(t, "ntf_1@shop.example", email.MessageID("ntf_1", "Shop <no-reply@shop.example>"))
	require.Equal(t, "ntf_1@shop.example", email.MessageID("ntf_1", "no-reply@shop.example"))
	require.Equal(t, "ntf_1@ordo.invalid", email.MessageID("ntf_1", "not an address"))
}

func message() notifications.Message {
	return notifications.Message{
		ID: "ntf_01TEST", To: "ann@example.com", From: "Tee Shop <no-reply@shop.example>", ReplyTo: "help@shop.example",
		Subject: "Your order SO-1 is on its way", HTML: "<p>On its way</p>", Text: "On its way", Locale: "en",
		Kind: "SHIPPED", OrderNumber: "SO-1", UnsubscribeURL: "https://ordo.example/notifications/unsubscribe?t=abc",
	}
}

func TestSend(t *testing.T) {
	srv := smtptest.Start(t)
	p, err := email.New(srv.URL)
	require.NoError(t, err)
	id, err := p.Send(t.Context(), message())
	require.NoError(t, err)
	require.Equal(t, "<ntf_01TEST@shop.example>", id)

	got := srv.Messages()
	require.Len(t, got, 1)
	require.Equal(t, "no-reply@shop.example", got[0].From)
	require.Equal(t, []string{"ann@example.com"}, got[0].To)
	m, err := got[0].Parse()
	require.NoError(t, err)
	require.Equal(t, id, m.Header.Get("Message-Id"))
	require.Equal(t, "Your order SO-1 is on its way", m.Header.Get("Subject"))
	require.Equal(t, "<help@shop.example>", m.Header.Get("Reply-To"))
	require.Equal(t, "<https://ordo.example/notifications/unsubscribe?t=abc>", m.Header.Get("List-Unsubscribe"))
	require.Equal(t, "List-Unsubscribe=One-Click", m.Header.Get("List-Unsubscribe-Post"))
	require.NotEmpty(t, m.Header.Get("Date"))

	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/alternative", mt)
	parts := map[string]string{}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		b, err := io.ReadAll(part)
		require.NoError(t, err)
		parts[ct] = strings.TrimSpace(string(b))
	}
	require.Equal(t, "On its way", parts["text/plain"])
	require.Equal(t, "<p>On its way</p>", parts["text/html"])

	again, err := p.Send(t.Context(), message())
	require.NoError(t, err)
	require.Equal(t, id, again, "a retry carries the same Message-ID")
}

func TestSendFailures(t *testing.T) {
	srv := smtptest.Start(t)
	p, err := email.New(srv.URL)
	require.NoError(t, err)

	srv.Refuse("ann@example.com", 550, "no such mailbox")
	_, err = p.Send(t.Context(), message())
	require.ErrorIs(t, err, notifications.ErrRejected, "5xx to RCPT: refused for good")

	srv.Refuse("ann@example.com", 451, "try again later")
	_, err = p.Send(t.Context(), message())
	require.Error(t, err)
	require.NotErrorIs(t, err, notifications.ErrRejected, "4xx: retried")

	srv.Stop()
	_, err = p.Send(t.Context(), message())
	require.Error(t, err)
	require.NotErrorIs(t, err, notifications.ErrRejected, "no server: retried")

	bad := message()
	bad.To = "not an address"
	_, err = p.Send(t.Context(), bad)
	require.ErrorIs(t, err, notifications.ErrRejected, "an address no server could take")
	require.Empty(t, srv.Messages())
}
