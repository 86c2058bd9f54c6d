package e2e_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/shipment"
	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/carriersim"
	"github.com/ordo-oms/ordo/shipping/jnt"
)

// J&T pushes scans as a signed form; Ordo answers with the acknowledgement J&T expects, and a
// replayed push stores nothing again.
func TestJNTPushesMoveShipmentsAndAreAcknowledged(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newShipFixture(t, url)
		sim := newCarrierSim(t, f)
		t0 := time.Now().UTC().Truncate(time.Second).Add(-2 * time.Hour)
		_, shipments := splitOrder(t, f, "JNT-1")
		sim.AddParcel(shipping.JNT, "630000000001")
		f.ship(t, shipments[0].ID, "J&T Express", "630000000001")

		post := func(d carriersim.Delivery) (int, string) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, sim.hooks[shipping.JNT], bytes.NewReader(d.Body))
			require.NoError(t, err)
			req.Header = d.Header.Clone()
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			return resp.StatusCode, string(body)
		}
		transit := sim.step(t, "630000000001", carriersim.Step{Tag: shipping.InTransit, At: t0})
		delivered := sim.step(t, "630000000001", carriersim.Step{Tag: shipping.Delivered, At: t0.Add(time.Hour)})
		for _, d := range []carriersim.Delivery{transit, delivered, delivered, transit} {
			status, body := post(d)
			require.Equal(t, http.StatusOK, status)
			require.JSONEq(t, jnt.Ack, body, "J&T is told it need not resend")
		}
		forged := carriersim.Delivery{Header: delivered.Header.Clone(), Body: delivered.Body}
		forged.Header.Set(jnt.HeaderDigest, "bm90IHRoZSBkaWdlc3Q=")
		before := trackingEvents(t, f, "")
		status, _ := post(forged)
		require.Equal(t, http.StatusUnauthorized, status)
		require.Equal(t, before, trackingEvents(t, f, ""))

		sh := loadShipment(t, f, shipments[0].ID)
		require.Equal(t, shipment.StatusDELIVERED, sh.Status)
		require.Equal(t, 1, moves(t, f, string(sh.ID), "DELIVERED"))
		require.Equal(t, 2, trackingEvents(t, f, string(sh.ID)), "each scan stored once")
		f.srv.Audit(t)
	})
}
