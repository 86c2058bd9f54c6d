package lazada

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestPackedResultFixture(t *testing.T) {
	got, err := packedResult(fixture(t, "docs_example_response_pack.json"))
	require.NoError(t, err)
	require.Equal(t, []channels.ArrangedPackage{{Ref: "FP022511752246001", TrackingNumber: "TH340231JV0W0A", Carrier: "Flash Express"}}, got)
}

func TestPackedResult(t *testing.T) {
	got, err := packedResult([]byte(`{"result":{"success":true,"data":{"pack_order_list":[{"order_item_list":[
		{"order_item_id":"1","item_err_code":"0","package_id":"FP1","tracking_number":"T1","shipment_provider":"Flash"},
		{"order_item_id":"2","item_err_code":"0","package_id":"FP1","tracking_number":"T1","shipment_provider":"Flash"},
		{"order_item_id":"3","item_err_code":"0","package_id":"FP2","tracking_number":"T2","shipment_provider":"Kerry"}]}]}}}`))
	require.NoError(t, err)
	require.Equal(t, []channels.ArrangedPackage{{Ref: "FP1", TrackingNumber: "T1", Carrier: "Flash"}, {Ref: "FP2", TrackingNumber: "T2", Carrier: "Kerry"}}, got)
	_, err = packedResult([]byte(`{"result":{"success":true,"data":{"pack_order_list":[{"order_item_list":[{"order_item_id":"1","item_err_code":"700026","msg":"no"}]}]}}}`))
	require.ErrorIs(t, err, channels.ErrRefused)
}

func TestParseDocument(t *testing.T) {
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	for _, tc := range []struct {
		name, body, contentType string
		want                    []byte
		refused, fails          bool
	}{
		{name: "PDF", body: `{"result":{"success":true,"data":{"doc_type":"PDF","file":"` + base64.StdEncoding.EncodeToString(pdf) + `"}}}`, contentType: "application/pdf", want: pdf},
		{name: "HTML", body: `{"result":{"success":true,"data":{"doc_type":"HTML","file":"` + base64.StdEncoding.EncodeToString([]byte("<html></html>")) + `"}}}`, contentType: "text/html; charset=utf-8", want: []byte("<html></html>")},
		{name: "refused", body: `{"result":{"success":false,"error_code":"700010","error_msg":"package not found"}}`, refused: true},
		{name: "no file", body: `{"result":{"success":true,"data":{"doc_type":"PDF","file":""}}}`, refused: true},
		{name: "not base64", body: `{"result":{"success":true,"data":{"doc_type":"PDF","file":"%%%"}}}`, fails: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := parseDocument([]byte(tc.body))
			switch {
			case tc.refused:
				require.ErrorIs(t, err, channels.ErrRefused)
			case tc.fails:
				require.Error(t, err)
			default:
				require.NoError(t, err)
				require.Equal(t, tc.contentType, d.ContentType)
				require.Equal(t, tc.want, d.Body)
			}
		})
	}
}

func FuzzLogistics(f *testing.F) {
	f.Add(fixture(f, "docs_example_response_pack.json"))
	f.Add([]byte(`{"result":{"success":true,"data":{"doc_type":"PDF","file":"JVBERg=="}}}`))
	f.Add([]byte(`{"result":{"success":"true","data":{"pack_order_list":[{"order_item_list":[null,{"package_id":1,"item_err_code":0}]}]}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if pkgs, err := packedResult(body); err == nil {
			for _, p := range pkgs {
				if p.Ref == "" {
					t.Fatal("a package without an id")
				}
			}
		}
		if d, err := parseDocument(body); err == nil && len(d.Body) == 0 {
			t.Fatal("an empty document")
		}
	})
}
