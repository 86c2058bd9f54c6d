package notifications

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/suppression"
)

// UnsubscribePath is where the unsubscribe page is served (Handler).
const UnsubscribePath = "/notifications/unsubscribe"

// tokenLabel derives the unsubscribe tokens' key from the instance's secret key, so that the key
// signs nothing else and the secret key is never used as it is.
const tokenLabel = "ordo/notifications/unsubscribe/v1"

// errToken is a token that is malformed, forged or signed with another key.
var errToken = errors.New("notifications: bad unsubscribe token")

// unsubscribe is what a token names: the address, and the customer whose it is (if any).
type unsubscribe struct {
	Address    string   `json:"a"`
	CustomerID pulid.ID `json:"c,omitempty"`
}

// tokenKey is the HMAC key of unsubscribe tokens.
func tokenKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(tokenLabel))
	return m.Sum(nil)
}

// sign is the token of u: base64url(payload) "." base64url(HMAC-SHA256(key, payload)).
func sign(key []byte, u unsubscribe) string {
	payload, _ := json.Marshal(u) // two strings: cannot fail
	m := hmac.New(sha256.New, key)
	m.Write(payload)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(m.Sum(nil))
}

// verify reads a token signed with key; anything else is errToken.
func verify(key []byte, token string) (unsubscribe, error) {
	enc := base64.RawURLEncoding
	p, s, ok := strings.Cut(token, ".")
	if !ok {
		return unsubscribe{}, errToken
	}
	payload, err := enc.DecodeString(p)
	if err != nil {
		return unsubscribe{}, errToken
	}
	sum, err := enc.DecodeString(s)
	if err != nil {
		return unsubscribe{}, errToken
	}
	m := hmac.New(sha256.New, key)
	m.Write(payload)
	if !hmac.Equal(sum, m.Sum(nil)) {
		return unsubscribe{}, errToken
	}
	var u unsubscribe
	if err := json.Unmarshal(payload, &u); err != nil || strings.TrimSpace(u.Address) == "" {
		return unsubscribe{}, errToken
	}
	return u, nil
}

// unsubscribeURL is the link in every message to address that stops them.
func (s *Service) unsubscribeURL(address string, customerID *pulid.ID) string {
	u := unsubscribe{Address: normalize(address)}
	if customerID != nil {
		u.CustomerID = *customerID
	}
	return strings.TrimRight(s.PublicURL, "/") + UnsubscribePath + "?t=" + url.QueryEscape(sign(tokenKey(s.SecretKey), u))
}

// Handler serves UnsubscribePath: GET shows a page asking to confirm (it changes nothing: mail
// scanners follow links), POST unsubscribes, from that page's form or from a mail client's
// one-click request (RFC 8058: the token in the URL, "List-Unsubscribe=One-Click" in the body). A
// bad token is 400 and changes nothing.
func (s *Service) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			token := r.URL.Query().Get("t")
			u, err := verify(tokenKey(s.SecretKey), token)
			if err != nil {
				page(w, http.StatusBadRequest, "This link is not valid.", "", "")
				return
			}
			page(w, http.StatusOK, "Stop emails about your orders sent to "+u.Address+"?", token, "")
		case http.MethodPost:
			r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
			token := r.URL.Query().Get("t")
			if token == "" {
				token = r.PostFormValue("t")
			}
			u, err := verify(tokenKey(s.SecretKey), token)
			if err != nil {
				page(w, http.StatusBadRequest, "This link is not valid.", "", "")
				return
			}
			if err := s.Unsubscribe(r.Context(), u.Address, u.CustomerID); err != nil {
				s.log().ErrorContext(r.Context(), "unsubscribe", "err", err)
				page(w, http.StatusServiceUnavailable, "Something went wrong; please try again.", "", "")
				return
			}
			page(w, http.StatusOK, "", "", u.Address)
		default:
			w.Header().Set("Allow", "GET, HEAD, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

// Unsubscribe suppresses address (idempotent) and opts its customer, if any, out of every
// notification.
func (s *Service) Unsubscribe(ctx context.Context, address string, customerID pulid.ID) error {
	return s.DB.Tx(ctx, func(tx *ent.Tx) error {
		err := tx.Suppression.Create().SetAddress(normalize(address)).SetReason(suppression.ReasonUNSUBSCRIBED).
			OnConflictColumns(suppression.FieldAddress).Ignore().Exec(ctx)
		if err != nil {
			return fmt.Errorf("suppress: %w", err)
		}
		if customerID == "" {
			return nil
		}
		err = tx.Customer.UpdateOneID(customerID).SetNotificationsOptOut(true).Exec(ctx)
		if ent.IsNotFound(err) {
			return nil // the customer is gone; the address stays suppressed
		}
		return err
	})
}

var pageTemplate = template.Must(template.New("unsubscribe").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Unsubscribe</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:6px;border:0;background:#222;color:#fff;cursor:pointer}</style>
</head><body>
{{if .Done}}<h1>You are unsubscribed</h1><p>No more emails about your orders will be sent to {{.Done}}.</p>
{{else}}<h1>Unsubscribe</h1><p>{{.Question}}</p>
{{if .Token}}<form method="post" action=""><input type="hidden" name="t" value="{{.Token}}"><button type="submit">Unsubscribe</button></form>{{end}}
{{end}}</body></html>
`))

// page writes the unsubscribe page: a question with its confirming form, or the confirmation.
func page(w http.ResponseWriter, status int, question, token, done string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTemplate.Execute(w, struct{ Question, Token, Done string }{question, token, done})
}
