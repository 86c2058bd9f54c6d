package graph

import (
	"testing"

	"github.com/stretchr/testify/require"
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
