// Package pulid implements Ordo's identifiers: a short type prefix, an underscore and a ULID
// (for example ord_01JD3W0Q6YB1M9A5Q2X3C4V5N6). The prefix tells a log line or a webhook what an
// id refers to and lets node(id:) find the table; the ULID keeps ids sortable by creation time.
package pulid

import (
	"crypto/rand"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// ID is a prefixed ULID. The zero value is not a valid id.
type ID string

var (
	entropyMu sync.Mutex
	entropy   = ulid.Monotonic(rand.Reader, 0)
)

// New returns a fresh id with the given prefix (without the underscore).
func New(prefix string) ID {
	entropyMu.Lock()
	u := ulid.MustNew(ulid.Timestamp(time.Now()), entropy)
	entropyMu.Unlock()
	return ID(prefix + "_" + u.String())
}

// ErrMalformed is returned for a string that is not a prefixed ULID.
var ErrMalformed = errors.New("malformed id")

// Prefix returns the type prefix of a well-formed id.
func (u ID) Prefix() (string, error) {
	p, rest, ok := strings.Cut(string(u), "_")
	if !ok || p == "" || len(rest) != ulid.EncodedSize {
		return "", fmt.Errorf("%w: %q", ErrMalformed, string(u))
	}
	if _, err := ulid.ParseStrict(rest); err != nil {
		return "", fmt.Errorf("%w: %q", ErrMalformed, string(u))
	}
	return p, nil
}

// Validate reports whether the id is well formed and carries the wanted prefix.
func (u ID) Validate(prefix string) error {
	p, err := u.Prefix()
	if err != nil {
		return err
	}
	if p != prefix {
		return fmt.Errorf("%w: %q is not a %s_ id", ErrMalformed, string(u), prefix)
	}
	return nil
}

// UnmarshalGQL implements graphql.Unmarshaler. A client's id must be well formed (a prefix and a
// ULID): anything else is ErrMalformed, refused before any resolver or filter sees it.
func (u *ID) UnmarshalGQL(v any) error {
	var id ID
	if err := id.Scan(v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := id.Prefix(); err != nil {
		return err
	}
	*u = id
	return nil
}

// MarshalGQL implements graphql.Marshaler.
func (u ID) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(u))) }

// Scan implements sql.Scanner.
func (u *ID) Scan(src any) error {
	switch src := src.(type) {
	case string:
		*u = ID(src)
	case []byte:
		*u = ID(src)
	case ID:
		*u = src
	case nil:
		return errors.New("pulid: expected a value")
	default:
		return fmt.Errorf("pulid: unexpected type %T", src)
	}
	return nil
}

// Value implements driver.Valuer.
func (u ID) Value() (driver.Value, error) { return string(u), nil }
