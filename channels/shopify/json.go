package shopify

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/ordo-oms/ordo/channels"
)

// text is the value its payloads are made of: channels.Scalar, strings and numbers alike.
type text = channels.Scalar

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
