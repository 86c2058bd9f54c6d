package e2e_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/ratecard"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ordotest"
	"github.com/ordo-oms/ordo/packing"
	"github.com/ordo-oms/ordo/shipping"
)

// sameDayZone is a fixed-offset IANA zone in which now is a working day (Monday to Saturday) at
// least an hour before midnight, so that a location there with a 23:59 cut-off and no processing
// time ships an order placed now today, whatever the clock of the test run.
func sameDayZone(t *testing.T, now time.Time) string {
	for off := -12; off <= 14; off++ {
		name := "Etc/GMT"
		if off != 0 {
			name = fmt.Sprintf("Etc/GMT%+d", -off) // POSIX signs: Etc/GMT-7 is UTC+7
		}
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		if l := now.In(loc); l.Weekday() != time.Sunday && l.Hour() < 23 {
			return name
		}
	}
	t.Fatalf("no zone where %s is a working day before 23:00", now)
	return ""
}

// TestRateCardsPriceRoutingAndPromises: a rate card stored as configuration prices routing's
// shipments and the delivery promise alike once the router drops its cached copy; an invalid
// card and one in a second currency are left out without breaking either; deactivating the card
// brings the default card back. The location offers same-day delivery: its promise is priced
// from the same cards.
func TestRateCardsPriceRoutingAndPromises(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		srv := ordotest.Start(t, url)
		admin := srv.Admin()
		ctx := context.Background()

		var loc struct{ CreateLocation struct{ ID string } }
		admin.MustDo(t, `mutation($tz: String!) { createLocation(input: {code: "BKK", name: "Bangkok", kind: WAREHOUSE, timezone: $tz,
			cutoffTime: "23:59", processingHours: 0, sameDay: true,
			address: {city: "Bangkok", region: "Bangkok", countryCode: "TH", latitude: 13.7563, longitude: 100.5018}}) { id } }`,
			map[string]any{"tz": sameDayZone(t, time.Now())}, &loc)
		var p struct{ CreateProduct struct{ ID string } }
		admin.MustDo(t, `mutation { createProduct(input: {name: "Lamp"}) { id } }`, nil, &p)
		admin.MustDo(t, `mutation($p: ID!) { createVariant(input: {sku: "LAMP", name: "Lamp", productID: $p, priceAmount: 5000,
			weightGrams: 800, lengthMm: 300, widthMm: 200, heightMm: 100}) { id } }`, map[string]any{"p": p.CreateProduct.ID}, nil)
		admin.MustDo(t, receive, map[string]any{"sku": "LAMP", "loc": loc.CreateLocation.ID, "q": 10}, nil)

		const where = `city: "Bangkok", region: "Bangkok", countryCode: "TH", latitude: 13.7308, longitude: 100.5418`
		promised := func(currency string) map[string]int64 {
			var dp struct {
				DeliveryPromise []struct {
					Service string
					Cost    struct {
						Amount   int64
						Currency string
					}
				}
			}
			admin.MustDo(t, `{ deliveryPromise(input: {lines: [{sku: "LAMP", quantity: 1}], address: {`+where+`}}) { service cost { amount currency } } }`, nil, &dp)
			out := map[string]int64{}
			for _, o := range dp.DeliveryPromise {
				require.Equal(t, currency, o.Cost.Currency, o.Service)
				out[o.Service] = o.Cost.Amount
			}
			return out
		}
		previewed := func() int64 {
			var pv struct {
				PreviewRouting struct {
					Cost      int64
					Shipments []struct {
						Cost int64
						Zone string
					}
				}
			}
			admin.MustDo(t, `{ previewRouting(input: {lines: [{sku: "LAMP", quantity: 1}], shippingAddress: {`+where+`}}) { cost shipments { cost zone } } }`, nil, &pv)
			require.Len(t, pv.PreviewRouting.Shipments, 1)
			require.Equal(t, "SAME_CITY", pv.PreviewRouting.Shipments[0].Zone)
			require.Equal(t, pv.PreviewRouting.Cost, pv.PreviewRouting.Shipments[0].Cost)
			return pv.PreviewRouting.Cost
		}
		routed := func() int64 {
			var out struct {
				PlaceOrder struct {
					Order struct {
						RoutingDecision struct{ Trace map[string]any }
					}
				}
			}
			admin.MustDo(t, `mutation { placeOrder(input: {lines: [{sku: "LAMP", quantity: 1}], paid: true, shippingAddress: {`+where+`}}) {
				order { routingDecision { trace } } } }`, nil, &out)
			cost, ok := out.PlaceOrder.Order.RoutingDecision.Trace["cost"].(float64)
			require.True(t, ok, "%v", out.PlaceOrder.Order.RoutingDecision.Trace)
			return int64(cost)
		}
		// all checks that routing (preview and a placed order) and every promised service price
		// the lamp at amount of currency, before the markups of express (160%) and same-day (200%).
		all := func(amount int64, currency string) {
			t.Helper()
			require.Equal(t, map[string]int64{"STANDARD": amount, "EXPRESS": amount * 160 / 100, "SAME_DAY": amount * 2}, promised(currency))
			require.Equal(t, amount, previewed())
			require.Equal(t, amount, routed())
		}

		// Before any card is stored: the default card, on the lamp packed into a default box.
		lamp := []packing.Item{{Ref: "LAMP", SKU: "LAMP", Quantity: 1, WeightGrams: 800, LengthMM: 300, WidthMM: 200, HeightMM: 100}}
		byDefault, err := shipping.EstimatePlan(shipping.DefaultRateCards(), shipping.SameCity, packing.Pack(lamp, packing.DefaultBoxes()), packing.DefaultBoxes(), lamp)
		require.NoError(t, err)
		all(byDefault.Amount, "THB")

		// A carrier's card is stored: routing and promises price with it.
		db := srv.Inst.DB.Client
		bands := func(city int64) []schema.RateBand {
			var out []schema.RateBand
			for i, z := range shipping.Zones() {
				out = append(out, schema.RateBand{Zone: string(z), MaxGrams: 5000, Amount: city * int64(i+1)}, schema.RateBand{Zone: string(z), MaxGrams: 30000, Amount: 3 * city * int64(i+1)})
			}
			return out
		}
		require.NoError(t, db.RateCard.Create().SetCarrier("FLASH").SetService("STANDARD").SetCurrency("THB").SetDimDivisor(5000).SetBands(bands(1234)).Exec(ctx))
		srv.Inst.Router.Invalidate()
		require.NotEqual(t, byDefault.Amount, int64(1234))
		all(1234, "THB")

		// A cheaper but invalid card (bands descending) and a cheaper one in dollars are left out.
		broken := bands(100)
		broken[0], broken[1] = broken[1], broken[0]
		require.NoError(t, db.RateCard.Create().SetCarrier("BROKEN").SetService("STANDARD").SetCurrency("THB").SetBands(broken).Exec(ctx))
		require.NoError(t, db.RateCard.Create().SetCarrier("FEDEX").SetService("INTL").SetCurrency("USD").SetBands(bands(10)).Exec(ctx))
		srv.Inst.Router.Invalidate()
		all(1234, "THB")

		// A cheaper card in baht is compared with it: the cheapest wins.
		require.NoError(t, db.RateCard.Create().SetCarrier("KERRY").SetService("STANDARD").SetCurrency("THB").SetDimDivisor(6000).SetBands(bands(999)).Exec(ctx))
		srv.Inst.Router.Invalidate()
		all(999, "THB")

		// The baht cards deactivated, the dollar card is the only usable one: prices are in dollars.
		n, err := db.RateCard.Update().Where(ratecard.CurrencyEQ("THB")).SetActive(false).Save(ctx)
		require.NoError(t, err)
		require.Equal(t, 3, n)
		srv.Inst.Router.Invalidate()
		all(10, "USD")

		// None active: the default card again.
		require.NoError(t, db.RateCard.Update().SetActive(false).Exec(ctx))
		srv.Inst.Router.Invalidate()
		all(byDefault.Amount, "THB")
		srv.Audit(t)
	})
}
