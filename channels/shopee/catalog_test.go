package shopee

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

// response reads the response object of a saved answer.
func response(t *testing.T, name string) json.RawMessage {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	var env struct {
		Response json.RawMessage `json:"response"`
	}
	require.NoError(t, json.Unmarshal(raw, &env))
	return env.Response
}

func TestParseCatalog(t *testing.T) {
	ids, next, err := parseItemList(response(t, "catalog_get_item_list.json"))
	require.NoError(t, err)
	require.Equal(t, []string{"800000001", "800000002"}, ids)
	require.Equal(t, "2", next)

	items, err := parseBaseInfo(response(t, "catalog_get_item_base_info.json"))
	require.NoError(t, err)
	require.Len(t, items, 2)
	require.Equal(t, channels.CatalogItem{
		ListingID: "800000002:0", Attrs: map[string]string{"item_id": "800000002", "model_id": "0"},
		SellerSKU: "MUG-01 ", Barcode: "8850000000019", Title: "Enamel mug", Price: 18900, Currency: "THB", Active: true,
	}, items[1].single(), "an item without models is one listing; a float price is rounded to the minor unit")

	models, err := parseModelList(items[0], response(t, "catalog_get_model_list.json"))
	require.NoError(t, err)
	require.Len(t, models, 3)
	require.Equal(t, channels.CatalogItem{
		ListingID: "800000001:900000011", Attrs: map[string]string{"item_id": "800000001", "model_id": "900000011"},
		SellerSKU: "TEE-RED-S", Title: "Cotton tee / Red / S", Options: map[string]string{"Color": "Red", "Size": "S"},
		Price: 25000, Currency: "THB", Active: true,
	}, models[0], `gtin_code "00" is none`)
	require.Equal(t, "8850000000026", models[1].Barcode)
	require.Equal(t, map[string]string{"Color": "Blue", "Size": "M"}, models[1].Options)
	require.Equal(t, int64(26050), models[1].Price)
	require.False(t, models[1].Active, "an unavailable model is not listed")
	require.Empty(t, models[2].Options, "tier indexes the tiers do not have name no option")
	require.Zero(t, models[2].Price)

	_, _, err = parseItemList(json.RawMessage(`{"item":[],"has_next_page":true,"next_offset":0}`))
	require.Error(t, err, "a next page that does not move is refused")
}

func FuzzParseModelList(f *testing.F) {
	for _, n := range []string{"catalog_get_model_list.json", "catalog_get_item_base_info.json", "catalog_get_item_list.json"} {
		raw, err := os.ReadFile("testdata/" + n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte(`{"tier_variation":[{"option_list":[]}],"model":[{"model_id":"1","tier_index":[0,0,0]}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		item := baseItem{ItemID: "1", ItemStatus: "NORMAL"}
		models, _ := parseModelList(item, raw)
		for _, m := range models {
			if m.Attrs["model_id"] == "" {
				t.Fatal("a model always has an id")
			}
		}
		_, _, _ = parseItemList(raw)
		_, _ = parseBaseInfo(raw)
	})
}
