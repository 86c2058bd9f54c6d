package tiktokshop

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// dataOf reads the data of a saved TikTok Shop answer.
func dataOf(t testing.TB, raw []byte) []byte {
	t.Helper()
	e, err := readEnvelope(raw)
	require.NoError(t, err)
	return e.Data
}

func TestOrderPackagesFixture(t *testing.T) {
	op, err := parseOrderPackages(dataOf(t, fixture(t, "docs_example_response_get-order-detail.json")), "576461413038785752")
	require.NoError(t, err)
	// The sample's line item names another package than packages[]; packages[] is the order's.
	require.Equal(t, []string{"1152321127278713123"}, op.Packages)
	require.Equal(t, "1153132168123859123", op.Units["577086512123755123"])
	_, err = parseOrderPackages(dataOf(t, fixture(t, "docs_example_response_get-order-detail.json")), "1")
	require.ErrorIs(t, err, channels.ErrRefused)
}

func TestPackageDetailFixture(t *testing.T) {
	d, err := parsePackageDetail(dataOf(t, fixture(t, "docs_example_response_get-package-detail.json")))
	require.NoError(t, err)
	require.Equal(t, packageDetail{Status: "PROCESSING", TrackingNumber: "6617675021119438849", ShippingProvider: "TT Virtual express"}, d)
	require.False(t, d.arranged(), "a PROCESSING package is still to ship")
}

func TestPackagesOf(t *testing.T) {
	op, err := parseOrderPackages([]byte(`{"orders":[{"id":"O","line_items":[
		{"id":"u1","sku_id":"S1","package_id":"P1"},{"id":"u2","sku_id":"S1","package_id":"P2"},
		{"id":"u3","sku_id":"S2","package_id":"P3"},{"id":"u4","sku_id":"S3"}]}]}`), "O")
	require.NoError(t, err)
	require.Equal(t, []string{"P1", "P2", "P3"}, op.Packages, "no packages[]: the line items' packages")
	for _, tc := range []struct {
		name  string
		lines []channels.ShipmentLine
		want  []string
	}{
		{"all", nil, []string{"P1", "P2", "P3"}},
		{"by unit", []channels.ShipmentLine{{ListingID: "S1", UnitIDs: []string{"u2"}}}, []string{"P2"}},
		{"by listing", []channels.ShipmentLine{{ListingID: "S1"}}, []string{"P1", "P2"}},
		{"in the order's order", []channels.ShipmentLine{{UnitIDs: []string{"u3"}}, {UnitIDs: []string{"u1"}}}, []string{"P1", "P3"}},
		{"named nowhere: all", []channels.ShipmentLine{{ListingID: "S9"}}, []string{"P1", "P2", "P3"}},
	} {
		t.Run(tc.name, func(t *testing.T) { require.Equal(t, tc.want, packagesOf(op, tc.lines)) })
	}
}

func TestArranged(t *testing.T) {
	for _, tc := range []struct {
		d    packageDetail
		want bool
	}{
		{packageDetail{Status: "PROCESSING", TrackingNumber: "T"}, false},
		{packageDetail{Status: "FULFILLING", TrackingNumber: "T"}, true},
		{packageDetail{Status: "FULFILLING"}, false},
		{packageDetail{TrackingNumber: "T"}, false},
	} {
		require.Equal(t, tc.want, tc.d.arranged(), "%+v", tc.d)
	}
}

func TestDocURL(t *testing.T) {
	u, err := parseDocURL([]byte(`{"doc_url":"https://open-fs-sg.tiktokshop.com/label/1.pdf?sig=x","tracking_number":"T"}`))
	require.NoError(t, err)
	require.Equal(t, "https://open-fs-sg.tiktokshop.com/label/1.pdf?sig=x", u)
	for _, bad := range []string{`{}`, `{"doc_url":"label.pdf"}`, `{"doc_url":"file:///etc/passwd"}`, `{"doc_url":3}`} {
		_, err := parseDocURL([]byte(bad))
		require.Error(t, err, bad)
	}
}

func FuzzLogistics(f *testing.F) {
	f.Add(dataOf(f, fixture(f, "docs_example_response_get-order-detail.json")))
	f.Add(dataOf(f, fixture(f, "docs_example_response_get-package-detail.json")))
	f.Add([]byte(`{"orders":[{"id":"O","packages":[null,{}],"line_items":[null,{"package_id":1}]}]}`))
	f.Add([]byte(`{"doc_url":"https://x/y"}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if op, err := parseOrderPackages(raw, "O"); err == nil {
			for _, p := range packagesOf(op, []channels.ShipmentLine{{ListingID: "S", UnitIDs: []string{"u"}}}) {
				if p == "" {
					t.Fatal("an empty package id")
				}
			}
		}
		_, _ = parsePackageDetail(raw)
		if u, err := parseDocURL(raw); err == nil && u == "" {
			t.Fatal("an empty doc_url")
		}
	})
}
