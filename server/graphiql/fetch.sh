#!/bin/sh
# fetch.sh fetches the GraphiQL that Ordo serves at / into this folder: the production (minified)
# builds of graphiql and of the React it runs on, at pinned versions, from the npm registry.
# server/graphiql.go embeds them, so GraphiQL works with no internet. Run it from anywhere after
# changing a version below (then update the version in server/graphiql.go), and commit the result:
#
#	sh server/graphiql/fetch.sh
#
# It checks every file against SHA256SUMS; after a version change, review and rewrite that file
# with `sha256sum *.js *.css > SHA256SUMS`.
set -eu

GRAPHIQL=4.1.2 # graphiql 4 is the last with a UMD build; 5 needs a bundler
REACT=18.2.0   # React 18 is the last with UMD builds

cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null)

tar -xzOf "$tmp/graphiql-$GRAPHIQL.tgz" package/graphiql.min.js >graphiql.min.js
tar -xzOf "$tmp/graphiql-$GRAPHIQL.tgz" package/graphiql.min.css >graphiql.min.css
tar -xzOf "$tmp/graphiql-$GRAPHIQL.tgz" package/LICENSE >LICENSE.graphiql
tar -xzOf "$tmp/react-$REACT.tgz" package/umd/react.production.min.js >react.production.min.js
tar -xzOf "$tmp/react-dom-$REACT.tgz" package/umd/react-dom.production.min.js >react-dom.production.min.js
tar -xzOf "$tmp/react-$REACT.tgz" package/LICENSE >LICENSE.react

sha256sum -c SHA256SUMS
