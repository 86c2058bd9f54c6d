package server

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Request limits run after validation and before execution. Their errors are marked as validation
// errors, so that the transport answers 400 (under application/graphql-response+json) and the
// presenter gives them extensions.code INVALID_ARGUMENT.

var (
	_ graphql.OperationContextMutator = depthLimit{}
	_ graphql.OperationContextMutator = complexityLimit{}
	_ graphql.OperationContextMutator = introspectionOff{}
)

func limitError(format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, errcode.ValidationFailed)
	return err
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

// complexityLimit is gqlgen's fixed complexity limit with its error marked as a validation error
// (gqlgen gives it its own code, which the transport would answer with 200).
type complexityLimit struct{ *extension.ComplexityLimit }

func newComplexityLimit(limit int) complexityLimit {
	return complexityLimit{extension.FixedComplexityLimit(limit)}
}

func (c complexityLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	err := c.ComplexityLimit.MutateOperationContext(ctx, opCtx)
	if err != nil {
		errcode.Set(err, errcode.ValidationFailed)
	}
	return err
}

// introspectionOff refuses __schema and __type with a clear error when introspection is disabled
// (gqlgen would otherwise fail them at execution with a plain error, which reads as INTERNAL).
type introspectionOff struct{}

func (introspectionOff) ExtensionName() string                   { return "IntrospectionOff" }
func (introspectionOff) Validate(graphql.ExecutableSchema) error { return nil }

func (introspectionOff) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if introspects(opCtx.Doc, opCtx.Operation.SelectionSet, map[string]bool{}) {
		return limitError("introspection is disabled on this server")
	}
	return nil
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
