package lazada

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestListingID(t *testing.T) {
	for _, tc := range []struct{ name, skuID, shopSKU, want string }{
		{"sku_id wins", "666", "BE494HLAAUE3SGAMZ-39898", "666"},
		{"sku_id missing: the SkuId shop_sku ends with", "", "2384781926_PH-10723473521", "10723473521"},
		{"sku_id zero: the same", "0", "2384781926_MY-17023495", "17023495"},
		{"lower-case venture", "", "2384781926_th-5", "5"},
		{"old shop_sku form is kept whole", "", "BE494HLAAUE3SGAMZ-39898", "BE494HLAAUE3SGAMZ-39898"},
		{"padded values", " ", " 1_SG-42 ", "42"},
		{"neither", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, listingID(tc.skuID, tc.shopSKU))
		})
	}
}
