package ordotest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Client speaks GraphQL over HTTP POST to one Ordo server with one API key.
type Client struct {
	URL  string
	Key  string
	HTTP *http.Client
}

// Error is one GraphQL error of a response.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code is the error's extensions.code.
func (e Error) Code() string { c, _ := e.Extensions["code"].(string); return c }

// Response is a GraphQL response with its HTTP status.
type Response struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
}

// Code is the code of the first error, or "" when there is none.
func (r *Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Code()
}

// Decode unmarshals data into v.
func (r *Response) Decode(v any) error { return json.Unmarshal(r.Data, v) }

// Do posts one operation. A transport failure is an error; GraphQL errors are in the response.
func (c *Client) Do(ctx context.Context, query string, vars map[string]any) (*Response, error) {
	return c.DoRaw(ctx, map[string]any{"query": query, "variables": vars})
}

// DoRaw posts a request body of the caller's making, e.g. a persisted operation's extensions.
func (c *Client) DoRaw(ctx context.Context, request map[string]any) (*Response, error) {
	body, err := json.Marshal(request)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json")
	if c.Key != "" {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	out := &Response{Status: res.StatusCode}
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, fmt.Errorf("status %d, body %q: %w", res.StatusCode, raw, err)
	}
	return out, nil
}

// MustDo is Do for operations that must succeed: any error or GraphQL error fails t, and data is
// decoded into v (when v is not nil).
func (c *Client) MustDo(t interface {
	Helper()
	Fatalf(string, ...any)
}, query string, vars map[string]any, v any) {
	t.Helper()
	res, err := c.Do(context.Background(), query, vars)
	if err != nil {
		t.Fatalf("%v", err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("graphql errors: %+v", res.Errors)
	}
	if v != nil {
		if err := res.Decode(v); err != nil {
			t.Fatalf("decode %s: %v", res.Data, err)
		}
	}
}
