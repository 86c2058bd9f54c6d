package e2e_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/documents"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/ordotest"
	"github.com/ordo-oms/ordo/shipping/carriersim"
)

// partnerKey is a partner key bound to one location.
func partnerKey(t *testing.T, srv *ordotest.Server, location string) string {
	_, key, err := srv.Inst.Keys.CreateBound(context.Background(), "3pl", auth.Partner, auth.Binding{LocationIDs: []pulid.ID{pulid.ID(location)}})
	require.NoError(t, err)
	return key
}

// labelledCarrier serves the carrier simulator with its PDF labels barcoded, as real carriers'
// labels are: the simulator's own PDF names the tracking number in text only, so the label served
// at its URL is that tracking number as Code 128 (the sim's ZPL labels already carry it).
func labelledCarrier(t *testing.T, sim *carriersim.Sim) *httptest.Server {
	tracking := regexp.MustCompile(`EZ\d{10}`)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/easypost/labels/") || !strings.HasSuffix(r.URL.Path, ".pdf") {
			sim.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, r)
		tn := tracking.FindString(rec.Body.String())
		if rec.Code != http.StatusOK || tn == "" {
			http.Error(w, "no such label", http.StatusNotFound)
			return
		}
		pdf, err := documents.Label(documents.LabelData{TrackingNumber: tn, Carrier: "USPS", ShipmentRef: "EasyPost"}, documents.PDF4x6)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(pdf)
	}))
	t.Cleanup(ts.Close)
	sim.SetBase(ts.URL)
	return ts
}

const labelShipmentFields = `id number status method carrier service trackingNumbers trackingURL
  packages { trackingNumber } documents { ` + documentFields + ` }`

type labelShipment struct {
	ID, Number, Status, Method, Carrier, Service, TrackingURL string
	TrackingNumbers                                           []string
	Packages                                                  []struct{ TrackingNumber *string }
	Documents                                                 []documentResult
}

const buyLabel = `mutation($id: ID!, $acc: ID!, $f: LabelFormat!) {
  buyShippingLabel(input: {shipmentID: $id, carrierAccountID: $acc, service: "Priority", format: $f}) { shipment { ` + labelShipmentFields + ` } } }`

// connectEasyPost connects an EasyPost account on the simulator and returns its id.
func connectEasyPost(t *testing.T, admin *ordotest.Client, sim *carriersim.Sim) string {
	var out struct {
		ConnectCarrier struct{ CarrierAccount struct{ ID string } }
	}
	admin.MustDo(t, `mutation($url: String!) { connectCarrier(input: {kind: EASYPOST, name: "EasyPost", baseURL: $url,
	  secrets: {apiKey: "ep_test_key", webhookSecret: "ep_whsec"}}) { carrierAccount { id } } }`, map[string]any{"url": sim.EasyPostURL()}, &out)
	return out.ConnectCarrier.CarrierAccount.ID
}

func newEasyPostSim() *carriersim.Sim {
	return carriersim.New(carriersim.Config{EasyPostAPIKey: "ep_test_key", EasyPostWebhookSecret: "ep_whsec"})
}

func TestShippingLabelFromACarrier(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newDocFixture(t, url)
		sim := newEasyPostSim()
		labelledCarrier(t, sim)
		acc := connectEasyPost(t, f.admin, sim)
		f.stock(t, "LAMP", map[string]int{"BKK": 3})
		shipments := f.plan(t, f.placeTo(t, "LAMP", 1, bangkok))
		require.Len(t, shipments, 1)
		require.Equal(t, "MANUAL", shipments[0].Method)
		id := shipments[0].ID

		var out struct {
			BuyShippingLabel struct{ Shipment labelShipment }
		}
		f.admin.MustDo(t, buyLabel, map[string]any{"id": id, "acc": acc, "f": "PDF_4X6"}, &out)
		sh := out.BuyShippingLabel.Shipment
		require.Equal(t, "CARRIER", sh.Method)
		require.Equal(t, "OPEN", sh.Status, "buying a label moves no stock and no status")
		require.Equal(t, "USPS", sh.Carrier)
		require.Equal(t, "Priority", sh.Service)
		require.Len(t, sh.TrackingNumbers, 1)
		tracking := sh.TrackingNumbers[0]
		parcel, ok := sim.Parcel(tracking)
		require.True(t, ok, "the tracking number is the carrier's")
		require.Equal(t, id, parcel.Reference, "the carrier's reference is the shipment id")
		require.Len(t, sh.Packages, 1)
		require.Equal(t, tracking, *sh.Packages[0].TrackingNumber, "each package has its tracking number")
		require.Contains(t, sh.TrackingURL, tracking)
		require.Len(t, sh.Documents, 1)
		label := sh.Documents[0]
		require.Equal(t, "LABEL", label.Kind)
		require.Equal(t, "application/pdf", label.ContentType)

		// Buying again (a retry) returns the label bought, and books nothing more.
		calls := len(sim.Calls())
		f.admin.MustDo(t, buyLabel, map[string]any{"id": id, "acc": acc, "f": "PDF_4X6"}, &out)
		require.Equal(t, []string{tracking}, out.BuyShippingLabel.Shipment.TrackingNumbers)
		require.Len(t, out.BuyShippingLabel.Shipment.Documents, 1)
		require.Equal(t, calls, len(sim.Calls()), "no second booking")
		created, err := f.srv.Inst.DB.Client.Event.Query().Where(event.Type(events.KindDocumentCreated)).All(context.Background())
		require.NoError(t, err)
		require.Len(t, created, 1, "one DocumentCreated event, for the one label")
		require.Equal(t, label.ID, created[0].Data["documentID"])
		require.Equal(t, id, created[0].Data["shipmentID"])

		// The label downloads with the key, and its barcode is the tracking number.
		body := downloadOK(t, f.srv, label, f.srv.AdminKey)
		served, err := documents.Label(documents.LabelData{TrackingNumber: tracking, Carrier: "USPS", ShipmentRef: "EasyPost"}, documents.PDF4x6)
		require.NoError(t, err)
		require.Equal(t, served, body, "the carrier's label is stored and served as the carrier issued it")
		resp, _ := download(t, f.srv, label.URL, "")
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "no key")
		resp, _ = download(t, f.srv, label.URL, "not-a-key")
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a bad key")
		resp, _ = download(t, f.srv, label.URL, partnerKey(t, f.srv, f.locs["HAN"]))
		require.Equal(t, http.StatusNotFound, resp.StatusCode, "a partner of another location does not learn the label exists")
		resp, _ = download(t, f.srv, "/documents/doc_01JF0000000000000000000000", f.srv.AdminKey)
		require.Equal(t, http.StatusNotFound, resp.StatusCode)
		require.Equal(t, body, downloadOK(t, f.srv, label, partnerKey(t, f.srv, f.locs["BKK"])), "the origin's partner downloads it")

		// Shipping without a tracking number uses the label's.
		var shipped struct {
			ShipShipment struct{ Shipment labelShipment }
		}
		f.admin.MustDo(t, `mutation($id: ID!) { shipShipment(input: {shipmentID: $id}) { shipment { `+labelShipmentFields+` } } }`, map[string]any{"id": id}, &shipped)
		require.Equal(t, "SHIPPED", shipped.ShipShipment.Shipment.Status)
		require.Equal(t, []string{tracking}, shipped.ShipShipment.Shipment.TrackingNumbers)
		require.Equal(t, "USPS", shipped.ShipShipment.Shipment.Carrier)

		resp2, err := f.admin.Do(t.Context(), `mutation($id: ID!) { cancelShippingLabel(input: {shipmentID: $id}) { shipment { id } } }`, map[string]any{"id": id})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", resp2.Code(), "a shipped label cannot be cancelled")

		needPDFTools(t)
		require.Equal(t, []string{"CODE-128:" + tracking}, barcodes(t, body))
		f.srv.Audit(t)
	})
}

func TestShippingLabelCancelAndRefusals(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newDocFixture(t, url)
		sim := newEasyPostSim()
		labelledCarrier(t, sim)
		acc := connectEasyPost(t, f.admin, sim)
		f.stock(t, "DESK", map[string]int{"BKK": 3})
		shipments := f.plan(t, f.placeTo(t, "DESK", 1, bangkok))
		require.Len(t, shipments, 1)
		id := shipments[0].ID

		// A carrier's refusal is the caller's to fix, with the carrier's message, and changes nothing.
		resp, err := f.admin.Do(t.Context(), `mutation($id: ID!, $acc: ID!) { buyShippingLabel(input: {shipmentID: $id, carrierAccountID: $acc,
		  service: "Teleport", format: PDF_4X6}) { shipment { id } } }`, map[string]any{"id": id, "acc": acc})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", resp.Code())
		require.Contains(t, resp.Errors[0].Message, "Teleport")
		// An order without a street gets no label.
		noStreet := map[string]any{"name": "X", "line1": "", "city": "Bangkok", "countryCode": "TH", "latitude": 13.7, "longitude": 100.5}
		other := f.plan(t, f.placeTo(t, "DESK", 1, noStreet))
		require.Len(t, other, 1)
		resp, err = f.admin.Do(t.Context(), buyLabel, map[string]any{"id": other[0].ID, "acc": acc, "f": "ZPL"})
		require.NoError(t, err)
		require.Equal(t, "CONFLICT", resp.Code(), "no street to ship to")

		// A ZPL label is the carrier's ZPL, stored and served as it came.
		var out struct {
			BuyShippingLabel struct{ Shipment labelShipment }
		}
		f.admin.MustDo(t, buyLabel, map[string]any{"id": id, "acc": acc, "f": "ZPL"}, &out)
		sh := out.BuyShippingLabel.Shipment
		require.Len(t, sh.TrackingNumbers, 1)
		tracking := sh.TrackingNumbers[0]
		require.Len(t, sh.Documents, 1)
		require.Equal(t, "ZPL", sh.Documents[0].Format)
		zpl := downloadOK(t, f.srv, sh.Documents[0], f.srv.AdminKey)
		require.Contains(t, string(zpl), "^BC")
		require.Contains(t, string(zpl), "^FD"+tracking+"^FS")

		var cancelled struct {
			CancelShippingLabel struct{ Shipment labelShipment }
		}
		f.admin.MustDo(t, `mutation($id: ID!) { cancelShippingLabel(input: {shipmentID: $id}) { shipment { `+labelShipmentFields+` } } }`, map[string]any{"id": id}, &cancelled)
		c := cancelled.CancelShippingLabel.Shipment
		require.Equal(t, "MANUAL", c.Method)
		require.Empty(t, c.TrackingNumbers)
		require.Empty(t, c.Carrier)
		require.Empty(t, c.Documents, "the voided label is gone")
		require.Empty(t, *c.Packages[0].TrackingNumber)
		p, _ := sim.Parcel(tracking)
		require.True(t, p.Cancelled, "the carrier voided it")
		resp2, _ := download(t, f.srv, sh.Documents[0].URL, f.srv.AdminKey)
		require.Equal(t, http.StatusNotFound, resp2.StatusCode)

		// Shipping now needs a tracking number again; a new label can be bought.
		resp, err = f.admin.Do(t.Context(), `mutation($id: ID!) { shipShipment(input: {shipmentID: $id}) { shipment { id } } }`, map[string]any{"id": id})
		require.NoError(t, err)
		require.Equal(t, "INVALID_ARGUMENT", resp.Code())
		f.admin.MustDo(t, buyLabel, map[string]any{"id": id, "acc": acc, "f": "PDF_A6"}, &out)
		require.NotEqual(t, tracking, out.BuyShippingLabel.Shipment.TrackingNumbers[0])
		f.srv.Audit(t)
	})
}

func TestShippingLabelUnreliableCarrier(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newDocFixture(t, url)
		sim := newEasyPostSim()
		labelledCarrier(t, sim)
		acc := connectEasyPost(t, f.admin, sim)
		f.stock(t, "CHAIR", map[string]int{"BKK": 5})
		plan := func() string {
			shipments := f.plan(t, f.placeTo(t, "CHAIR", 1, bangkok))
			require.Len(t, shipments, 1)
			return shipments[0].ID
		}
		bought := func() int {
			n := 0
			for _, c := range sim.Calls() {
				if strings.HasSuffix(c.Path, "/buy") && c.Status == http.StatusOK {
					n++
				}
			}
			return n
		}

		// A carrier that cannot be reached is UNAVAILABLE and leaves the shipment free to retry.
		var down struct {
			ConnectCarrier struct{ CarrierAccount struct{ ID string } }
		}
		f.admin.MustDo(t, `mutation { connectCarrier(input: {kind: EASYPOST, name: "Down", baseURL: "http://127.0.0.1:1",
		  secrets: {apiKey: "ep_test_key", webhookSecret: "ep_whsec"}}) { carrierAccount { id } } }`, nil, &down)
		id := plan()
		resp, err := f.admin.Do(t.Context(), buyLabel, map[string]any{"id": id, "acc": down.ConnectCarrier.CarrierAccount.ID, "f": "PDF_4X6"})
		require.NoError(t, err)
		require.Equal(t, "UNAVAILABLE", resp.Code())
		var out struct {
			BuyShippingLabel struct{ Shipment labelShipment }
		}
		f.admin.MustDo(t, buyLabel, map[string]any{"id": id, "acc": acc, "f": "PDF_4X6"}, &out)
		require.Len(t, out.BuyShippingLabel.Shipment.TrackingNumbers, 1)

		// A purchase whose answer is lost is read back: one label, paid once.
		before := bought()
		sim.LoseNextAnswer("/buy")
		f.admin.MustDo(t, buyLabel, map[string]any{"id": plan(), "acc": acc, "f": "PDF_4X6"}, &out)
		require.Len(t, out.BuyShippingLabel.Shipment.TrackingNumbers, 1)
		require.Len(t, out.BuyShippingLabel.Shipment.Documents, 1)
		require.Equal(t, before+1, bought(), "the lost answer's purchase is the one recorded")

		// Two buyers at once: one label.
		id = plan()
		before = bought()
		codes := make(chan string, 2)
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				resp, err := f.admin.Do(context.Background(), buyLabel, map[string]any{"id": id, "acc": acc, "f": "PDF_4X6"})
				if err != nil {
					codes <- err.Error()
					return
				}
				codes <- resp.Code()
			})
		}
		wg.Wait()
		close(codes)
		for c := range codes {
			require.Contains(t, []string{"", "CONFLICT"}, c, "each buyer gets the label or CONFLICT")
		}
		require.Equal(t, before+1, bought(), "one label is bought")
		var node struct{ Node labelShipment }
		f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Shipment { `+labelShipmentFields+` } } }`, map[string]any{"id": id}, &node)
		require.Len(t, node.Node.TrackingNumbers, 1)
		require.Len(t, node.Node.Documents, 1)
		f.srv.Audit(t)
	})
}
