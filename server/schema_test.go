package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/fault"
)

// testSchema is a tiny hand-built executable schema: enough fields to drive the transports, the
// limits and the error presenter, and a subscription fed from a channel.
type testSchema struct {
	mu    sync.Mutex
	feeds map[string]chan string // by topic: each value sent becomes one "ticks" event
}

// feed is the channel that drives ticks(topic).
func (ts *testSchema) feed(topic string) chan string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.feeds[topic] == nil {
		ts.feeds[topic] = make(chan string)
	}
	return ts.feeds[topic]
}

const testSDL = `
type Query {
  hello: String!
  viewer: String
  fault: String
  boom: String
  panic: String
  node: Node
}
type Node { name: String! child: Node }
type Mutation { touch: String! }
type Subscription { ticks(topic: String!): String! }
`

// secretInBoom is the text of the internal error behind "boom"; clients must never see it.
const secretInBoom = "dial tcp 10.0.0.7:5432: password authentication failed for user ordo"

func newTestSchema() (*testSchema, graphql.ExecutableSchema) {
	ts := &testSchema{feeds: map[string]chan string{}}
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: testSDL})
	return ts, &graphql.ExecutableSchemaMock{
		SchemaFunc: func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) {
			return 0, false // gqlgen's default: 1 + the children's complexity
		},
		ExecFunc: ts.exec,
	}
}

func (ts *testSchema) exec(ctx context.Context) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx).Operation
	if op.Operation == ast.Subscription {
		field := op.SelectionSet[0].(*ast.Field)
		topic, _ := field.ArgumentMap(graphql.GetOperationContext(ctx).Variables)["topic"].(string)
		feed := ts.feed(topic)
		return func(ctx context.Context) *graphql.Response {
			select {
			case <-ctx.Done():
				return nil
			case v := <-feed:
				return &graphql.Response{Data: mustJSON(map[string]string{"ticks": v})}
			}
		}
	}
	done := false
	return func(ctx context.Context) *graphql.Response { // like generated code: execute when asked
		if done {
			return nil
		}
		done = true
		return ts.run(ctx, op)
	}
}

func (ts *testSchema) run(ctx context.Context, op *ast.OperationDefinition) *graphql.Response {
	data := map[string]any{}
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok {
			continue
		}
		data[f.Alias] = resolve(ctx, f)
	}
	return &graphql.Response{Data: mustJSON(data)}
}

func resolve(ctx context.Context, f *ast.Field) (v any) {
	switch f.Name {
	case "hello":
		return "world"
	case "touch":
		return "touched"
	case "viewer":
		if viewer, ok := auth.FromContext(ctx); ok {
			return string(viewer.Role)
		}
		return nil
	case "fault":
		err := fault.New(fault.NotFound, "order ord_1 not found").With("id", "ord_1")
		graphql.AddError(ctx, fmt.Errorf("load order: %w", err))
		return nil
	case "boom":
		graphql.AddError(ctx, fmt.Errorf("load order: %w", errors.New(secretInBoom)))
		return nil
	case "panic":
		defer func() {
			if r := recover(); r != nil {
				graphql.AddError(ctx, graphql.GetOperationContext(ctx).Recover(ctx, r))
				v = nil
			}
		}()
		panic("nil map in " + secretInBoom)
	case "node":
		return node(f.SelectionSet)
	case "__typename":
		return "Query"
	}
	return nil
}

func node(set ast.SelectionSet) map[string]any {
	out := map[string]any{}
	for _, sel := range set {
		if f, ok := sel.(*ast.Field); ok {
			switch f.Name {
			case "name":
				out[f.Alias] = "n"
			case "child":
				out[f.Alias] = node(f.SelectionSet)
			}
		}
	}
	return out
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
