package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/config"
)

func TestCommands(t *testing.T) {
	t.Setenv("ORDO_DATABASE_URL", "sqlite://"+filepath.Join(t.TempDir(), "cli.db"))
	t.Setenv("ORDO_LOG_LEVEL", "error")
	ctx := context.Background()
	cli := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, args, &out, &errOut)
		return out.String(), err
	}

	out, err := cli("help")
	require.NoError(t, err)
	for _, v := range config.Vars {
		require.Contains(t, out, v.Name)
	}
	_, err = cli("frobnicate")
	require.ErrorContains(t, err, `unknown command "frobnicate"`)

	out, err = cli("seed", "--if-empty")
	require.NoError(t, err)
	require.Contains(t, out, "demo data loaded")
	out, err = cli("seed", "--if-empty")
	require.NoError(t, err)
	require.Contains(t, out, "skipped")
	_, err = cli("seed")
	require.ErrorContains(t, err, "not empty")

	out, err = cli("check")
	require.NoError(t, err)
	require.Contains(t, out, "0 drifting")

	out, err = cli("apikey", "create", "--role", "operator", "--name", "ops desk")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.True(t, strings.HasPrefix(lines[len(lines)-1], "ordo_"), "the key alone on the last line: %q", out)
	_, err = cli("apikey", "create", "--role", "wizard")
	require.ErrorContains(t, err, "unknown role")

	out, err = cli("operations")
	require.NoError(t, err)
	require.Contains(t, out, "PartnerShipOrder")
}
