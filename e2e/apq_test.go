package e2e_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/graph"
	"github.com/ordo-oms/ordo/ordotest"
)

func sha256Of(doc string) string {
	sum := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(sum[:])
}

func apq(t *testing.T, c *ordotest.Client, hash, query string) *ordotest.Response {
	t.Helper()
	body := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
	if query != "" {
		body["query"] = query
	}
	res, err := c.DoRaw(context.Background(), body)
	require.NoError(t, err)
	return res
}

func TestAutomaticPersistedQueries(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		loc := srv.Location(t, "WH-APQ", 1)
		srv.SKU(t, "APQ-TEE", map[pulid.ID]int64{loc.ID: 3})
		const doc = `query StockOfTee { variantBySku(sku: "APQ-TEE") { sku available } }`
		hash := sha256Of(doc)

		for _, c := range []struct {
			name   string
			client *ordotest.Client
		}{{"admin", srv.Admin()}, {"storefront", srv.Client(srv.Key(t, auth.Storefront, nil))}} {
			t.Run(c.name, func(t *testing.T) {
				// Apollo's flow: the hash alone, then (not found) the hash with its document.
				res := apq(t, c.client, hash, "")
				if c.name == "storefront" { // the admin registered it already: it is known now
					require.Empty(t, res.Errors)
					require.JSONEq(t, `{"variantBySku": {"sku": "APQ-TEE", "available": 3}}`, string(res.Data))
					return
				}
				require.Equal(t, "PERSISTED_QUERY_NOT_FOUND", res.Code())
				require.Equal(t, "PersistedQueryNotFound", res.Errors[0].Message)
				require.Equal(t, 200, res.Status, "Apollo's link reads the error from the body")

				res = apq(t, c.client, hash, doc)
				require.Empty(t, res.Errors)
				require.JSONEq(t, `{"variantBySku": {"sku": "APQ-TEE", "available": 3}}`, string(res.Data))

				res = apq(t, c.client, hash, "")
				require.Empty(t, res.Errors)
				require.JSONEq(t, `{"variantBySku": {"sku": "APQ-TEE", "available": 3}}`, string(res.Data))
			})
		}

		admin := srv.Admin()
		// A document whose hash is not the one sent is refused, and not registered.
		other := `{ variantBySku(sku: "APQ-TEE") { sku } }`
		res := apq(t, admin, sha256Of(other+" "), other)
		require.Equal(t, "INVALID_ARGUMENT", res.Code())
		require.Contains(t, res.Errors[0].Message, "not the SHA-256 of the query")
		require.Equal(t, "PERSISTED_QUERY_NOT_FOUND", apq(t, admin, sha256Of(other+" "), "").Code())
		// Malformed extensions are refused with a message.
		res, err := admin.DoRaw(context.Background(), map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 2, "sha256Hash": hash}}})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", res.Code())
		require.Contains(t, res.Errors[0].Message, "version must be 1")
		require.Equal(t, "INVALID_ARGUMENT", apq(t, admin, "not-a-hash", "").Code())

		// Partners stay on trusted documents: they cannot register one, nor run one registered by
		// someone else.
		partner := srv.Client(srv.Key(t, auth.Partner, nil))
		mine := `{ inventoryLevels { totalCount } }`
		res = apq(t, partner, sha256Of(mine), mine)
		require.Equal(t, "FORBIDDEN", res.Code())
		require.Equal(t, "NOT_FOUND", apq(t, partner, sha256Of(mine), "").Code())
		require.Equal(t, "NOT_FOUND", apq(t, partner, hash, "").Code(), "a document registered by another key")
		require.Equal(t, "PERSISTED_QUERY_NOT_FOUND", apq(t, admin, sha256Of(mine), "").Code(), "the partner's attempt registered nothing")
	})
}

func TestDocumentID(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, dbURL string) {
		srv := ordotest.Start(t, dbURL)
		loc := srv.Location(t, "3PL-DOC", 1)
		srv.SKU(t, "DOC-TEE", map[pulid.ID]int64{loc.ID: 4})
		ops, err := graph.PersistedOperations()
		require.NoError(t, err)
		var stock graph.PersistedOperation
		for _, op := range ops {
			if op.Name == "PartnerStockLevels" {
				stock = op
			}
		}
		require.NotEmpty(t, stock.SHA256)
		_, partnerKey, err := srv.Inst.Keys.CreateBound(context.Background(), "3pl", auth.Partner, auth.Binding{LocationIDs: []pulid.ID{loc.ID}})
		require.NoError(t, err)
		partner := srv.Client(partnerKey)
		vars := map[string]any{"locationIDs": []string{string(loc.ID)}}

		// POST, as GraphQL over HTTP's persisted documents have it.
		res, err := partner.DoRaw(context.Background(), map[string]any{"documentId": "sha256:" + stock.SHA256, "variables": vars})
		require.NoError(t, err)
		require.Empty(t, res.Errors)
		require.Contains(t, string(res.Data), `"onHand":4`)

		// GET.
		varsJSON, err := json.Marshal(vars)
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/graphql?"+url.Values{"documentId": {"sha256:" + stock.SHA256}, "variables": {string(varsJSON)}}.Encode(), nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+partnerKey)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		require.Contains(t, string(body), `"onHand":4`)

		// documentId names trusted documents only: not an automatic persisted query, even one known.
		admin := srv.Admin()
		doc := `{ locations { totalCount } }`
		require.Empty(t, apq(t, admin, sha256Of(doc), doc).Errors)
		res, err = admin.DoRaw(context.Background(), map[string]any{"documentId": "sha256:" + sha256Of(doc)})
		require.NoError(t, err)
		require.Equal(t, "NOT_FOUND", res.Code())
		for _, bad := range []string{"abc", stock.SHA256, "md5:" + stock.SHA256, "sha256:" + stock.SHA256[:10]} {
			res, err = partner.DoRaw(context.Background(), map[string]any{"documentId": bad})
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", res.Code(), bad)
			require.Contains(t, res.Errors[0].Message, `documentId must be "sha256:" and 64 hex digits`)
		}
	})
}
