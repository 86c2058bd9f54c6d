package lazada

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestStockPayloadIsTheDocsShape(t *testing.T) {
	// The docs' payload sample: its first SKU is the single-warehouse form Ordo sends.
	var docs stockRequest
	require.NoError(t, xml.Unmarshal(fixture(t, "docs_example_request_updatesellablequantity_payload.xml"), &docs))
	require.Len(t, docs.SKUs, 2)
	single := skuUpdate{ItemID: "234234234", SkuID: "234", SellerSKU: "Apple-SG-Glod-64G", SellableQuantity: 20}
	require.Equal(t, single, docs.SKUs[0])

	got, err := stockPayload([]skuUpdate{single})
	require.NoError(t, err)
	require.Equal(t, "<Request><Product><Skus><Sku><ItemId>234234234</ItemId><SkuId>234</SkuId>"+
		"<SellerSku>Apple-SG-Glod-64G</SellerSku><SellableQuantity>20</SellableQuantity></Sku></Skus></Product></Request>", got)

	got, err = stockPayload([]skuUpdate{{SellerSKU: "A&B<1>", SellableQuantity: 0}})
	require.NoError(t, err)
	require.Equal(t, "<Request><Product><Skus><Sku><SellerSku>A&amp;B&lt;1&gt;</SellerSku><SellableQuantity>0</SellableQuantity></Sku></Skus></Product></Request>", got,
		"escaped, empty keys left out, a zero quantity kept")
}

func TestSkuOf(t *testing.T) {
	tests := []struct {
		name  string
		level channels.StockLevel
		want  skuUpdate
		ok    bool
	}{
		{"ListingID is the SkuId, SKU the SellerSku",
			channels.StockLevel{ListingID: "2114389101", SKU: "TEE-M", Attrs: map[string]string{"item_id": "1503947521"}, Quantity: 4},
			skuUpdate{ItemID: "1503947521", SkuID: "2114389101", SellerSKU: "TEE-M", SellableQuantity: 4}, true},
		{"attrs override",
			channels.StockLevel{ListingID: "x", SKU: "y", Attrs: map[string]string{"item_id": "1", "sku_id": "2", "seller_sku": "Z"}},
			skuUpdate{ItemID: "1", SkuID: "2", SellerSKU: "Z"}, true},
		{"item and SKU ids without a seller SKU", channels.StockLevel{ListingID: "2", Attrs: map[string]string{"item_id": "1"}},
			skuUpdate{ItemID: "1", SkuID: "2"}, true},
		{"a SkuId alone names nothing", channels.StockLevel{ListingID: "2"}, skuUpdate{SkuID: "2"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := skuOf(tt.level)
			require.Equal(t, tt.ok, ok)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestStockFailures(t *testing.T) {
	skus := []skuUpdate{{SkuID: "1", SellerSKU: "A"}, {SkuID: "2", SellerSKU: "B"}, {SkuID: "3", SellerSKU: "C"}}
	tests := []struct {
		name   string
		code   string
		detail string
		failed []bool
	}{
		{"501 naming a seller SKU", "501", `[{"field":"SellerSku","message":"not found","seller_sku":"B"}]`, []bool{false, true, false}},
		{"501 naming a SkuId as a number", "501", `[{"message":"stock can only go up","sku_id":3}]`, []bool{false, false, true}},
		{"501 naming none of them", "501", `[{"seller_sku":"Q"}]`, []bool{true, true, true}},
		{"501 without detail", "501", ``, []bool{true, true, true}},
		{"501 with a malformed detail", "501", `{"seller_sku":"A"}`, []bool{true, true, true}},
		{"another code fails the call", "204", `[{"seller_sku":"A"}]`, []bool{true, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := stockFailures(&apiError{path: "/product/stock/sellable/update", code: tt.code, message: "E" + tt.code, detail: []byte(tt.detail)}, skus)
			require.Len(t, errs, len(skus))
			for i, e := range errs {
				if !tt.failed[i] {
					require.NoError(t, e, skus[i].SellerSKU)
					continue
				}
				require.ErrorIs(t, e, channels.ErrRefused, skus[i].SellerSKU)
			}
		})
	}
}

// stockServer answers stock updates, failing the SKUs named bad, and keeps how many SKUs each call
// carried.
type stockServer struct {
	mu    sync.Mutex
	calls []int
	bad   string
}

func (s *stockServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req stockRequest
	if r.ParseForm() != nil || xml.Unmarshal([]byte(r.PostForm.Get("payload")), &req) != nil {
		_, _ = io.WriteString(w, `{"code":"5","message":"E005: Invalid Request Format"}`)
		return
	}
	s.mu.Lock()
	s.calls = append(s.calls, len(req.SKUs))
	s.mu.Unlock()
	for _, sku := range req.SKUs {
		if sku.SellerSKU == s.bad {
			_, _ = fmt.Fprintf(w, `{"code":"501","type":"ISV","message":"E501: Update product failed","detail":[{"field":"SellerSku","message":"SKU not found","seller_sku":%q}]}`, s.bad)
			return
		}
	}
	_, _ = io.WriteString(w, `{"code":"0","data":{},"request_id":"0ba2887315178178017221014"}`)
}

func TestPushStockBatches(t *testing.T) {
	s := &stockServer{bad: "SKU-57"}
	srv := httptest.NewServer(s)
	defer srv.Close()
	var levels []channels.StockLevel
	for i := range 120 {
		levels = append(levels, channels.StockLevel{ListingID: fmt.Sprint(9000 + i), SKU: fmt.Sprintf("SKU-%d", i), Quantity: int64(i)})
	}
	levels[3].SKU = "" // names nothing Lazada can find: not sent
	res, err := testClient(t, srv.URL+"/rest").PushStock(context.Background(), levels)
	require.NoError(t, err)
	require.Equal(t, []int{50, 50, 19}, s.calls, "50 SKUs a call")
	require.Len(t, res, len(levels))
	for i, r := range res {
		require.Equal(t, levels[i].ListingID, r.ListingID)
		switch i {
		case 3:
			require.ErrorContains(t, r.Err, "no seller SKU")
		case 57:
			require.ErrorIs(t, r.Err, channels.ErrRefused)
			require.True(t, strings.Contains(r.Err.Error(), "SKU-57"), r.Err.Error())
		default:
			require.NoError(t, r.Err, i)
		}
	}
}

func TestPushStockStopsOnThrottling(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"type":"ISP","code":"ApiCallLimit","message":"The request has exceeded the limit"}`)
	}))
	defer srv.Close()
	_, err := testClient(t, srv.URL+"/rest").PushStock(context.Background(), []channels.StockLevel{{ListingID: "1", SKU: "A", Quantity: 1}})
	var limited *channels.RateLimitError
	require.ErrorAs(t, err, &limited)
}
