package shopify

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// payload reads the webhook body a testdata metadata file holds under .response, byte for byte.
func payload(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var meta struct {
		Response json.RawMessage `json:"response"`
	}
	require.NoError(t, json.Unmarshal(raw, &meta))
	return meta.Response
}
