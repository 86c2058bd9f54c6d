package shopee

import (
	"bytes"
	"encoding/json"

	"github.com/ordo-oms/ordo/channels"
)

// text is the value its payloads are made of: channels.Scalar, strings and numbers alike.
type text = channels.Scalar

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
