package lazada

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/channels"
)

func TestPackedPackages(t *testing.T) {
	// The docs' sample: a success with a stray error_code beside it; the unit went into a package.
	got, err := packedPackages(fixture(t, "docs_example_response_pack.json"))
	require.NoError(t, err)
	require.Equal(t, []string{"FP022511752246001"}, got)

	two := `{"code":"0","result":{"success":true,"data":{"pack_order_list":[{"order_id":1,"order_item_list":[
		{"order_item_id":11,"item_err_code":"0","package_id":"FP1"},{"order_item_id":12,"item_err_code":"0","package_id":"FP1"},
		{"order_item_id":13,"item_err_code":0,"package_id":"FP2"}]}]}}}`
	got, err = packedPackages([]byte(two))
	require.NoError(t, err)
	require.Equal(t, []string{"FP1", "FP2"}, got, "each package once")

	for name, tt := range map[string]struct{ body, wantErr string }{
		"the batch failed": {`{"code":"0","result":{"success":false,"error_code":"700004","error_msg":"param illegal"}}`, "700004: param illegal"},
		"a unit failed": {`{"code":"0","result":{"success":"true","data":{"pack_order_list":[{"order_item_list":[
			{"order_item_id":"11","item_err_code":"0","package_id":"FP1"},{"order_item_id":"12","item_err_code":"700026","msg":"item current status not allow to pack"}]}]}}}`,
			"12: 700026 item current status not allow to pack"},
		"no package": {`{"code":"0","result":{"success":true,"data":{"pack_order_list":[]}}}`, "no package"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := packedPackages([]byte(tt.body))
			require.ErrorIs(t, err, channels.ErrRefused)
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestShippedPackages(t *testing.T) {
	// The docs' sample: a package that was cancelled cannot be made ready to ship.
	err := shippedPackages(fixture(t, "docs_example_response_readytoship.json"))
	require.ErrorIs(t, err, channels.ErrRefused)
	require.ErrorContains(t, err, "FP038524014: 600002 package already cancelled")

	require.NoError(t, shippedPackages([]byte(`{"code":"0","result":{"success":true,"data":{"packages":[{"package_id":"FP1","item_err_code":"0","msg":"success"}]}}}`)))
}

// fulfilServer is a seller's order of four units (pending, packed into P2, shipped, canceled) and
// keeps the fulfilment calls it gets.
type fulfilServer struct {
	mu     sync.Mutex
	calls  []string
	params []map[string]string
}

func (s *fulfilServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ParseForm() != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	p := map[string]string{}
	for k := range r.Form {
		p[k] = r.Form.Get(k)
	}
	path := r.URL.Path[len("/rest"):]
	s.mu.Lock()
	s.calls, s.params = append(s.calls, path), append(s.params, p)
	s.mu.Unlock()
	switch path {
	case "/order/items/get":
		_, _ = io.WriteString(w, `{"code":"0","data":[
			{"order_item_id":1,"order_id":"7","status":"pending","package_id":""},
			{"order_item_id":2,"order_id":"7","status":"packed","package_id":"P2"},
			{"order_item_id":3,"order_id":"7","status":"shipped","package_id":"P3"},
			{"order_item_id":4,"order_id":"7","status":"canceled"}]}`)
	case "/order/fulfill/pack":
		_, _ = io.WriteString(w, `{"code":"0","result":{"success":true,"data":{"pack_order_list":[{"order_id":"7","order_item_list":[{"order_item_id":"1","item_err_code":"0","package_id":"P1"}]}]}}}`)
	case "/order/package/rts":
		_, _ = io.WriteString(w, `{"code":"0","result":{"success":true,"data":{"packages":[]}}}`)
	default:
		_, _ = io.WriteString(w, `{"code":"0","data":{}}`)
	}
}

func TestConfirmShipment(t *testing.T) {
	tests := []struct {
		name      string
		lines     []channels.ShipmentLine
		wantCalls []string
		wantPack  string // packReq sent, if any
		wantRTS   string // readyToShipReq sent, if any
		refused   bool
	}{
		{"the whole order: the pending unit is packed, both packages shipped", nil,
			[]string{"/order/items/get", "/order/fulfill/pack", "/order/package/rts"},
			`{"pack_order_list":[{"order_item_list":[1],"order_id":7}],"delivery_type":"dropship","shipping_allocate_type":"TFS"}`,
			`{"packages":[{"package_id":"P2"},{"package_id":"P1"}]}`, false},
		{"a unit packed before is only shipped", []channels.ShipmentLine{{UnitIDs: []string{"2"}}},
			[]string{"/order/items/get", "/order/package/rts"}, "", `{"packages":[{"package_id":"P2"}]}`, false},
		{"units that left or were cancelled are refused", []channels.ShipmentLine{{UnitIDs: []string{"3"}}, {UnitIDs: []string{"4"}}},
			[]string{"/order/items/get"}, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &fulfilServer{}
			srv := httptest.NewServer(s)
			defer srv.Close()
			err := testClient(t, srv.URL+"/rest").ConfirmShipment(context.Background(), channels.Shipment{OrderID: "7", Carrier: "Kerry", TrackingNumber: "KER1", Lines: tt.lines})
			if tt.refused {
				require.ErrorIs(t, err, channels.ErrRefused)
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, tt.wantCalls, s.calls)
			for i, call := range s.calls {
				switch call {
				case "/order/items/get":
					require.Equal(t, "7", s.params[i]["order_id"])
				case "/order/fulfill/pack":
					require.JSONEq(t, tt.wantPack, s.params[i]["packReq"])
				case "/order/package/rts":
					require.JSONEq(t, tt.wantRTS, s.params[i]["readyToShipReq"])
				}
			}
		})
	}
}

func TestCancelOrder(t *testing.T) {
	tests := []struct {
		name      string
		lines     []channels.ShipmentLine
		extra     map[string]string
		wantCalls []string
		wantUnits string
		wantRea   string
	}{
		{"every unit not shipped or cancelled yet", nil, nil, []string{"/order/items/get", "/order/reverse/cancel/create"}, "[1,2]", DefaultCancelReasonID},
		{"the units of the lines, with the account's reason", []channels.ShipmentLine{{UnitIDs: []string{"1", "2"}}}, map[string]string{"cancel_reason_id": "4501"},
			[]string{"/order/reverse/cancel/create"}, "[1,2]", "4501"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &fulfilServer{}
			srv := httptest.NewServer(s)
			defer srv.Close()
			c := testClient(t, srv.URL+"/rest")
			c.account.Extra = tt.extra
			err := c.CancelOrder(context.Background(), channels.Cancellation{OrderID: "7", Reason: "out of stock", Lines: tt.lines})
			require.NoError(t, err)
			require.Equal(t, tt.wantCalls, s.calls)
			last := s.params[len(s.params)-1]
			require.Equal(t, "7", last["order_id"])
			require.Equal(t, tt.wantRea, last["reason_id"])
			require.Equal(t, tt.wantUnits, last["order_item_id_list"])
		})
	}
}
