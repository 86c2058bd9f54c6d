package lazada

import (
	"regexp"
	"strings"
)

// shopSKU is the form of a current shop_sku: the product's item_id, the venture (country) and the
// SkuId, as in 2384781926_PH-10723473521.
var shopSKU = regexp.MustCompile(`^[0-9]+_[A-Za-z]{2}-([0-9]+)$`)

// listingID is the SkuId of a unit, the id Lazada's stock updates name: sku_id, or, on the items
// that leave it out, the SkuId that their shop_sku ends with; else the shop_sku as it is (an old
// form such as BE494HLAAUE3SGAMZ-39898, whose tail is not the SkuId), so that a listing keyed by it
// still maps and the seller SKU is tried after it.
func listingID(skuID, shopSKUValue string) string {
	if id := strings.TrimSpace(skuID); id != "" && id != "0" {
		return id
	}
	s := strings.TrimSpace(shopSKUValue)
	if m := shopSKU.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return s
}
