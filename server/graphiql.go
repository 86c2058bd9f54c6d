package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
)

// GraphiQL is served from the binary, so that it works with no internet: graphiql/ holds the
// production builds of graphiql and React, fetched once from npm by graphiql/fetch.sh (which pins
// their versions) and committed.
//
//go:embed graphiql/*.js graphiql/*.css
var graphiQLFiles embed.FS

// graphiQLAssetsPath is the route of GraphiQL's scripts and style sheet.
const graphiQLAssetsPath = "/graphiql/{file}"

// graphiQLPageTemplate is the page at /. GraphiQL's createFetcher merges the request headers of
// its headers editor into the websocket's connection_init payload, so the key pasted there as
// {"Authorization": "Bearer <key>"} authenticates subscriptions as well as queries (initWebsocket
// reads it from the payload).
var graphiQLPageTemplate = template.Must(template.New("graphiql").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ordo GraphiQL</title>
  <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
  <link rel="stylesheet" href="/graphiql/graphiql.min.css">
  <script src="/graphiql/react.production.min.js"></script>
  <script src="/graphiql/react-dom.production.min.js"></script>
  <script src="/graphiql/graphiql.min.js"></script>
</head>
<body>
  <div id="graphiql">Loading…</div>
  <script>
    const endpoint = {{.Endpoint}};
    const url = location.protocol + '//' + location.host + endpoint;
    const subscriptionUrl = (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + endpoint;
    // For subscriptions the fetcher opens a graphql-transport-ws socket whose connection_init
    // payload is wsConnectionParams merged with the headers editor's headers: the API key.
    const fetcher = GraphiQL.createFetcher({ url, subscriptionUrl, wsConnectionParams: {} });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultHeaders: JSON.stringify({ Authorization: 'Bearer ' }, null, 2),
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: true,
      }),
    );
  </script>
</body>
</html>
`))

// graphiQLPage serves GraphiQL's page for a GraphQL endpoint path such as /graphql.
func graphiQLPage(endpoint string) http.Handler {
	var page bytes.Buffer
	if err := graphiQLPageTemplate.Execute(&page, struct{ Endpoint string }{endpoint}); err != nil {
		panic(err) // the template and its data are constants
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(page.Bytes())
	})
}

// graphiQLAsset is one embedded file with what it is served with.
type graphiQLAsset struct {
	content     []byte
	contentType string
	etag        string
}

// graphiQLAssets serves the embedded files at /graphiql/{file}, with an ETag so that browsers
// revalidate them cheaply.
func graphiQLAssets() http.Handler {
	assets := map[string]graphiQLAsset{}
	err := fs.WalkDir(graphiQLFiles, "graphiql", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := graphiQLFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		assets[path.Base(p)] = graphiQLAsset{content: b, contentType: mime.TypeByExtension(path.Ext(p)), etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
		return nil
	})
	if err != nil {
		panic(err) // the files are embedded at build time
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[r.PathValue("file")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.contentType)
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("ETag", a.etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.content))
	})
}
