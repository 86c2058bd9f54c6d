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
	for _, help := range [][]string{{"--help"}, {"-h"}, {"serve", "--help"}, {}} {
		out, err = cli(help...)
		require.NoError(t, err, "%v exits 0", help)
		require.Contains(t, out, "ordo apikey list", help)
	}
	for _, v := range []string{"version", "--version"} {
		out, err = cli(v)
		require.NoError(t, err)
		require.Regexp(t, `^ordo \S+\n$`, out)
	}
	version = "v9.8.7"
	out, err = cli("--version")
	version = ""
	require.NoError(t, err)
	require.Equal(t, "ordo v9.8.7\n", out, "-ldflags -X main.version wins")
	_, err = cli("frobnicate")
	require.ErrorContains(t, err, `unknown command "frobnicate"`)

	out, err = cli("migrate")
	require.NoError(t, err)
	require.Regexp(t, `is up to date: migration \d{14}\n$`, out)
	again, err := cli("migrate")
	require.NoError(t, err)
	require.Equal(t, out, again, "a second migrate has nothing to do")

	out, err = cli("seed", "--if-empty")
	require.NoError(t, err)
	require.Contains(t, out, "demo data loaded")
	require.Regexp(t, `Console admin: sign in at /console/ as admin@example.com with password \S{16}\n`, out)
	out, err = cli("seed", "--if-empty")
	require.NoError(t, err)
	require.Contains(t, out, "skipped")
	require.NotContains(t, out, "Console admin", "only on a store with no staff user")
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
	secret := lines[len(lines)-1]
	out, err = cli("apikey", "list")
	require.NoError(t, err)
	require.Regexp(t, `(?m)^ID\s+ROLE\s+CREATED\s+REVOKED\s+NAME$`, out)
	require.Regexp(t, `(?m)^key_\S+\s+OPERATOR\s+\S+\s+-\s+ops desk$`, out)
	require.NotContains(t, out, secret, "never the secret")
	require.NotContains(t, out, secret[:12], "nor a part of it")

	t.Setenv("ORDO_USER_PASSWORD", "correct horse battery")
	out, err = cli("user", "create", "--email", "Ann@Example.com", "--role", "operator", "--name", "Ann")
	require.NoError(t, err)
	require.Regexp(t, `^created stf_\S+ ann@example.com \(OPERATOR\)\n$`, out)
	_, err = cli("user", "create", "--email", "ann@example.com", "--role", "operator")
	require.ErrorContains(t, err, "exists")
	t.Setenv("ORDO_USER_PASSWORD", "short")
	_, err = cli("user", "create", "--email", "bob@example.com", "--role", "support")
	require.ErrorContains(t, err, "at least 12 characters")
	_, err = cli("user", "set-password", "--email", "ann@example.com")
	require.ErrorContains(t, err, "at least 12 characters")
	t.Setenv("ORDO_USER_PASSWORD", "another good password")
	out, err = cli("user", "set-password", "--email", "ann@example.com")
	require.NoError(t, err)
	require.Contains(t, out, "set the password of")
	out, err = cli("user", "disable", "--email", "ann@example.com")
	require.NoError(t, err)
	require.Contains(t, out, "disabled")
	out, err = cli("user", "list")
	require.NoError(t, err)
	require.Regexp(t, `(?m)^stf_\S+\tADMIN\tactive\tadmin@example.com\tAdmin$`, out)
	require.Regexp(t, `(?m)^stf_\S+\tOPERATOR\tdisabled\tann@example.com\tAnn$`, out)
	_, err = cli("user", "frob")
	require.ErrorContains(t, err, "usage: ordo user")

	out, err = cli("operations")
	require.NoError(t, err)
	require.Contains(t, out, "PartnerShipOrder")
}
