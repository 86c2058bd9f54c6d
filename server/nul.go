package server

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// refuseNUL refuses an operation that carries a NUL byte in any string, in its variables or in a
// literal of its document: PostgreSQL cannot store one in text (and SQLite would cut the string
// at it), so such input is INVALID_ARGUMENT before anything runs, the same on both stores.
type refuseNUL struct{}

var _ graphql.OperationContextMutator = refuseNUL{}

func (refuseNUL) ExtensionName() string                   { return "RefuseNUL" }
func (refuseNUL) Validate(graphql.ExecutableSchema) error { return nil }

func (refuseNUL) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	for name, v := range opCtx.Variables {
		if at, ok := nulInValue(v, "$"+name); ok {
			return limitError("%s contains a NUL byte (\\u0000), which no text field may hold", at)
		}
	}
	if opCtx.Doc == nil {
		return nil
	}
	for _, op := range opCtx.Doc.Operations {
		if at, ok := nulInSelections(op.SelectionSet); ok {
			return limitError("argument %s contains a NUL byte (\\u0000), which no text field may hold", at)
		}
	}
	for _, f := range opCtx.Doc.Fragments {
		if at, ok := nulInSelections(f.SelectionSet); ok {
			return limitError("argument %s contains a NUL byte (\\u0000), which no text field may hold", at)
		}
	}
	return nil
}

// nulInValue finds a string holding a NUL byte in a decoded JSON value and says where it is.
func nulInValue(v any, at string) (string, bool) {
	switch v := v.(type) {
	case string:
		return at, strings.IndexByte(v, 0) >= 0
	case map[string]any:
		for k, e := range v {
			if strings.IndexByte(k, 0) >= 0 {
				return at, true
			}
			if where, ok := nulInValue(e, at+"."+k); ok {
				return where, true
			}
		}
	case []any:
		for i, e := range v {
			if where, ok := nulInValue(e, fmt.Sprintf("%s[%d]", at, i)); ok {
				return where, true
			}
		}
	}
	return "", false
}

// nulInSelections finds a literal argument holding a NUL byte in a selection set (fragment
// spreads are not followed: every fragment definition is checked once on its own).
func nulInSelections(set ast.SelectionSet) (string, bool) {
	for _, s := range set {
		var sub ast.SelectionSet
		switch s := s.(type) {
		case *ast.Field:
			for _, a := range s.Arguments {
				if nulInLiteral(a.Value) {
					return s.Name + "(" + a.Name + ")", true
				}
			}
			sub = s.SelectionSet
		case *ast.InlineFragment:
			sub = s.SelectionSet
		}
		if at, ok := nulInSelections(sub); ok {
			return at, true
		}
	}
	return "", false
}

func nulInLiteral(v *ast.Value) bool {
	if v == nil {
		return false
	}
	switch v.Kind {
	case ast.StringValue, ast.BlockValue:
		return strings.IndexByte(v.Raw, 0) >= 0
	case ast.ListValue, ast.ObjectValue:
		for _, c := range v.Children {
			if nulInLiteral(c.Value) {
				return true
			}
		}
	}
	return false
}
