package channels

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Scalar is the one lenient JSON value every connector reads channel payloads with. Channels
// document a field as a string and send a number (Lazada's order_id, TikTok's create_time), or
// document a number and send a string (a quoted latitude, Square's quantity): Scalar takes both and
// keeps the value's text exactly, so that a 19-digit id or an amount never passes through a float.
// Booleans are kept as "true" or "false"; null, objects and arrays (a field whose shape changed) are
// empty, so that a field Ordo does not need never fails an order: whether an empty value is an
// error is for the reader of the field to say.
type Scalar string

// UnmarshalJSON accepts any JSON value; it fails only on malformed JSON.
func (s *Scalar) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || b[0] == 'n' || b[0] == '{' || b[0] == '[':
		*s = ""
	case b[0] == '"':
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		*s = Scalar(str)
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

// Int reads a whole number, sent as a number or a string ("3", 3, "3.0"); empty is 0. Anything else
// is an error that names the value.
func (s Scalar) Int() (int64, error) {
	t := s.String()
	if t == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return n, nil
	}
	n, err := ParseMinor(t, 0)
	if err != nil {
		return 0, fmt.Errorf("channels: %q is not a whole number", t)
	}
	return n, nil
}

// Float reads an optional measurement that Ordo can do without (a latitude, a longitude): a
// finite number, sent as a number or a string. Anything else, empty included, is nil rather than
// an error, so that a field Ordo only uses for better routing never fails an order.
func (s Scalar) Float() *float64 {
	f, err := strconv.ParseFloat(s.String(), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil
	}
	return &f
}
