package instance_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestInstanceImportsNoDemoCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/ordo-oms/ordo/instance").CombinedOutput()
	require.NoError(t, err, "%s", out)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/ordo-oms/ordo/server", "the dependency list is complete")
	for _, d := range deps {
		require.False(t, d == "github.com/ordo-oms/ordo/demo" || strings.HasPrefix(d, "github.com/ordo-oms/ordo/demo/"),
			"instance/, the production composition root, depends on %s", d)
	}
}
