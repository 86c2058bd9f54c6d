package server_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/server"
)

// TestGraphiQLIsServedOffline loads GraphiQL's page and every script and style sheet it references
// from the server alone: nothing may come from another host (the machine may have no internet).
func TestGraphiQLIsServedOffline(t *testing.T) {
	e := start(t, server.Config{GraphiQL: true}, nil)
	page := e.raw(t, "GET", "/", nil)
	require.Equal(t, 200, page.status)
	require.Equal(t, "text/html", page.contentType)

	refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page.body, -1)
	require.Len(t, refs, 4, "react, react-dom, graphiql and its style sheet")
	for _, ref := range refs {
		path := ref[1]
		require.True(t, strings.HasPrefix(path, "/") && !strings.HasPrefix(path, "//"), "%s is not served by Ordo", path)
		asset := e.raw(t, "GET", path, nil)
		require.Equal(t, 200, asset.status, path)
		want, err := os.ReadFile("graphiql/" + strings.TrimPrefix(path, "/graphiql/"))
		require.NoError(t, err)
		require.Equal(t, string(want), asset.body, "%s is the committed file", path)
		if strings.HasSuffix(path, ".css") {
			require.Equal(t, "text/css", asset.contentType, path)
		} else {
			require.Equal(t, "text/javascript", asset.contentType, path)
		}
		require.NotEmpty(t, asset.header.Get("ETag"))
		cached := e.raw(t, "GET", path, nil, "If-None-Match", asset.header.Get("ETag"))
		require.Equal(t, 304, cached.status, "a browser revalidates %s without downloading it again", path)
	}
	require.Equal(t, 404, e.raw(t, "GET", "/graphiql/nope.js", nil).status)
	require.NotRegexp(t, `https?://`, page.body, "the page loads nothing from another host")

	// Subscriptions: the fetcher gets the websocket URL, and its connection_init payload is the
	// headers editor's headers (merged into wsConnectionParams by GraphiQL's createFetcher), which
	// start with an Authorization header to complete.
	require.Contains(t, page.body, "GraphiQL.createFetcher({ url, subscriptionUrl, wsConnectionParams: {} })")
	require.Contains(t, page.body, `location.host + endpoint`)
	require.Contains(t, page.body, `const endpoint = "/graphql"`)
	require.Contains(t, page.body, "defaultHeaders: JSON.stringify({ Authorization: 'Bearer ' }")
	// What that payload carries authenticates a websocket, and its subscriptions stream.
	c := e.connect(t, transportWS, map[string]any{"Authorization": "Bearer " + e.admin, "Content-Type": "application/json"})
	next(t, c, "connection_ack")
	send(t, c, "subscribe", "1", subscription(t))
	e.tick(t, "live")
	require.JSONEq(t, `{"data":{"ticks":"live"}}`, string(next(t, c, "next").Payload))
}

func TestGraphiQLIsOffByDefault(t *testing.T) {
	e := start(t, server.Config{}, nil)
	require.Equal(t, 404, e.raw(t, "GET", "/", nil).status)
	require.Equal(t, 404, e.raw(t, "GET", "/graphiql/graphiql.min.js", nil).status)
}
