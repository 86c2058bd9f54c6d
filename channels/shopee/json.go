package shopee

import (
	"bytes"
	"encoding/json"
)

// text is a JSON scalar kept as its literal text: a string's contents or a number's digits, so a
// 64-bit id or a float amount never passes through float64. null is empty.
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

func decode(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	return nil
}

// flag is a JSON boolean that also accepts 1/0 and their string forms.
type flag bool

// UnmarshalJSON reads true, 1, "true" and "1" as true and anything else as false.
func (f *flag) UnmarshalJSON(b []byte) error {
	var t text
	if bytes.Equal(bytes.TrimSpace(b), []byte("true")) {
		*f = true
		return nil
	}
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	*f = t == "1" || t == "true"
	return nil
}
