// Package paging is Ordo's one rule for the size of a page of a connection (a field with first or
// last arguments). The GraphQL cost check (server) and the resolvers' page caps (graph) both read
// it, so that a request is costed with exactly the page it will be served.
package paging

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/ordo-oms/ordo/fault"
)

// DefaultSize is the page a connection serves when the request names neither first nor last, and
// the default of the largest page a request may ask for.
const DefaultSize = 100

// Limits are the page sizes a server allows.
type Limits struct {
	// Default is the page served when a request names neither first nor last; at most Max.
	Default int
	// Max is the largest first or last a request may name; a larger one is refused.
	Max int
}

// NewLimits returns the limits for a largest page of max (DefaultSize when max is not positive):
// the default page is DefaultSize, or max when that is smaller.
func NewLimits(max int) Limits {
	if max <= 0 {
		max = DefaultSize
	}
	return Limits{Default: min(DefaultSize, max), Max: max}
}

// Size is the number of items a connection field serves for the given first and last arguments
// (nil when absent): the default page when both are absent, else the smaller of the two. A value
// below 0 or above l.Max is an INVALID_ARGUMENT error that names the field and the limit.
func (l Limits) Size(field string, first, last *int) (int, error) {
	size := -1
	for _, a := range []struct {
		name string
		v    *int
	}{{"first", first}, {"last", last}} {
		switch {
		case a.v == nil:
			continue
		case *a.v < 0:
			return 0, fault.New(fault.InvalidArgument, "%s: %s must not be negative (it is %d)", field, a.name, *a.v)
		case *a.v > l.Max:
			return 0, fault.New(fault.InvalidArgument, "%s: %s is %d, more than the largest page of %d; ask for the rest with after/before cursors",
				field, a.name, *a.v, l.Max)
		}
		if size < 0 || *a.v < size {
			size = *a.v
		}
	}
	if size < 0 {
		return l.Default, nil
	}
	return size, nil
}

// Paginated says whether a schema field is a connection: it takes a first or a last argument.
func Paginated(def *ast.FieldDefinition) bool {
	return def != nil && (def.Arguments.ForName("first") != nil || def.Arguments.ForName("last") != nil)
}
