package ordotest

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// MailServer is a real SMTP server in its own process (Debian's aiosmtpd, as the CI installs it)
// that keeps every message it accepts in a Maildir. It can be stopped and started again on the same
// port, as a mail server that goes down for a while.
type MailServer struct {
	// Addr is host:port; URL is ORDO_SMTP_URL for it.
	Addr, URL string
	t         testing.TB
	dir       string
	cmd       *exec.Cmd
	exited    chan struct{}
}

// aiosmtpd is the interpreter that has the aiosmtpd module (Debian's python3-aiosmtpd; pyenv's
// python3 lacks it).
const aiosmtpd = "/usr/bin/python3"

// StartMailServer starts an SMTP server on a free loopback port, stopped when the test ends.
func StartMailServer(t testing.TB) *MailServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	m := &MailServer{Addr: addr, URL: "smtp://" + addr, t: t, dir: filepath.Join(t.TempDir(), "maildir")}
	m.Start()
	t.Cleanup(m.Stop)
	return m
}

// Start starts the server process (again) on its port and waits until it greets a client.
func (m *MailServer) Start() {
	m.t.Helper()
	if m.cmd != nil {
		m.t.Fatal("mail server: already running")
	}
	cmd := exec.Command(aiosmtpd, "-m", "aiosmtpd", "-n", "-l", m.Addr, "-c", "aiosmtpd.handlers.Mailbox", m.dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		m.t.Fatalf("mail server: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	m.cmd, m.exited = cmd, exited
	// The port may still be held by the previous process for a moment; the server is up once it
	// says 220.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m.greets() {
			return
		}
		select {
		case <-exited:
			m.cmd = nil
			m.t.Fatalf("mail server exited: %s", stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			m.Stop()
			m.t.Fatalf("mail server did not start on %s: %s", m.Addr, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// greets says whether the server answers a connection with its 220 greeting.
func (m *MailServer) greets() bool {
	c, err := net.DialTimeout("tcp", m.Addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "220") {
		return false
	}
	_, _ = c.Write([]byte("QUIT\r\n"))
	return true
}

// Stop stops the server process: connections are refused until Start.
func (m *MailServer) Stop() {
	if m.cmd == nil {
		return
	}
	_ = m.cmd.Process.Signal(os.Interrupt)
	select {
	case <-m.exited:
	case <-time.After(10 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.exited
	}
	m.cmd = nil
}

// Mail is a received message, parsed.
type Mail struct {
	// From and To are as the headers say; MailFrom and RcptTo as the SMTP envelope said.
	From, To, MailFrom, RcptTo string
	Subject                    string // decoded (RFC 2047)
	MessageID                  string
	Header                     mail.Header
	Text, HTML                 string // the decoded parts
	Attachments                []Attachment
}

// Attachment is a file a received message carries.
type Attachment struct {
	Name, ContentType string
	Body              []byte
}

// Messages reads every message received so far, in the order they arrived.
func (m *MailServer) Messages() []Mail {
	m.t.Helper()
	files, err := filepath.Glob(filepath.Join(m.dir, "new", "*"))
	if err != nil {
		m.t.Fatal(err)
	}
	type file struct {
		name string
		at   time.Time
	}
	var fs []file
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			m.t.Fatal(err)
		}
		fs = append(fs, file{f, st.ModTime()})
	}
	slices.SortStableFunc(fs, func(a, b file) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	out := make([]Mail, 0, len(fs))
	for _, f := range fs {
		raw, err := os.ReadFile(f.name)
		if err != nil {
			m.t.Fatal(err)
		}
		msg, err := ParseMail(raw)
		if err != nil {
			m.t.Fatalf("%s: %v", f.name, err)
		}
		out = append(out, msg)
	}
	return out
}

// ParseMail parses a message as an email client would read it: headers decoded, and the text and
// HTML parts of a multipart message (nested or not) decoded from their transfer encoding.
func ParseMail(raw []byte) (Mail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Mail{}, err
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Mail{}, fmt.Errorf("subject: %w", err)
	}
	from, _ := dec.DecodeHeader(msg.Header.Get("From"))
	to, _ := dec.DecodeHeader(msg.Header.Get("To"))
	out := Mail{
		From: from, To: to, Subject: subject, Header: msg.Header,
		MessageID: msg.Header.Get("Message-ID"),
		MailFrom:  msg.Header.Get("X-MailFrom"), RcptTo: msg.Header.Get("X-RcptTo"),
	}
	err = readPart(&out, textproto.MIMEHeader(msg.Header), msg.Body)
	return out, err
}

// readPart decodes one part (a whole multipart included) into m's Text, HTML or Attachments.
func readPart(m *Mail, h textproto.MIMEHeader, body io.Reader) error {
	contentType, encoding := h.Get("Content-Type"), h.Get("Content-Transfer-Encoding")
	if contentType == "" {
		contentType = "text/plain"
	}
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(media, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := readPart(m, p.Header, p); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(encoding) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // line breaks are ignored
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("%s part: %w", media, err)
	}
	if disposition, dp, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil && disposition == "attachment" {
		m.Attachments = append(m.Attachments, Attachment{Name: dp["filename"], ContentType: media, Body: b})
		return nil
	}
	switch media {
	case "text/plain":
		m.Text += string(b)
	case "text/html":
		m.HTML += string(b)
	}
	return nil
}
