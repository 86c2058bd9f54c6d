package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/graph"
)

// TestOperationsManifestIsCommitted fails when graph/persisted/manifest.json, the manifest partners
// read, is not what `ordo operations --json` prints from the trusted documents.
func TestOperationsManifestIsCommitted(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"operations", "--json"}, &out, &errOut))
	committed, err := os.ReadFile("../../graph/persisted/manifest.json")
	require.NoError(t, err)
	require.Equal(t, string(committed), out.String(),
		"graph/persisted/manifest.json is stale: run `go run ./cmd/ordo operations --json > graph/persisted/manifest.json`")

	var m graph.Manifest
	require.NoError(t, json.Unmarshal(out.Bytes(), &m))
	require.Equal(t, "apollo-persisted-query-manifest", m.Format)
	require.Equal(t, 1, m.Version)
	ops, err := graph.PersistedOperations()
	require.NoError(t, err)
	require.Len(t, m.Operations, len(ops))
	for i, op := range ops {
		require.Equal(t, graph.ManifestOperation{ID: op.SHA256, Name: op.Name, Type: m.Operations[i].Type, Body: op.Document}, m.Operations[i])
		require.Contains(t, []string{"query", "mutation"}, m.Operations[i].Type)
		require.True(t, strings.Contains(op.Document, m.Operations[i].Type+" "+op.Name), "%s is a %s", op.Name, m.Operations[i].Type)
	}

	out.Reset()
	require.NoError(t, run(context.Background(), []string{"operations"}, &out, &errOut))
	require.Contains(t, out.String(), ops[0].SHA256+"  "+ops[0].Name+"\n")
}
