package e2e_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/orderreturn"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ordotest"
	"github.com/ordo-oms/ordo/returns"
	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/carriersim"
)

// Return labels end to end: an approved return gets its return shipment and label through the API,
// the customer downloads the label with its own key (and no one else's does), the label decodes to
// the RMA number (no carrier) or to the carrier's tracking number, and the carrier's scans of the
// return shipment move the return, never the order's stock.

const createReturnLabel = `mutation($in: CreateReturnLabelInput!) { createReturnLabel(input: $in) {
  return { id number status shipmentID }
  shipment { id number status method carrier direction trackingNumbers location { code } }
  document { ` + documentFields + ` } } }`

type returnLabelResult struct {
	CreateReturnLabel struct {
		Return   struct{ ID, Number, Status, ShipmentID string }
		Shipment struct {
			ID, Number, Status, Method, Carrier, Direction string
			TrackingNumbers                                []string
			Location                                       struct{ Code string }
		}
		Document documentResult
	}
}

// customerOrder places a paid order of q units of sku for a customer (by email), shipped to
// Bangkok from BKK, ships it by hand, and returns the order's id, its customer and its line.
func customerOrder(t *testing.T, f *shipFixture, sku string, q int, email, payment string) (orderID, customerID, lineID pulid.ID) {
	var out struct {
		PlaceOrder struct {
			Order struct {
				ID, CustomerID pulid.ID
				Lines          []struct{ ID pulid.ID }
			}
		}
	}
	in := map[string]any{"lines": []any{map[string]any{"sku": sku, "quantity": q}}, "shippingAddress": bangkok,
		"customer": map[string]any{"email": email, "name": "Khun " + email}, "paymentMethod": payment}
	if payment != "COD" {
		in["paid"] = true
	}
	f.admin.MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id customerID lines { id } } } }`,
		map[string]any{"in": in}, &out)
	o := out.PlaceOrder.Order
	require.Len(t, o.Lines, 1)
	return o.ID, o.CustomerID, o.Lines[0].ID
}

// approvedReturn records an agent's approved return of q units of a line, expected at loc.
func approvedReturn(t *testing.T, srv *ordotest.Server, orderID, lineID pulid.ID, q int64, loc string) pulid.ID {
	l := pulid.ID(loc)
	r, err := srv.Inst.Returns.Request(auth.NewContext(context.Background(), auth.System), returns.RequestInput{OrderID: orderID,
		ReasonCode: "SIZE_TOO_SMALL", LocationID: &l, Lines: []returns.LineInput{{OrderLineID: lineID, Quantity: q}}, Approve: true})
	require.NoError(t, err)
	require.Equal(t, orderreturn.StatusAPPROVED, r.Status)
	return r.ID
}

func TestReturnLabelAndReturnShipment(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newDocFixture(t, url)
		ctx := context.Background()
		sim := newEasyPostSim()
		labelledCarrier(t, sim)
		acc := connectEasyPost(t, f.admin, sim)
		f.stock(t, "TEE", map[string]int{"BKK": 5})
		orderID, customer, line := customerOrder(t, f, "TEE", 2, "somchai@example.com", "PREPAID")
		shipments := f.plan(t, string(orderID))
		require.Len(t, shipments, 1)
		f.ship(t, shipments[0].ID, "Kerry", "KE0000000001")
		_, other, _ := customerOrder(t, f, "TEE", 1, "other@example.com", "PREPAID")
		ret := approvedReturn(t, f.srv, orderID, line, 2, f.locs["BKK"])

		customerKey := f.srv.Key(t, auth.Storefront, &customer)
		otherKey := f.srv.Key(t, auth.Storefront, &other)
		sf, sfOther := f.srv.Client(customerKey), f.srv.Client(otherKey)
		onHand, reserved := f.level(t, "TEE", f.locs["BKK"])
		status, fulfilment := f.order(t, string(orderID))

		// Another customer's key cannot label this return, nor learn that it exists.
		resp, err := sfOther.Do(ctx, createReturnLabel, map[string]any{"in": map[string]any{"returnID": ret}})
		require.NoError(t, err)
		require.Equal(t, "NOT_FOUND", resp.Code())
		// A storefront does not buy carrier labels on the business's account.
		resp, err = sf.Do(ctx, createReturnLabel, map[string]any{"in": map[string]any{"returnID": ret, "carrierAccountID": acc}})
		require.NoError(t, err)
		require.Equal(t, "FORBIDDEN", resp.Code())
		// ZPL is no return label format.
		resp, err = sf.Do(ctx, createReturnLabel, map[string]any{"in": map[string]any{"returnID": ret, "format": "ZPL"}})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", resp.Code())

		// The customer labels its own return: a label without a carrier, under the RMA number.
		var out returnLabelResult
		sf.MustDo(t, createReturnLabel, map[string]any{"in": map[string]any{"returnID": ret, "format": "PDF_A6"}}, &out)
		got := out.CreateReturnLabel
		rma := got.Return.Number
		require.True(t, strings.HasPrefix(rma, "RMA-"), rma)
		require.Equal(t, "APPROVED", got.Return.Status)
		require.Equal(t, got.Shipment.ID, got.Return.ShipmentID, "the return counts on its return shipment")
		require.Equal(t, "RETURN", got.Shipment.Direction)
		require.Equal(t, "OPEN", got.Shipment.Status)
		require.Equal(t, "MANUAL", got.Shipment.Method)
		require.Equal(t, "BKK", got.Shipment.Location.Code, "it goes back to the return's location")
		require.Equal(t, []string{rma}, got.Shipment.TrackingNumbers, "the RMA number is its reference")
		require.Equal(t, "LABEL", got.Document.Kind)
		require.Equal(t, "PDF_A6", got.Document.Format)
		returnShipment := got.Shipment.ID
		manualLabel := got.Document

		// Asking again returns the label made.
		sf.MustDo(t, createReturnLabel, map[string]any{"in": map[string]any{"returnID": ret, "format": "PDF_A6"}}, &out)
		require.Equal(t, manualLabel.ID, out.CreateReturnLabel.Document.ID)
		require.Equal(t, returnShipment, out.CreateReturnLabel.Shipment.ID)

		// The customer downloads it; another customer's key does not learn it exists.
		body := downloadOK(t, f.srv, manualLabel, customerKey)
		require.Equal(t, body, downloadOK(t, f.srv, manualLabel, f.srv.AdminKey))
		r, _ := download(t, f.srv, manualLabel.URL, otherKey)
		require.Equal(t, http.StatusNotFound, r.StatusCode)
		// A storefront lists its return shipment's label, and reads no document of its outbound shipment.
		var listed struct {
			Node struct{ Documents []documentResult }
		}
		sf.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Shipment { documents { `+documentFields+` } } } }`, map[string]any{"id": returnShipment}, &listed)
		require.Len(t, listed.Node.Documents, 1)
		var slip struct {
			PrintPackingSlip struct{ Document documentResult }
		}
		f.admin.MustDo(t, `mutation($id: ID!) { printPackingSlip(input: {shipmentID: $id}) { document { `+documentFields+` } } }`, map[string]any{"id": shipments[0].ID}, &slip)
		r, _ = download(t, f.srv, slip.PrintPackingSlip.Document.URL, customerKey)
		require.Equal(t, http.StatusNotFound, r.StatusCode, "a storefront downloads return labels only")
		sf.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Shipment { documents { `+documentFields+` } } } }`, map[string]any{"id": shipments[0].ID}, &listed)
		require.Empty(t, listed.Node.Documents)

		// Staff buy a carrier's label for the same return shipment: the label is the carrier's
		// tracking number now.
		f.admin.MustDo(t, createReturnLabel, map[string]any{"in": map[string]any{"returnID": ret, "carrierAccountID": acc}}, &out)
		got = out.CreateReturnLabel
		require.Equal(t, returnShipment, got.Shipment.ID)
		require.Equal(t, "CARRIER", got.Shipment.Method)
		require.Len(t, got.Shipment.TrackingNumbers, 1)
		tracking := got.Shipment.TrackingNumbers[0]
		require.NotEqual(t, rma, tracking)
		parcel, ok := sim.Parcel(tracking)
		require.True(t, ok)
		require.Equal(t, returnShipment, parcel.Reference)
		require.NotEqual(t, manualLabel.ID, got.Document.ID, "a new return label, with the carrier's tracking number")
		carrierLabel := downloadOK(t, f.srv, got.Document, customerKey)

		// The carrier's scans move the return shipment, and with it the return; no stock moves and
		// the order does not follow.
		hook := f.srv.URL + "/webhooks/carriers/" + acc
		d, err := sim.Advance(tracking, carriersim.Step{Tag: shipping.InTransit, City: "Bangkok"})
		require.NoError(t, err)
		for range 2 { // a replay changes nothing
			code, err := sim.Send(ctx, hook, d)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, code)
		}
		rt, err := f.srv.Inst.DB.Client.OrderReturn.Get(ctx, ret)
		require.NoError(t, err)
		require.Equal(t, orderreturn.StatusIN_TRANSIT, rt.Status)
		sh := loadShipment(t, f, returnShipment)
		require.Equal(t, shipment.StatusIN_TRANSIT, sh.Status)
		onHand2, reserved2 := f.level(t, "TEE", f.locs["BKK"])
		require.Equal(t, [2]int{onHand, reserved}, [2]int{onHand2, reserved2}, "a return shipment moves no outbound stock")
		status2, fulfilment2 := f.order(t, string(orderID))
		require.Equal(t, [2]string{status, fulfilment}, [2]string{status2, fulfilment2}, "the order does not follow a return shipment")

		// Labelling again in transit returns what was made.
		f.admin.MustDo(t, createReturnLabel, map[string]any{"in": map[string]any{"returnID": ret}}, &out)
		require.Equal(t, got.Document.ID, out.CreateReturnLabel.Document.ID)

		// Delivered back: return.arrived, once, for staff to receive it.
		d, err = sim.Advance(tracking, carriersim.Step{Tag: shipping.Delivered})
		require.NoError(t, err)
		for range 2 {
			code, err := sim.Send(ctx, hook, d)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, code)
		}
		arrived, err := f.srv.Inst.DB.Client.Event.Query().Where(event.Type(events.KindReturnArrived)).All(ctx)
		require.NoError(t, err)
		require.Len(t, arrived, 1)
		require.Equal(t, string(ret), arrived[0].Data["returnID"])
		require.Equal(t, string(orderID), arrived[0].OrderID)
		require.Equal(t, f.locs["BKK"], arrived[0].LocationID)

		// Received and back on sale: +2 on hand at BKK.
		receiveSellable(t, f.srv, ret, f.locs["BKK"])
		onHand3, _ := f.level(t, "TEE", f.locs["BKK"])
		require.Equal(t, onHand+2, onHand3)
		f.srv.Audit(t)

		needPDFTools(t)
		require.Equal(t, []string{"CODE-128:" + rma, "QR-Code:" + rma}, barcodes(t, body))
		text := pdfText(t, body)
		for _, want := range []string{rma, "RETURN TO", "BKK", "1 Rama IV Road", "Nguyễn Thị Minh Khai", "2 × TEE"} {
			require.Contains(t, text, want)
		}
		codes := barcodes(t, carrierLabel)
		require.Contains(t, codes, "CODE-128:"+tracking)
		require.Contains(t, pdfText(t, carrierLabel), rma)
	})
}

// A claim sends nothing back, and a return not approved yet gets no label (a marketplace's order
// comes back with the marketplace's logistics: returns.Labelable's table).
func TestReturnLabelRefusals(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newDocFixture(t, url)
		ctx := context.Background()
		f.stock(t, "CAP", map[string]int{"BKK": 5})
		orderID, _, line := customerOrder(t, f, "CAP", 2, "cap@example.com", "PREPAID")
		shipments := f.plan(t, string(orderID))
		f.ship(t, shipments[0].ID, "Kerry", "KE0000000002")
		sys := auth.NewContext(ctx, auth.System)
		requested, err := f.srv.Inst.Returns.Request(sys, returns.RequestInput{OrderID: orderID, Lines: []returns.LineInput{{OrderLineID: line, Quantity: 1}}})
		require.NoError(t, err)
		claim, err := f.srv.Inst.Returns.Request(sys, returns.RequestInput{OrderID: orderID, Kind: orderreturn.KindCLAIM,
			Lines: []returns.LineInput{{OrderLineID: line, Quantity: 1}}, Approve: true})
		require.NoError(t, err)
		for _, id := range []pulid.ID{requested.ID, claim.ID} {
			resp, err := f.admin.Do(ctx, createReturnLabel, map[string]any{"in": map[string]any{"returnID": id}})
			require.NoError(t, err)
			require.Equal(t, "CONFLICT", resp.Code(), id)
		}
		n, err := f.srv.Inst.DB.Client.Shipment.Query().Where(shipment.DirectionEQ(shipment.DirectionRETURN)).Count(ctx)
		require.NoError(t, err)
		require.Zero(t, n, "a refused label makes no shipment")
	})
}

// receiveSellable receives every unit of a return at loc and puts them back on sale.
func receiveSellable(t *testing.T, srv *ordotest.Server, ret pulid.ID, loc string) {
	ctx := auth.NewContext(context.Background(), auth.System)
	lines, err := srv.Inst.DB.Client.ReturnLine.Query().Where().All(ctx)
	require.NoError(t, err)
	in := returns.ReceiveInput{ReturnID: ret, LocationID: pulid.ID(loc)}
	disp := returns.DispositionInput{ReturnID: ret}
	for _, l := range lines {
		if l.ReturnID != ret {
			continue
		}
		in.Lines = append(in.Lines, returns.ReceiveLine{ReturnLineID: l.ID, Quantity: l.Quantity})
		disp.Lines = append(disp.Lines, returns.DispositionLine{ReturnLineID: l.ID, Kind: "SELLABLE", Quantity: l.Quantity})
	}
	_, err = srv.Inst.Returns.Receive(ctx, in)
	require.NoError(t, err)
	_, err = srv.Inst.Returns.Disposition(ctx, disp)
	require.NoError(t, err)
}

// The reason catalogue through the API: seeded on first use, mapped per channel, nested, and
// managed by managers; inactive reasons are hidden from all but staff who ask for them.
func TestReturnReasonCatalogue(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		ctx := context.Background()
		admin := srv.Admin()
		sf := srv.Client(srv.Key(t, auth.Storefront, nil))
		type reason struct {
			Code, Label, ParentCode, DefaultDisposition string
			Active                                      bool
			ChannelCodes                                []struct {
				Channel string
				Codes   []string
			}
		}
		const list = `query($all: Boolean) { returnReasons(includeInactive: $all) { code label parentCode defaultDisposition active channelCodes { channel codes } } }`
		reasons := func(c *ordotest.Client, all bool) map[string]reason {
			var out struct{ ReturnReasons []reason }
			c.MustDo(t, list, map[string]any{"all": all}, &out)
			m := map[string]reason{}
			for _, r := range out.ReturnReasons {
				m[r.Code] = r
			}
			return m
		}
		seeded := reasons(sf, false)
		require.Len(t, seeded, len(returns.DefaultReasons()), "the defaults are seeded on first use")
		require.Equal(t, "DAMAGED", seeded["DEFECTIVE"].DefaultDisposition)
		require.Equal(t, "NOT_WANTED", seeded["SIZE_TOO_SMALL"].ParentCode)
		var shopify []string
		for _, c := range seeded["NOT_WANTED"].ChannelCodes {
			if c.Channel == "SHOPIFY" {
				shopify = c.Codes
			}
		}
		require.Equal(t, []string{"UNWANTED", "STYLE", "COLOR"}, shopify)

		set := `mutation($in: SetReturnReasonInput!) { setReturnReason(input: $in) { reason { code active parentCode } } }`
		admin.MustDo(t, set, map[string]any{"in": map[string]any{"code": "GIFT", "label": "Unwanted gift", "parentCode": "NOT_WANTED",
			"channelCodes": []any{map[string]any{"channel": "LAZADA", "codes": []string{"10023"}}}}}, nil)
		rs, err := srv.Inst.Returns.Reasons(ctx, false)
		require.NoError(t, err)
		require.Equal(t, "GIFT", returns.MapReason(rs, "LAZADA", "10023"), "a channel code set through the API maps")
		for name, in := range map[string]map[string]any{
			"a cycle":         {"code": "NOT_WANTED", "label": "No longer wanted", "parentCode": "GIFT"},
			"unknown parent":  {"code": "X_1", "label": "X", "parentCode": "NOPE"},
			"lower-case code": {"code": "gift", "label": "x"},
		} {
			resp, err := admin.Do(ctx, set, map[string]any{"in": in})
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", resp.Code(), name)
		}
		resp, err := admin.Do(ctx, set, map[string]any{"in": map[string]any{"code": "OTHER", "label": "Other", "active": false}})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", resp.Code(), "OTHER stays active")

		admin.MustDo(t, set, map[string]any{"in": map[string]any{"code": "GIFT", "label": "Unwanted gift", "active": false}}, nil)
		require.NotContains(t, reasons(sf, true), "GIFT", "a storefront never sees inactive reasons")
		require.NotContains(t, reasons(admin, false), "GIFT")
		require.False(t, reasons(admin, true)["GIFT"].Active, "staff who ask see them")
		require.Error(t, srv.Inst.Returns.ValidReason(ctx, "GIFT"), "an inactive reason is no valid reason")
		require.NoError(t, srv.Inst.Returns.ValidReason(ctx, "DEFECTIVE"))
	})
}
