package facebook

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ordo-oms/ordo/channels"
)

// APIVersion is the Graph API version the client calls (the one Meta's commerce docs show).
const APIVersion = "v25.0"

// Error is a call Graph refused, read from its error envelope
// {"error":{"message","type","code","error_subcode","fbtrace_id"}}. It wraps channels.ErrRefused.
type Error struct {
	Method, Path string
	Status       int
	Code         int
	Subcode      int
	Type         string
	Message      string
	TraceID      string
}

func (e *Error) Error() string {
	return fmt.Sprintf("facebook: %s %s: HTTP %d: %s (%s code %d, subcode %d, fbtrace_id %s)",
		e.Method, e.Path, e.Status, e.Message, e.Type, e.Code, e.Subcode, e.TraceID)
}

// Unwrap makes every Graph refusal a channels.ErrRefused.
func (e *Error) Unwrap() error { return channels.ErrRefused }

// Graph error codes the client acts on.
const (
	codeInvalidParameter = 100 // with subcode 33: no such object (or no permission to see it)
	subcodeNoObject      = 33
	codeAliasMissing     = 803 // "Some of the aliases you requested do not exist"
)

// throttleCodes are the Graph error codes that mean "too many calls": application (4), user (17),
// page (32) and API-specific (613) request limits, and the Business Use Case limits of pages
// (80001), ads management (80004), catalog management (80009) and catalog batch uploads (80014,
// documented on items_batch).
var throttleCodes = map[int]bool{4: true, 17: true, 32: true, 613: true, 80001: true, 80004: true, 80009: true, 80014: true}

// throttled recognizes a throttling answer by its error code, whatever its HTTP status (Graph
// answers most of them with 400 or 403); it is the Caller's Throttled hook.
func throttled(_ int, body []byte) bool {
	e := graphError(body)
	return e != nil && throttleCodes[e.Code]
}

// graphError reads Graph's error envelope, or nil when body has none.
func graphError(body []byte) *Error {
	var env struct {
		Error *struct {
			Message text `json:"message"`
			Type    text `json:"type"`
			Code    text `json:"code"`
			Subcode text `json:"error_subcode"`
			TraceID text `json:"fbtrace_id"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &env) != nil || env.Error == nil {
		return nil
	}
	code, _ := strconv.Atoi(string(env.Error.Code))
	sub, _ := strconv.Atoi(string(env.Error.Subcode))
	return &Error{Code: code, Subcode: sub, Type: string(env.Error.Type), Message: string(env.Error.Message), TraceID: string(env.Error.TraceID)}
}

// missing reports whether err is Graph saying that an object does not exist.
func missing(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Code == codeAliasMissing || e.Code == codeInvalidParameter && e.Subcode == subcodeNoObject)
}

// call sends one Graph call to path (under the API version) and returns a 2xx answer; any other
// answer is an *Error. The token goes in the Authorization header, and appsecret_proof beside it
// when the app secret is known.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, body []byte) (*channels.Response, error) {
	if q == nil {
		q = url.Values{}
	}
	if c.proof != "" {
		q.Set("appsecret_proof", c.proof)
	}
	full := c.account.BaseURL + "/" + APIVersion + path
	if len(q) > 0 {
		full += "?" + q.Encode()
	}
	resp, err := c.caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, method, full, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+c.account.AccessToken)
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	})
	if err != nil {
		return nil, fmt.Errorf("facebook: %s %s: %w", method, path, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		e := graphError(resp.Body)
		if e == nil {
			e = &Error{Message: string(bytes.TrimSpace(resp.Body))}
		}
		e.Method, e.Path, e.Status = method, path, resp.Status
		return nil, e
	}
	return resp, nil
}

// withKey returns the JSON body of fields with an idempotency_key derived from the path and the
// rest of the body: a retried call (the same order, action and content) carries the same key, so
// that Meta does it once, and a different call a different key. A key already in fields (the
// caller's own, e.g. Ordo's shipment id) is kept.
func withKey(path string, fields map[string]any) ([]byte, error) {
	if k, ok := fields["idempotency_key"].(string); ok && k != "" {
		body, err := json.Marshal(fields) // the caller's own key
		if err != nil {
			return nil, fmt.Errorf("facebook: %s: %w", path, err)
		}
		return body, nil
	}
	content, err := json.Marshal(fields) // maps marshal with sorted keys
	if err != nil {
		return nil, fmt.Errorf("facebook: %s: %w", path, err)
	}
	sum := sha256.Sum256(append([]byte(path+"\n"), content...))
	x := hex.EncodeToString(sum[:16])
	fields["idempotency_key"] = x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
	body, err := json.Marshal(fields)
	if err != nil {
		return nil, fmt.Errorf("facebook: %s: %w", path, err)
	}
	return body, nil
}
