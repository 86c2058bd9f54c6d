package shopee

import (
	"strconv"
	"strings"
)

// ListingID is how Ordo names a Shopee listing: "item_id:model_id", with model_id 0 for an item
// without models, as update_stock and cancel_order key them. Line.ListingID carries it and
// PushStock reads it back when a StockLevel has no item_id and model_id Attrs. It is "" without an
// item id.
func ListingID(itemID, modelID string) string {
	itemID, modelID = strings.TrimSpace(itemID), strings.TrimSpace(modelID)
	if itemID == "" {
		return ""
	}
	if modelID == "" {
		modelID = "0"
	}
	return itemID + ":" + modelID
}

// ParseListingID splits a ListingID into its item and model ids, both decimal; ok is false for
// anything else.
func ParseListingID(id string) (itemID, modelID string, ok bool) {
	itemID, modelID, found := strings.Cut(id, ":")
	if !found || !isDecimal(itemID) || !isDecimal(modelID) {
		return "", "", false
	}
	return itemID, modelID, true
}

// isDecimal reports whether s is a run of ASCII digits that fits an int64, as Shopee's ids are.
func isDecimal(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil && strings.Trim(s, "0123456789") == ""
}
