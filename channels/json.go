package channels

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Scalar is a JSON value a channel documents as a string but may send as a number (ids, amounts,
// flags, as Lazada and TikTok Shop do). It keeps the value's text exactly, so that a 15-digit id or
// an amount never passes through a float. An object or array in its place is an error.
type Scalar string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (s *Scalar) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		*s = Scalar(str)
	case 'n':
		*s = ""
	case '{', '[':
		return fmt.Errorf("channels: want a string or a number, got %.20s", b)
	default:
		*s = Scalar(b)
	}
	return nil
}

// String returns the value's text, trimmed.
func (s Scalar) String() string { return strings.TrimSpace(string(s)) }

// Truthy reads boolean-ish values: "true", "True", "1", "yes", true.
func (s Scalar) Truthy() bool {
	switch strings.ToLower(s.String()) {
	case "true", "1", "yes":
		return true
	}
	return false
}

// Text is a lenient Scalar for payloads full of optional fields (Shopify, Shopee): strings and
// numbers are kept verbatim, while null, booleans, objects and arrays become empty instead of
// failing the whole order.
type Text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || b[0] == 'n' || b[0] == 't' || b[0] == 'f' || b[0] == '{' || b[0] == '[':
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
	default:
		*t = Text(b)
	}
	return nil
}
