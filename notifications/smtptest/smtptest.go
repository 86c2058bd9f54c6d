// Package smtptest runs an SMTP server in the test's process (go-smtp) that keeps the messages it
// receives, refuses recipients on demand, and can go down and come back on the same address, so
// that tests of email notifications need no mail server.
package smtptest

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Parse reads the message's header and body.
func (m Message) Parse() (*mail.Message, error) {
	return mail.ReadMessage(bytes.NewReader(m.Data))
}

// Server is an SMTP server for tests. It offers no TLS and no authentication: a provider configured
// with smtp://URL's host sends to it in plain text.
type Server struct {
	// URL is smtp://host:port.
	URL  string
	addr string

	mu       sync.Mutex
	messages []Message
	refusals map[string]*smtp.SMTPError
	arrived  chan struct{} // closed and replaced when a message arrives
	srv      *smtp.Server
}

// Start starts a server on a free local port; it stops with the test.
func Start(t testing.TB) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s := &Server{addr: l.Addr().String(), refusals: map[string]*smtp.SMTPError{}, arrived: make(chan struct{})}
	s.URL = "smtp://" + s.addr
	s.serve(l)
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) serve(l net.Listener) {
	srv := smtp.NewServer(backend{s})
	srv.Domain = "smtptest.local"
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

// Stop stops the server: connections to its address are refused until Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// Restart starts a stopped server again on its address.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	l, err := net.Listen("tcp", s.addr)
	if err != nil {
		t.Fatalf("smtptest: listen again on %s: %v", s.addr, err)
	}
	s.serve(l)
}

// Refuse makes the server answer RCPT TO address with code (550: no such mailbox, a permanent
// refusal; 450 or 451: try again later).
func (s *Server) Refuse(address string, code int, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusals[strings.ToLower(address)] = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCodeNotSet, Message: text}
}

// Messages are the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Wait waits until at least n messages were accepted, or ctx ends, and returns the messages.
func (s *Server) Wait(ctx context.Context, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		got, arrived := append([]Message(nil), s.messages...), s.arrived
		s.mu.Unlock()
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-ctx.Done():
			return got, ctx.Err()
		case <-arrived:
		}
	}
}

func (s *Server) accept(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

func (s *Server) refusal(rcpt string) *smtp.SMTPError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refusals[strings.ToLower(rcpt)]
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s   *Server
	msg Message
}

func (x *session) Reset()        { x.msg = Message{} }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.msg.From = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if e := x.s.refusal(to); e != nil {
		return e
	}
	x.msg.To = append(x.msg.To, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := x.msg
	m.Data = b
	x.s.accept(m)
	return nil
}
