package tiktokshop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// scalar is a JSON value that TikTok Shop documents as a string but may send as a number (ids,
// amounts, flags). It keeps the value's text exactly, so a 15-digit id or an amount never passes
// through a float.
type scalar string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (s *scalar) UnmarshalJSON(b []byte) error {
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
		*s = scalar(str)
	case 'n':
		*s = ""
	case '{', '[':
		return fmt.Errorf("tiktokshop: want a string or a number, got %.20s", b)
	default:
		*s = scalar(b)
	}
	return nil
}

// String returns the value's text, trimmed.
func (s scalar) String() string { return strings.TrimSpace(string(s)) }

// truthy reads boolean-ish values: "true", "True", "1", true.
func (s scalar) truthy() bool {
	switch strings.ToLower(s.String()) {
	case "true", "1", "yes":
		return true
	}
	return false
}
