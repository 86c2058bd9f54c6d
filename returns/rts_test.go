package returns

import (
	"reflect"
	"testing"

	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
)

func TestShipmentStep(t *testing.T) {
	for _, tc := range []struct {
		r                  orderreturn.Status
		sh                 shipment.Status
		inTransit, arrived bool
	}{
		{orderreturn.StatusAPPROVED, shipment.StatusOPEN, false, false},
		{orderreturn.StatusAPPROVED, shipment.StatusREADY, false, false},
		{orderreturn.StatusAPPROVED, shipment.StatusSHIPPED, true, false},
		{orderreturn.StatusAPPROVED, shipment.StatusIN_TRANSIT, true, false},
		{orderreturn.StatusAPPROVED, shipment.StatusEXCEPTION, true, false},
		{orderreturn.StatusAPPROVED, shipment.StatusDELIVERED, true, true}, // the first scan was the delivery
		{orderreturn.StatusIN_TRANSIT, shipment.StatusIN_TRANSIT, false, false},
		{orderreturn.StatusIN_TRANSIT, shipment.StatusOUT_FOR_DELIVERY, false, false},
		{orderreturn.StatusIN_TRANSIT, shipment.StatusDELIVERED, false, true},
		{orderreturn.StatusRECEIVED, shipment.StatusDELIVERED, false, false}, // staff were quicker than the scan
		{orderreturn.StatusCANCELLED, shipment.StatusIN_TRANSIT, false, false},
		{orderreturn.StatusCANCELLED, shipment.StatusDELIVERED, false, false},
		{orderreturn.StatusAPPROVED, shipment.StatusRETURNED_TO_SENDER, false, false}, // back at the customer's
		{orderreturn.StatusAPPROVED, shipment.StatusCANCELLED, false, false},
		{orderreturn.StatusREQUESTED, shipment.StatusIN_TRANSIT, false, false},
	} {
		inTransit, arrived := ShipmentStep(tc.r, tc.sh)
		if inTransit != tc.inTransit || arrived != tc.arrived {
			t.Errorf("ShipmentStep(%s, %s) = %v, %v; want %v, %v", tc.r, tc.sh, inTransit, arrived, tc.inTransit, tc.arrived)
		}
	}
}

func TestRTSLines(t *testing.T) {
	const a, b, c pulid.ID = "oln_a", "oln_b", "oln_c"
	for _, tc := range []struct {
		name                      string
		carried, shipped, already map[pulid.ID]int64
		want                      []LineInput
	}{
		{"the whole parcel", map[pulid.ID]int64{b: 1, a: 2}, map[pulid.ID]int64{a: 2, b: 1}, nil,
			[]LineInput{{OrderLineID: a, Quantity: 2}, {OrderLineID: b, Quantity: 1}}},
		{"units on another return are left out", map[pulid.ID]int64{a: 2, b: 1}, map[pulid.ID]int64{a: 3, b: 1}, map[pulid.ID]int64{a: 2, b: 1},
			[]LineInput{{OrderLineID: a, Quantity: 1}}},
		{"everything on returns already", map[pulid.ID]int64{a: 1}, map[pulid.ID]int64{a: 1}, map[pulid.ID]int64{a: 1}, nil},
		{"a line not shipped", map[pulid.ID]int64{c: 1}, map[pulid.ID]int64{}, nil, nil},
		{"nothing carried", nil, map[pulid.ID]int64{a: 1}, nil, nil},
	} {
		if got := RTSLines(tc.carried, tc.shipped, tc.already); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: RTSLines = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
