package graph

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/fault"
)

func TestPersistedOperationsAreValidAndNamedForTheirOperation(t *testing.T) {
	ops, err := PersistedOperations()
	require.NoError(t, err)
	require.NotEmpty(t, ops)
	seen := map[string]bool{}
	for _, op := range ops {
		require.Len(t, op.SHA256, 64)
		require.False(t, seen[op.SHA256], "%s duplicates another document", op.Name)
		seen[op.SHA256] = true
		doc, errs := gqlparserLoad(NewSchema(&Resolver{}), op.Document)
		require.Nil(t, errs, "%s: %v", op.Name, errs)
		require.Len(t, doc.Operations, 1, "%s holds one operation", op.Name)
		require.Equal(t, op.Name, doc.Operations[0].Name, "the file is named for its operation")
	}
	require.NoError(t, NewPersisted(ops).Validate(NewSchema(&Resolver{})))
	require.Error(t, NewPersisted([]PersistedOperation{{Name: "Broken", SHA256: "x", Document: "{ nope }"}}).Validate(NewSchema(&Resolver{})))
}

func TestPersistedResolvesDocumentsByRole(t *testing.T) {
	ops, err := PersistedOperations()
	require.NoError(t, err)
	trusted := ops[0]
	const doc = `{ viewer { role } }`
	docHash := sha256Hex(doc)
	pq := func(hash string) map[string]any {
		return map[string]any{"persistedQuery": map[string]any{"version": json.Number("1"), "sha256Hash": hash}}
	}
	partner := auth.NewContext(context.Background(), auth.Viewer{Role: auth.Partner})
	admin := auth.NewContext(context.Background(), auth.Viewer{Role: auth.Admin})
	anonymous := context.Background()
	tests := []struct {
		name      string
		ctx       context.Context
		query     string
		ext       map[string]any
		wantQuery string
		wantCode  fault.Code
	}{
		{name: "a document", ctx: admin, query: doc, wantQuery: doc},
		{name: "a partner's document", ctx: partner, query: doc, wantCode: fault.Forbidden},
		{name: "a trusted hash", ctx: partner, ext: pq(trusted.SHA256), wantQuery: trusted.Document},
		{name: "a trusted hash, upper case", ctx: partner, ext: pq(strings.ToUpper(trusted.SHA256)), wantQuery: trusted.Document},
		{name: "a trusted hash with its document", ctx: admin, query: trusted.Document, ext: pq(trusted.SHA256), wantQuery: trusted.Document},
		{name: "a trusted hash with another document", ctx: admin, query: doc, ext: pq(trusted.SHA256), wantCode: fault.InvalidArgument},
		{name: "a trusted documentId", ctx: partner, ext: map[string]any{"documentId": "sha256:" + trusted.SHA256}, wantQuery: trusted.Document},
		{name: "an unknown documentId", ctx: admin, ext: map[string]any{"documentId": "sha256:" + docHash}, wantCode: fault.NotFound},
		{name: "a malformed documentId", ctx: admin, ext: map[string]any{"documentId": trusted.SHA256}, wantCode: fault.InvalidArgument},
		{name: "an unknown hash", ctx: admin, ext: pq(docHash), wantCode: fault.PersistedQueryNotFound},
		{name: "an unknown hash, anonymous", ctx: anonymous, ext: pq(docHash), wantCode: fault.PersistedQueryNotFound},
		{name: "an unknown hash, partner", ctx: partner, ext: pq(docHash), wantCode: fault.NotFound},
		{name: "a partner registering", ctx: partner, query: doc, ext: pq(docHash), wantCode: fault.Forbidden},
		{name: "a wrong hash", ctx: admin, query: doc + " ", ext: pq(docHash), wantCode: fault.InvalidArgument},
		{name: "a bad version", ctx: admin, ext: map[string]any{"persistedQuery": map[string]any{"version": 2, "sha256Hash": docHash}}, wantCode: fault.InvalidArgument},
		{name: "a short hash", ctx: admin, ext: pq("abc"), wantCode: fault.InvalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPersisted(ops)
			raw := &graphql.RawParams{Query: tc.query, Extensions: tc.ext}
			err := p.MutateOperationParameters(tc.ctx, raw)
			if tc.wantCode != "" {
				require.NotNil(t, err)
				require.Equal(t, string(tc.wantCode), err.Extensions["code"], err.Message)
				require.True(t, fault.Is(err.Err, tc.wantCode))
				return
			}
			require.Nil(t, err)
			require.Equal(t, tc.wantQuery, raw.Query)
		})
	}

	// Registration: an unknown hash, then the hash with its document, then the hash alone.
	p := NewPersisted(ops)
	raw := &graphql.RawParams{Extensions: pq(docHash)}
	require.Equal(t, string(fault.PersistedQueryNotFound), p.MutateOperationParameters(admin, raw).Extensions["code"])
	require.Nil(t, p.MutateOperationParameters(admin, &graphql.RawParams{Query: doc, Extensions: pq(docHash)}))
	raw = &graphql.RawParams{Extensions: pq(docHash)}
	require.Nil(t, p.MutateOperationParameters(anonymous, raw))
	require.Equal(t, doc, raw.Query)
	require.Equal(t, string(fault.NotFound), p.MutateOperationParameters(partner, &graphql.RawParams{Extensions: pq(docHash)}).Extensions["code"],
		"partners never run learned documents")
	require.Equal(t, string(fault.NotFound), p.MutateOperationParameters(admin, &graphql.RawParams{Extensions: map[string]any{"documentId": "sha256:" + docHash}}).Extensions["code"],
		"documentId names trusted documents only")
}

func TestManifest(t *testing.T) {
	m, err := NewManifest([]PersistedOperation{{Name: "A", SHA256: "h1", Document: "query A { viewer { role } }"}, {Name: "B", SHA256: "h2", Document: "mutation B { x }"}})
	require.NoError(t, err)
	require.Equal(t, Manifest{Format: "apollo-persisted-query-manifest", Version: 1, Operations: []ManifestOperation{
		{ID: "h1", Name: "A", Type: "query", Body: "query A { viewer { role } }"},
		{ID: "h2", Name: "B", Type: "mutation", Body: "mutation B { x }"},
	}}, m)
	_, err = NewManifest([]PersistedOperation{{Name: "Two", Document: "query A { a } query B { b }"}})
	require.ErrorContains(t, err, "holds 2 operations")
	_, err = NewManifest([]PersistedOperation{{Name: "Broken", Document: "query {"}})
	require.ErrorContains(t, err, "Broken")
}
