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
	require.Equal(t, "keys", c.Introspection)
	require.False(t, c.GraphiQL)
	require.Equal(t, 100, c.MaxPageSize)
	require.Equal(t, 25000, c.ComplexityLimit)
	require.Equal(t, 15*time.Second, c.ShutdownTimeout)
	require.Equal(t, 10*time.Second, c.ReadHeaderTimeout)
	require.Equal(t, 30*time.Second, c.ReadTimeout)
	require.Equal(t, 2*time.Minute, c.IdleTimeout)
	dev := c.Dev()
	require.Equal(t, "all", dev.Introspection)
	require.True(t, dev.GraphiQL)
	require.Equal(t, 32, c.DBMaxConns)

	c, err = parse(env(map[string]string{"ORDO_DB_MAX_CONNS": "6"}))
	require.NoError(t, err)
	require.Equal(t, 6, c.DBMaxConns)
	for _, bad := range []string{"0", "1", "many"} {
		_, err = parse(env(map[string]string{"ORDO_DB_MAX_CONNS": bad}))
		require.ErrorContains(t, err, "ORDO_DB_MAX_CONNS", bad)
	}

	c, err = parse(env(map[string]string{"ORDO_ALLOWED_ORIGINS": " https://a.example , https://b.example", "ORDO_INTROSPECTION": "off",
		"ORDO_GRAPHIQL": "true", "ORDO_MAX_PAGE_SIZE": "500", "ORDO_READ_TIMEOUT": "1m"}))
	require.NoError(t, err)
	require.Equal(t, []string{"https://a.example", "https://b.example"}, c.AllowedOrigins)
	require.Equal(t, "off", c.Introspection)
	require.True(t, c.GraphiQL)
	require.Equal(t, 500, c.MaxPageSize)
	require.Equal(t, time.Minute, c.ReadTimeout)

	_, err = parse(env(map[string]string{"ORDO_MAX_BODY_BYTES": "-1", "ORDO_LOG_LEVEL": "loud", "ORDO_INTROSPECTION": "true",
		"ORDO_MAX_PAGE_SIZE": "0", "ORDO_IDLE_TIMEOUT": "forever", "ORDO_READ_HEADER_TIMEOUT": "-1s"}))
	require.ErrorContains(t, err, "ORDO_MAX_BODY_BYTES")
	require.ErrorContains(t, err, "ORDO_LOG_LEVEL")
	require.ErrorContains(t, err, "ORDO_INTROSPECTION must be keys, all or off")
	require.ErrorContains(t, err, "ORDO_MAX_PAGE_SIZE")
	require.ErrorContains(t, err, "ORDO_IDLE_TIMEOUT")
	require.ErrorContains(t, err, "ORDO_READ_HEADER_TIMEOUT")
}

func TestReadmeDocumentsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	for _, v := range Vars {
		require.Contains(t, string(readme), "`"+v.Name+"`", "document %s in the README's configuration table", v.Name)
	}
}
