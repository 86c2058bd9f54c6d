package shopify

import (
	"bytes"
	"encoding/json"
	"strings"
)

// text is a JSON scalar kept as its literal text: a string's contents or a number's digits, so a
// 64-bit id or a decimal amount never passes through float64. null is empty.
type text string

// UnmarshalJSON keeps strings and numbers verbatim and turns null, booleans, objects and arrays
// into nothing rather than failing the whole order.
func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || b[0] == 'n' || b[0] == 't' || b[0] == 'f' || b[0] == '{' || b[0] == '[':
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	default:
		*t = text(b)
	}
	return nil
}

// gidTail returns the numeric id at the end of an Admin GraphQL id such as
// gid://shopify/Order/820982911946154508, or "" when gid is not one.
func gidTail(gid text) string {
	s := string(gid)
	if !strings.HasPrefix(s, "gid://shopify/") {
		return ""
	}
	s = s[strings.LastIndexByte(s, '/')+1:]
	s, _, _ = strings.Cut(s, "?")
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return ""
	}
	return s
}

// id prefers the GraphQL id's tail, a string no JSON tool can round, over the numeric id.
func id(numeric, gid text) string {
	if t := gidTail(gid); t != "" {
		return t
	}
	return string(numeric)
}

func decode(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	return nil
}
