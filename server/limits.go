package server

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/paging"
)

// Request limits. inputLimit runs on the raw document, before it is parsed or validated; the
// others run after validation and before execution. Their errors are marked as validation errors,
// so that the transport answers 400 (under application/graphql-response+json) and the presenter
// gives them extensions.code INVALID_ARGUMENT.

var (
	_ graphql.OperationParameterMutator = inputLimit{}
	_ graphql.OperationContextMutator   = depthLimit{}
	_ graphql.OperationContextMutator   = costLimit{}
	_ graphql.OperationContextMutator   = introspectionPolicy{}
)

func limitError(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, errcode.ValidationFailed)
	return err
}

// inputLimit refuses a document with more than maxTokens tokens, or whose brackets, braces and
// parentheses nest deeper than maxNesting (a list value nested 100,000 deep, which validation
// would take seconds over), before the parser and the validator see it. It reads the document
// once with gqlparser's own lexer and stops at the first token over a limit.
type inputLimit struct{ maxTokens, maxNesting int }

func (inputLimit) ExtensionName() string                   { return "InputLimit" }
func (inputLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l inputLimit) MutateOperationParameters(_ context.Context, raw *graphql.RawParams) *gqlerror.Error {
	lex := lexer.New(&ast.Source{Input: raw.Query})
	tokens, depth := 0, 0
	for {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return nil // the parser reports lexical errors with their position
		}
		if tokens++; tokens > l.maxTokens {
			return limitError("the document has more than %d tokens", l.maxTokens)
		}
		switch tok.Kind {
		case lexer.BraceL, lexer.BracketL, lexer.ParenL:
			if depth++; depth > l.maxNesting {
				return limitError("the document nests braces, brackets or parentheses more than %d deep", l.maxNesting)
			}
		case lexer.BraceR, lexer.BracketR, lexer.ParenR:
			depth--
		}
	}
}

// depthLimit refuses operations whose fields nest deeper than max. Fragments count where they are
// spread; introspection fields are left to gqlparser's own MaxIntrospectionDepth rule.
type depthLimit struct{ max int }

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if depth := selectionDepth(opCtx.Doc, opCtx.Operation.SelectionSet, map[string]int{}); depth > d.max {
		return limitError("operation is nested %d fields deep, more than the limit of %d", depth, d.max)
	}
	return nil
}

// selectionDepth is the deepest chain of fields in set. Each fragment is measured once (memo), so
// a document that spreads fragments into each other many times costs no more than its size.
func selectionDepth(doc *ast.QueryDocument, set ast.SelectionSet, memo map[string]int) int {
	deepest := 0
	for _, s := range set {
		d := 0
		switch s := s.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = 1 + selectionDepth(doc, s.SelectionSet, memo)
		case *ast.InlineFragment:
			d = selectionDepth(doc, s.SelectionSet, memo)
		case *ast.FragmentSpread:
			known, ok := memo[s.Name]
			if !ok {
				memo[s.Name] = 0 // validation refuses fragment cycles; this keeps a cycle finite anyway
				if def := doc.Fragments.ForName(s.Name); def != nil {
					known = selectionDepth(doc, def.SelectionSet, memo)
				}
				memo[s.Name] = known
			}
			d = known
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// costLimit refuses operations that cost more than limit (see operationCost), and connections
// that ask for a page larger than pages allows, before any resolver runs.
type costLimit struct {
	limit int
	pages paging.Limits
}

func (costLimit) ExtensionName() string                   { return "CostLimit" }
func (costLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (c costLimit) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	cost, err := operationCost(opCtx.Doc, opCtx.Operation, opCtx.Variables, c.pages)
	if err != nil {
		return limitError("%s", err.Error())
	}
	if cost > c.limit {
		return limitError("operation has complexity %d, more than the limit of %d; ask for smaller pages or fewer fields", cost, c.limit)
	}
	return nil
}

// listEstimate is how many items a list field without page arguments is costed at (an order's
// lines, a location's channels); a list argument longer than this (nodes(ids:)) counts instead.
const listEstimate = 5

// costCeiling bounds every cost, so that a document whose cost would overflow an int is simply
// over any limit.
const costCeiling = 1 << 50

// operationCost is what an operation will cost to serve, known before it runs: every field counts
// 1, and a list multiplies the cost of its items' fields by how many items it holds: a
// connection's page (its first or last, or the default page: see paging), or listEstimate (or the
// length of its longest list argument) for other lists. Introspection fields count 1 each
// (gqlparser bounds their nesting). The walk reads each fragment once per page size it is spread
// under, so it takes time linear in the document however often fragments spread each other. A page
// over the limits is an INVALID_ARGUMENT error.
func operationCost(doc *ast.QueryDocument, op *ast.OperationDefinition, vars map[string]any, pages paging.Limits) (int, error) {
	c := coster{doc: doc, vars: vars, pages: pages, memo: map[fragmentKey]int{}}
	cost := c.set(op.SelectionSet, 0)
	return cost, c.err
}

type fragmentKey struct {
	name string
	page int
}

type coster struct {
	doc   *ast.QueryDocument
	vars  map[string]any
	pages paging.Limits
	memo  map[fragmentKey]int
	err   error
}

// set is the cost of a selection set whose list fields hold page items each when page > 0 (the
// set is a connection's), or are estimated.
func (c *coster) set(set ast.SelectionSet, page int) int {
	total := 0
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			total = addCost(total, c.field(s, page))
		case *ast.InlineFragment:
			total = addCost(total, c.set(s.SelectionSet, page))
		case *ast.FragmentSpread:
			key := fragmentKey{s.Name, page}
			known, ok := c.memo[key]
			if !ok {
				c.memo[key] = 0 // validation refuses fragment cycles; this keeps a cycle finite anyway
				if def := c.doc.Fragments.ForName(s.Name); def != nil {
					known = c.set(def.SelectionSet, page)
				}
				c.memo[key] = known
			}
			total = addCost(total, known)
		}
	}
	return total
}

func (c *coster) field(f *ast.Field, page int) int {
	def := f.Definition
	if def == nil || (strings.HasPrefix(f.Name, "__") && f.Name != "__typename") {
		return 1
	}
	childPage := 0
	if paging.Paginated(def) {
		size, err := c.pages.Size(f.Name, c.intArg(f, "first"), c.intArg(f, "last"))
		if err != nil && c.err == nil {
			c.err = err
		}
		childPage = size
	}
	items := 1
	if def.Type.Elem != nil { // a list
		switch {
		case childPage > 0:
			items, childPage = childPage, 0
		case page > 0:
			items = page
		default:
			items = max(listEstimate, c.longestListArg(f))
		}
	}
	return addCost(1, mulCost(items, c.set(f.SelectionSet, childPage)))
}

// intArg is the value of an Int argument of f, nil when it is absent or null.
func (c *coster) intArg(f *ast.Field, name string) *int {
	arg := f.Arguments.ForName(name)
	if arg == nil {
		return nil
	}
	v, err := arg.Value.Value(c.vars)
	if err != nil {
		return nil
	}
	var n int64
	switch v := v.(type) {
	case int:
		n = int64(v)
	case int64:
		n = v
	case float64:
		n = int64(v)
	case json.Number:
		if n, err = v.Int64(); err != nil {
			return nil
		}
	default:
		return nil
	}
	i := int(min(max(n, -costCeiling), costCeiling))
	return &i
}

// longestListArg is the length of f's longest list argument (nodes(ids: [...])).
func (c *coster) longestListArg(f *ast.Field) int {
	longest := 0
	for _, arg := range f.Arguments {
		switch arg.Value.Kind {
		case ast.ListValue:
			longest = max(longest, len(arg.Value.Children))
		case ast.Variable:
			if l, ok := c.vars[arg.Value.Raw].([]any); ok {
				longest = max(longest, len(l))
			}
		}
	}
	return longest
}

func addCost(a, b int) int { return min(a+b, costCeiling) }

func mulCost(a, b int) int {
	if a != 0 && b > costCeiling/a {
		return costCeiling
	}
	return a * b
}

// IntrospectionAccess says who may introspect the schema (__schema, __type).
type IntrospectionAccess string

// The values of IntrospectionAccess.
const (
	// IntrospectionKeys lets callers with an API key introspect; anonymous callers may not.
	IntrospectionKeys IntrospectionAccess = "keys"
	// IntrospectionAll lets anyone introspect, as `ordo serve --dev` does.
	IntrospectionAll IntrospectionAccess = "all"
	// IntrospectionOff lets no one introspect.
	IntrospectionOff IntrospectionAccess = "off"
)

// introspectionPolicy refuses __schema and __type, with a clear error, to callers that access
// does not allow (gqlgen would otherwise fail them at execution with a plain error, which reads as
// INTERNAL), and lets gqlgen serve them to the others.
type introspectionPolicy struct{ access IntrospectionAccess }

func (introspectionPolicy) ExtensionName() string                   { return "IntrospectionPolicy" }
func (introspectionPolicy) Validate(graphql.ExecutableSchema) error { return nil }

func (p introspectionPolicy) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if !introspects(opCtx.Doc, opCtx.Operation.SelectionSet, map[string]bool{}) {
		return nil
	}
	_, hasKey := auth.FromContext(ctx)
	switch {
	case p.access == IntrospectionAll, p.access == IntrospectionKeys && hasKey:
		opCtx.DisableIntrospection = false
		return nil
	case p.access == IntrospectionKeys:
		return limitError("introspection needs an API key on this server: send Authorization: Bearer <key>")
	default:
		return limitError("introspection is disabled on this server")
	}
}

// introspects says whether a root selection set asks for __schema or __type.
func introspects(doc *ast.QueryDocument, set ast.SelectionSet, seen map[string]bool) bool {
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" {
				return true
			}
		case *ast.InlineFragment:
			if introspects(doc, s.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if def := doc.Fragments.ForName(s.Name); def != nil && !seen[s.Name] {
				seen[s.Name] = true
				if introspects(doc, def.SelectionSet, seen) {
					return true
				}
			}
		}
	}
	return false
}
