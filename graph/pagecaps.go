package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/ordo-oms/ordo/paging"
)

// PageCaps is the gqlgen extension that caps every connection, whatever resolves it: a field with
// first or last arguments asked for neither serves Limits.Default items (it gets first set to
// that), and one asked for more than Limits.Max is refused with INVALID_ARGUMENT before its
// resolver runs. The server's cost check reads the same rule (paging), so it costs every
// connection at the page it is served.
type PageCaps struct{ Limits paging.Limits }

var (
	_ graphql.HandlerExtension = PageCaps{}
	_ graphql.FieldInterceptor = PageCaps{}
)

// ExtensionName implements graphql.HandlerExtension.
func (PageCaps) ExtensionName() string { return "OrdoPageCaps" }

// Validate implements graphql.HandlerExtension.
func (PageCaps) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptField implements graphql.FieldInterceptor.
func (p PageCaps) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !paging.Paginated(fc.Field.Definition) {
		return next(ctx)
	}
	first, _ := fc.Args["first"].(*int)
	last, _ := fc.Args["last"].(*int)
	size, err := p.Limits.Size(fc.Field.Name, first, last)
	if err != nil {
		return nil, err
	}
	if first == nil && last == nil {
		fc.Args["first"] = &size
	}
	return next(ctx)
}
