package config

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := parse(env(nil))
	require.NoError(t, err)
	require.Equal(t, "sqlite://ordo.db", c.DatabaseURL)
	require.Equal(t, "127.0.0.1:8080", c.HTTPAddr)
	require.True(t, c.Introspection)
	require.Equal(t, 15*time.Second, c.ShutdownTimeout)
	require.Equal(t, 32, c.DBMaxConns)

	c, err = parse(env(map[string]string{"ORDO_DB_MAX_CONNS": "6"}))
	require.NoError(t, err)
	require.Equal(t, 6, c.DBMaxConns)
	for _, bad := range []string{"0", "1", "many"} {
		_, err = parse(env(map[string]string{"ORDO_DB_MAX_CONNS": bad}))
		require.ErrorContains(t, err, "ORDO_DB_MAX_CONNS", bad)
	}

	c, err = parse(env(map[string]string{"ORDO_ALLOWED_ORIGINS": " https://a.example , https://b.example", "ORDO_INTROSPECTION": "false"}))
	require.NoError(t, err)
	require.Equal(t, []string{"https://a.example", "https://b.example"}, c.AllowedOrigins)
	require.False(t, c.Introspection)

	_, err = parse(env(map[string]string{"ORDO_MAX_BODY_BYTES": "-1", "ORDO_LOG_LEVEL": "loud"}))
	require.ErrorContains(t, err, "ORDO_MAX_BODY_BYTES")
	require.ErrorContains(t, err, "ORDO_LOG_LEVEL")
}

func TestReadmeDocumentsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	for _, v := range Vars {
		require.Contains(t, string(readme), "`"+v.Name+"`", "document %s in the README's configuration table", v.Name)
	}
}
