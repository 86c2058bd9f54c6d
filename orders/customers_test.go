package orders_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/customers"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/customeridentity"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/orders"
)

// buyerWorld places orders for one buyer on several channels and the storefront.
type buyerWorld struct {
	*world
	shopee, lazada, shopify pulid.ID
}

func newBuyerWorld(t *testing.T, db *database.DB) *buyerWorld {
	w := &buyerWorld{world: newWorld(t, db)}
	w.sku(t, "TEE", 100)
	mk := func(k channel.Kind) pulid.ID {
		ch, err := db.Client.Channel.Create().SetKind(k).SetName(string(k)).SetShopID(string(k)).Save(context.Background())
		require.NoError(t, err)
		return ch.ID
	}
	w.shopee, w.lazada, w.shopify = mk(channel.KindSHOPEE), mk(channel.KindLAZADA), mk(channel.KindSHOPIFY)
	return w
}

// place places one tee for c, from channel ch (nil: Ordo's own order) as the viewer in ctx.
func (w *buyerWorld) place(ctx context.Context, t *testing.T, ch *pulid.ID, ext string, c orders.Customer) *ent.Order {
	t.Helper()
	in := orders.PlaceInput{ChannelID: ch, ExternalID: ext, Currency: "THB", Paid: true, AllowBackorder: true,
		Lines:           []orders.Line{{SKU: "TEE", Quantity: 1}},
		Customer:        c,
		ShippingAddress: &schema.Address{Name: "Ann", Line1: "1 Sukhumvit", City: "Bangkok", PostalCode: "10110", CountryCode: "TH"}}
	o, _, err := w.ord.Place(ctx, in)
	require.NoError(t, err)
	return o
}

func (w *buyerWorld) customerOf(t *testing.T, id pulid.ID) *pulid.ID {
	t.Helper()
	o, err := w.db.Client.Order.Get(context.Background(), id)
	require.NoError(t, err)
	return o.CustomerID
}

func (w *buyerWorld) identities(t *testing.T, cus pulid.ID) []string {
	t.Helper()
	ids, err := w.db.Client.CustomerIdentity.Query().Where(customeridentity.CustomerID(cus)).
		Order(customeridentity.ByKind(), customeridentity.ByValue()).All(context.Background())
	require.NoError(t, err)
	var out []string
	for _, i := range ids {
		out = append(out, string(i.Kind)+" "+i.Value)
	}
	return out
}

func (w *buyerWorld) customerEvents(t *testing.T, cus pulid.ID, kind string) []*ent.Event {
	t.Helper()
	es, err := w.db.Client.Event.Query().Where(event.CustomerID(string(cus)), event.Type(kind)).Order(event.ByID()).All(context.Background())
	require.NoError(t, err)
	return es
}

// Must show 5: a buyer who orders on Shopee (masked), Lazada (phone) and the storefront (email and
// the same phone) resolves to one customer where the rules allow, and a merge and its unmerge
// round-trip with their audit events.
func TestOneBuyerAcrossChannels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newBuyerWorld(t, db)

		// Shopee masks the buyer's contacts: only its buyer id identifies them, twice the same.
		s1 := w.place(ctx, t, &w.shopee, "S1", orders.Customer{BuyerID: "88001", Email: "a****@gmail.com", Phone: "66*****89", Name: "A***"})
		s2 := w.place(ctx, t, &w.shopee, "S2", orders.Customer{BuyerID: "88001", Phone: "*****678", Name: "A***"})
		shopeeCus := w.customerOf(t, s1.ID)
		require.NotNil(t, shopeeCus)
		require.Equal(t, shopeeCus, w.customerOf(t, s2.ID))
		require.Equal(t, []string{"CHANNEL_BUYER " + string(w.shopee) + ":88001"}, w.identities(t, *shopeeCus))

		// Lazada gives the phone (national format) and a masked email: a customer known by phone.
		l1 := w.place(ctx, t, &w.lazada, "L1", orders.Customer{BuyerID: "LZ-7", Email: "ann@lazada.co.th", Phone: "081-234-5678", Name: "Ann"})
		buyer := w.customerOf(t, l1.ID)
		require.NotNil(t, buyer)
		require.NotEqual(t, *shopeeCus, *buyer, "a masked Shopee buyer never joins by contact")
		require.Equal(t, []string{"CHANNEL_BUYER " + string(w.lazada) + ":LZ-7", "PHONE +66812345678"}, w.identities(t, *buyer))

		// The shop's own order (staff) with the email and the same phone written otherwise: the same
		// customer, who now also has the email.
		own := w.place(auth.NewContext(ctx, auth.Viewer{KeyID: "key_op", Role: auth.Operator}), t, nil, "",
			orders.Customer{Email: " Ann@Example.com ", Phone: "+66 81 234 5678", Name: "Ann"})
		require.Equal(t, buyer, w.customerOf(t, own.ID))
		// A Shopify order with the verified email: the same customer again.
		sh := w.place(ctx, t, &w.shopify, "SH1", orders.Customer{BuyerID: "gid-1", Email: "ann@example.com"})
		require.Equal(t, buyer, w.customerOf(t, sh.ID))
		require.Equal(t, []string{"CHANNEL_BUYER " + string(w.lazada) + ":LZ-7", "CHANNEL_BUYER " + string(w.shopify) + ":gid-1",
			"EMAIL ann@example.com", "PHONE +66812345678"}, w.identities(t, *buyer))

		// The storefront: a guest's order with the same email and phone belongs to no customer
		// (a guest never reaches a customer), and adds no identity.
		guest := w.place(auth.NewContext(ctx, auth.Viewer{KeyID: "key_sf", Role: auth.Storefront}), t, nil, "",
			orders.Customer{Email: "ann@example.com", Phone: "0812345678"})
		require.Nil(t, w.customerOf(t, guest.ID))
		// A key bound to another customer orders for that customer whatever contacts it gives, and
		// claims none of them.
		other, err := db.Client.Customer.Create().SetEmail("mallory@example.com").Save(ctx)
		require.NoError(t, err)
		bound := w.place(auth.NewContext(ctx, auth.Viewer{KeyID: "key_sf2", Role: auth.Storefront, CustomerID: &other.ID}), t, nil, "",
			orders.Customer{Email: "ann@example.com", Phone: "0812345678"})
		require.Equal(t, &other.ID, w.customerOf(t, bound.ID))
		require.Empty(t, w.identities(t, other.ID))

		// Identities that disagree are not merged blindly: the email (stronger) wins over another
		// customer's phone, and agents are told.
		w.place(ctx, t, &w.lazada, "L2", orders.Customer{BuyerID: "LZ-8", Phone: "0899999999"})
		third := w.place(ctx, t, &w.shopify, "SH2", orders.Customer{Email: "ann@example.com", Phone: "0899999999"})
		require.Equal(t, buyer, w.customerOf(t, third.ID))
		dups := w.customerEvents(t, *buyer, "customer.possible_duplicate")
		require.Len(t, dups, 1)
		require.Equal(t, []any{"PHONE"}, dups[0].Data["by"])

		// An agent merges the Shopee customer into the buyer: one history.
		svc := &customers.Service{DB: db}
		m, err := svc.Merge(ctx, *buyer, *shopeeCus, "same buyer, confirmed by chat", "stf_agent")
		require.NoError(t, err)
		require.Equal(t, buyer, w.customerOf(t, s1.ID))
		require.Equal(t, buyer, w.customerOf(t, s2.ID))
		require.Empty(t, w.identities(t, *shopeeCus))
		merged, err := db.Client.Customer.Get(ctx, *shopeeCus)
		require.NoError(t, err)
		require.Equal(t, buyer, merged.MergedIntoID)
		n, err := db.Client.Order.Query().Where(order.CustomerID(*buyer)).Count(ctx)
		require.NoError(t, err)
		require.Equal(t, 6, n)
		// The next Shopee order of that buyer finds the survivor.
		s3 := w.place(ctx, t, &w.shopee, "S3", orders.Customer{BuyerID: "88001"})
		require.Equal(t, buyer, w.customerOf(t, s3.ID))

		// Staff naming the merged customer order for its survivor; a storefront key bound to the
		// merged customer still orders for (and reads) its own customer.
		byID := w.place(auth.NewContext(ctx, auth.Viewer{KeyID: "key_op", Role: auth.Operator}), t, nil, "", orders.Customer{ID: shopeeCus})
		require.Equal(t, buyer, w.customerOf(t, byID.ID))
		sf := w.place(auth.NewContext(ctx, auth.Viewer{KeyID: "key_sf3", Role: auth.Storefront, CustomerID: shopeeCus}), t, nil, "", orders.Customer{})
		require.Equal(t, shopeeCus, w.customerOf(t, sf.ID))

		// Refused, changing nothing: a self-merge, the merged one again, a merge into a merged
		// customer (a chain), an unknown customer.
		for _, c := range []struct {
			survivor, merged pulid.ID
			code             fault.Code
		}{
			{*buyer, *buyer, fault.InvalidArgument},
			{*buyer, *shopeeCus, fault.Conflict},
			{*shopeeCus, other.ID, fault.Conflict},
			{*buyer, pulid.New("cus"), fault.NotFound},
		} {
			_, err := svc.Merge(ctx, c.survivor, c.merged, "", "stf_agent")
			require.Equal(t, c.code, fault.CodeOf(err), "%v", err)
		}
		require.Equal(t, 1, db.Client.CustomerMerge.Query().CountX(ctx))
		require.Nil(t, db.Client.Customer.GetX(ctx, other.ID).MergedIntoID)

		// The unmerge puts back exactly what moved; the order placed since stays on the survivor.
		_, err = svc.Unmerge(ctx, m.ID, "stf_lead")
		require.NoError(t, err)
		require.Equal(t, shopeeCus, w.customerOf(t, s1.ID))
		require.Equal(t, shopeeCus, w.customerOf(t, s2.ID))
		require.Equal(t, buyer, w.customerOf(t, s3.ID))
		require.Equal(t, buyer, w.customerOf(t, byID.ID))
		require.Equal(t, shopeeCus, w.customerOf(t, sf.ID))
		require.Equal(t, []string{"CHANNEL_BUYER " + string(w.shopee) + ":88001"}, w.identities(t, *shopeeCus))
		require.Nil(t, db.Client.Customer.GetX(ctx, *shopeeCus).MergedIntoID)
		undone := db.Client.CustomerMerge.GetX(ctx, m.ID)
		require.NotNil(t, undone.UndoneAt)
		require.Equal(t, "stf_lead", undone.UndoneBy)
		_, err = svc.Unmerge(ctx, m.ID, "stf_lead")
		require.Equal(t, fault.Conflict, fault.CodeOf(err), "%v", err)

		// The audit trail: merged and unmerged on both customers, with their actors.
		for _, cus := range []pulid.ID{*buyer, *shopeeCus} {
			es := w.customerEvents(t, cus, "customer.merged")
			require.Len(t, es, 1)
			require.Equal(t, "stf_agent", es[0].Actor)
			require.Equal(t, float64(2), es[0].Data["orders"])
			require.Equal(t, "same buyer, confirmed by chat", es[0].Data["reason"])
			es = w.customerEvents(t, cus, "customer.unmerged")
			require.Len(t, es, 1)
			require.Equal(t, "stf_lead", es[0].Actor)
			require.Equal(t, float64(2), es[0].Data["orders"])
		}
		w.audit(t)
	})
}

// Two first orders of one new buyer, racing, with the same phone written differently: one customer.
func TestFirstOrdersRacingMakeOneCustomer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		w := newBuyerWorld(t, db)
		phones := []string{"081-234-5678", "+66812345678", "0066 81 234 5678", "66812345678", "0812345678", "+66 81-234-5678"}
		var wg sync.WaitGroup
		errs := make([]error, len(phones))
		for i, p := range phones {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := orders.PlaceInput{ChannelID: &w.lazada, ExternalID: "R" + p, Currency: "THB", Paid: true, AllowBackorder: true,
					Lines:           []orders.Line{{SKU: "TEE", Quantity: 1}},
					Customer:        orders.Customer{Phone: p, BuyerID: "LZ-" + p},
					ShippingAddress: &schema.Address{CountryCode: "TH"}}
				_, _, errs[i] = w.ord.Place(ctx, in)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		cs, err := db.Client.Order.Query().Where(order.CustomerIDNotNil()).GroupBy(order.FieldCustomerID).Strings(ctx)
		require.NoError(t, err)
		require.Len(t, cs, 1, "one customer for one phone")
		require.Equal(t, 1, db.Client.Customer.Query().CountX(ctx), "no customer left behind by a lost race")
		require.Equal(t, 1, db.Client.CustomerIdentity.Query().Where(customeridentity.KindEQ(customeridentity.KindPHONE)).CountX(ctx))
		require.Equal(t, len(phones), db.Client.CustomerIdentity.Query().Where(customeridentity.CustomerID(pulid.ID(cs[0]))).CountX(ctx)-1)
	})
}
