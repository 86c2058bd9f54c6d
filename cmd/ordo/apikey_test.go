package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/config"
	entapikey "github.com/ordo-oms/ordo/ent/apikey"
	"github.com/ordo-oms/ordo/instance"
)

func TestApikeyCreatePartnerLocations(t *testing.T) {
	t.Setenv("ORDO_DATABASE_URL", "sqlite://"+filepath.Join(t.TempDir(), "cli.db"))
	t.Setenv("ORDO_LOG_LEVEL", "error")
	ctx := context.Background()
	cli := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, args, &out, &errOut)
		return out.String(), err
	}
	_, err := cli("seed", "--if-empty")
	require.NoError(t, err)
	cfg, err := config.FromEnv()
	require.NoError(t, err)
	inst, err := instance.Open(ctx, cfg, nil)
	require.NoError(t, err)
	locs, err := inst.DB.Client.Location.Query().Limit(2).IDs(ctx)
	require.NoError(t, err)
	require.NoError(t, inst.Close())
	require.Len(t, locs, 2)

	_, err = cli("apikey", "create", "--role", "partner", "--name", "3pl")
	require.ErrorContains(t, err, "needs the locations it serves")
	_, err = cli("apikey", "create", "--role", "partner", "--locations", "loc_01JD0000000000000000000000")
	require.ErrorContains(t, err, "do not exist")
	_, err = cli("apikey", "create", "--role", "operator", "--locations", string(locs[0]))
	require.ErrorContains(t, err, "only partner keys")

	out, err := cli("apikey", "create", "--role", "partner", "--name", "3pl", "--locations", string(locs[0])+", "+string(locs[1]))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.True(t, strings.HasPrefix(lines[len(lines)-1], "ordo_"), out)

	inst, err = instance.Open(ctx, cfg, nil)
	require.NoError(t, err)
	defer inst.Close()
	rec, err := inst.DB.Client.APIKey.Query().Where(entapikey.Name("3pl")).Only(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{string(locs[0]), string(locs[1])}, rec.LocationIds)
}
