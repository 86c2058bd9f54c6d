package ordotest

import (
	"net/smtp"
	"strings"
	"testing"
)

// A message sent to the mail server is read back decoded, and the server can go down and come back
// on the same port.
func TestMailServerReceivesStopsAndRestarts(t *testing.T) {
	m := StartMailServer(t)
	body := strings.ReplaceAll(`From: Shop <shop@example.com>
To: somchai@example.com
Subject: =?UTF-8?b?4LiE4Liz4Liq4Lix4LmI4LiH4LiL4Li34LmJ4LitIE8tMQ==?=
Message-ID: <ntf_1@example.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary=b1

--b1
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Tracking =E0=B8=81 TH123
--b1
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: base64

PHA+VEgxMjM8L3A+
--b1--
`, "\n", "\r\n")
	send := func() error {
		return smtp.SendMail(m.Addr, nil, "shop@example.com", []string{"somchai@example.com"}, []byte(body))
	}
	if err := send(); err != nil {
		t.Fatal(err)
	}
	m.Stop()
	if err := send(); err == nil {
		t.Fatal("a stopped mail server accepted a message")
	}
	m.Start()
	if err := send(); err != nil {
		t.Fatal(err)
	}
	got := m.Messages()
	if len(got) != 2 {
		t.Fatalf("%d messages, want 2", len(got))
	}
	g := got[0]
	if g.Subject != "คำสั่งซื้อ O-1" || g.MessageID != "<ntf_1@example.com>" || g.To != "somchai@example.com" ||
		g.RcptTo != "somchai@example.com" || g.From != "Shop <shop@example.com>" {
		t.Errorf("headers: %+v", g)
	}
	if strings.TrimSpace(g.Text) != "Tracking ก TH123" || g.HTML != "<p>TH123</p>" {
		t.Errorf("text %q, html %q", g.Text, g.HTML)
	}
}
