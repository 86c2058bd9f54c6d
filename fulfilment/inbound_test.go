package fulfilment

import (
	"testing"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/documents"
	"github.com/ordo-oms/ordo/ent/document"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/shipment"
)

// A return shipment's label goes from the customer back to the location, and collects no cash
// even when the order was an unpaid COD.
func TestLabelRequestReturn(t *testing.T) {
	sh, o, loc, pkgs := labelFixture()
	sh.Direction = shipment.DirectionRETURN
	o.PaymentMethod, o.PaymentStatus = order.PaymentMethodCOD, order.PaymentStatusPENDING
	req, err := labelRequest(sh, o, loc, pkgs, "", documents.PDF4x6)
	if err != nil {
		t.Fatal(err)
	}
	if req.From.Name != "สมชาย ใจดี" || req.To.Name != "Bangkok DC" || req.To.Line1 != "1 Rama IV Rd" {
		t.Errorf("from %+v to %+v, want the customer to the location", req.From, req.To)
	}
	if req.COD.Amount != 0 {
		t.Errorf("a return collects %+v", req.COD)
	}
}

func TestReadable(t *testing.T) {
	for _, tc := range []struct {
		role      auth.Role
		kind      document.Kind
		direction shipment.Direction
		want      bool
	}{
		{auth.Storefront, document.KindLABEL, shipment.DirectionRETURN, true},
		{auth.Storefront, document.KindLABEL, shipment.DirectionOUTBOUND, false},
		{auth.Storefront, document.KindPACKING_SLIP, shipment.DirectionRETURN, false},
		{auth.Storefront, document.KindAIRWAY_BILL, shipment.DirectionOUTBOUND, false},
		{auth.Support, document.KindLABEL, shipment.DirectionOUTBOUND, true},
		{auth.Partner, document.KindPACKING_SLIP, shipment.DirectionOUTBOUND, true},
	} {
		if got := readable(tc.role, tc.kind, tc.direction); got != tc.want {
			t.Errorf("readable(%s, %s, %s) = %v, want %v", tc.role, tc.kind, tc.direction, got, tc.want)
		}
	}
}
