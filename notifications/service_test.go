package notifications_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/dispatch"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/checkpoint"
	"github.com/ordo-oms/ordo/ent/event"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/ent/notification"
	"github.com/ordo-oms/ordo/ent/order"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/fulfilment"
	"github.com/ordo-oms/ordo/inventory"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/notifications"
	"github.com/ordo-oms/ordo/notifications/email"
	"github.com/ordo-oms/ordo/notifications/message"
	"github.com/ordo-oms/ordo/notifications/smtptest"
	"github.com/ordo-oms/ordo/orders"
)

// world is a store with stock, the order service, and the notification service sending email to an
// in-process SMTP server, its relay and jobs running.
type world struct {
	db  *database.DB
	ord *orders.Service
	ful *fulfilment.Service
	// store is a location that offers pickup, kept three days.
	store *ent.Location
	svc   *notifications.Service
	smtp  *smtptest.Server
	stop  func() // stops the relay
	run   func() // starts it again
}

func newWorld(t testing.TB, db *database.DB) *world {
	ctx := t.Context()
	smtp := smtptest.Start(t)
	provider, err := email.New(smtp.URL)
	require.NoError(t, err)
	svc := &notifications.Service{
		DB: db, Providers: []notifications.Provider{provider}, From: "Tee Shop <no-reply@shop.example>",
		PublicURL: "https://ordo.example", SecretKey: []byte("test secret"),
		Retry: func(int) time.Duration { return 20 * time.Millisecond },
		Log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	workers := river.NewWorkers()
	svc.Register(workers)
	q, err := jobs.New(db, jobs.Config{Workers: workers, Logger: svc.Log})
	require.NoError(t, err)
	svc.Queue = q
	require.NoError(t, q.Start(context.WithoutCancel(ctx)))
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(stopCtx)
	})

	inv := &inventory.Service{DB: db}
	router := &dispatch.Service{DB: db, Inventory: inv, Policies: dispatch.Policies{DB: db}}
	cat := &catalog.Service{DB: db}
	ord := &orders.Service{DB: db, Inventory: inv, Router: router, Committed: svc.Wake}
	ful := &fulfilment.Service{DB: db, Inventory: inv, Orders: ord, Committed: svc.Wake}
	ord.Shipper = ful
	w := &world{db: db, svc: svc, smtp: smtp, ord: ord, ful: ful}
	l, err := cat.CreateLocation(ctx, ent.CreateLocationInput{Code: "BKK", Name: "Bangkok", Kind: location.KindWAREHOUSE,
		Address: &schema.Address{City: "Bangkok", Region: "Bangkok", PostalCode: "10110", CountryCode: "TH"}, ShipsTo: []string{"TH"}})
	require.NoError(t, err)
	p, err := cat.CreateProduct(ctx, ent.CreateProductInput{Name: "Tee"})
	require.NoError(t, err)
	price, currency := int64(1000), "THB"
	grams, length, width, height := 200, 300, 200, 20 // a folded tee: no data missing
	_, err = cat.CreateVariant(ctx, ent.CreateVariantInput{Sku: "TEE", Name: "Tee", ProductID: p.ID, PriceAmount: &price, Currency: &currency,
		WeightGrams: &grams, LengthMm: &length, WidthMm: &width, HeightMm: &height})
	require.NoError(t, err)
	_, err = inv.Receive(ctx, inventory.Receive{SKU: "TEE", LocationID: l.ID, Quantity: 100_000})
	require.NoError(t, err)
	pickup, days := true, 3
	w.store, err = cat.CreateLocation(ctx, ent.CreateLocationInput{Code: "SIAM", Name: "Siam store", Kind: location.KindSTORE,
		Address: &schema.Address{Line1: "991 Rama I", City: "Bangkok", Region: "Bangkok", PostalCode: "10330", CountryCode: "TH"},
		ShipsTo: []string{"TH"}, OffersPickup: &pickup, PickupHoldDays: &days})
	require.NoError(t, err)
	_, err = inv.Receive(ctx, inventory.Receive{SKU: "TEE", LocationID: w.store.ID, Quantity: 5})
	require.NoError(t, err)

	require.NoError(t, svc.Checkpoint(ctx), "the relay starts here: what came before is not told")
	var (
		mu     sync.Mutex
		cancel context.CancelFunc
		done   chan struct{}
	)
	w.run = func() {
		mu.Lock()
		defer mu.Unlock()
		var rctx context.Context
		rctx, cancel = context.WithCancel(context.WithoutCancel(ctx))
		done = make(chan struct{})
		go func(done chan struct{}) { defer close(done); svc.Run(rctx) }(done)
	}
	w.stop = func() {
		mu.Lock()
		defer mu.Unlock()
		cancel()
		<-done
	}
	w.run()
	t.Cleanup(w.stop)
	return w
}

func (w *world) place(t testing.TB, c orders.Customer) *ent.Order {
	o, _, err := w.ord.Place(t.Context(), orders.PlaceInput{Lines: []orders.Line{{SKU: "TEE", Quantity: 1}}, Customer: c, Paid: true,
		ShippingAddress: &schema.Address{Name: c.Name, Line1: "1 Sukhumvit", City: "Bangkok", Region: "Bangkok", PostalCode: "10110", CountryCode: "TH"}})
	require.NoError(t, err)
	return o
}

// wait polls the store until cond holds (the relay and the jobs run in the background); it fails
// the test when the context's deadline passes first.
func wait(t testing.TB, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waited in vain for %s", what)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// row waits for the notification of kind about o to settle (not PENDING) and returns it.
func (w *world) row(t *testing.T, o *ent.Order, kind notification.Kind) *ent.Notification {
	t.Helper()
	var n *ent.Notification
	wait(t, string(kind)+" of "+o.Number, func() bool {
		var err error
		n, err = w.db.Client.Notification.Query().Where(notification.OrderID(o.ID), notification.KindEQ(kind)).Only(t.Context())
		return err == nil && n.Status != notification.StatusPENDING
	})
	return n
}

func (w *world) timeline(t *testing.T, o *ent.Order, kind string) []*ent.Event {
	evs, err := w.db.Client.Event.Query().Where(event.OrderID(string(o.ID)), event.Type(kind)).All(t.Context())
	require.NoError(t, err)
	return evs
}

func TestNotifications(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()

		// Sent once, with its headers; the timeline says so.
		ann := w.place(t, orders.Customer{Email: "Ann@Example.com", Name: "Ann"})
		n := w.row(t, ann, notification.KindORDER_CONFIRMED)
		require.Equal(t, notification.StatusSENT, n.Status)
		require.Equal(t, "email", n.Provider)
		require.Equal(t, "ann@example.com", n.Recipient, "as orders keep it")
		require.Equal(t, "th", n.Locale, "from the shipping country")
		require.Equal(t, "<"+string(n.ID)+"@shop.example>", n.MessageID)
		require.NotEmpty(t, n.Subject)
		require.NotNil(t, n.SentAt)
		sent := w.timeline(t, ann, events.KindNotificationSent)
		require.Len(t, sent, 1)
		p, err := events.Decode[events.NotificationSent](sent[0])
		require.NoError(t, err)
		require.Equal(t, events.NotificationSent{NotificationID: string(n.ID), Notification: "ORDER_CONFIRMED", Provider: "email",
			Recipient: "ann@example.com", Subject: n.Subject}, p)
		msgs := w.smtp.Messages()
		require.Len(t, msgs, 1)
		m, err := msgs[0].Parse()
		require.NoError(t, err)
		require.Equal(t, n.MessageID, m.Header.Get("Message-Id"))
		unsub := strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
		require.True(t, strings.HasPrefix(unsub, "https://ordo.example/notifications/unsubscribe?t="), unsub)

		// A marketplace's relay address and an opted-out customer are sent nothing.
		masked := w.place(t, orders.Customer{Email: "n8miblde3i@marketplace.facebook.com", Name: "Fb"})
		n = w.row(t, masked, notification.KindORDER_CONFIRMED)
		require.Equal(t, notification.StatusSKIPPED, n.Status)
		require.Equal(t, notifications.SkipMaskedAddress, n.SkipReason)
		require.Len(t, w.timeline(t, masked, events.KindNotificationSkipped), 1)

		bob := w.place(t, orders.Customer{Email: "bob@example.com", Name: "Bob"})
		w.row(t, bob, notification.KindORDER_CONFIRMED)
		yes := true
		_, err = w.svc.SetPreferences(ctx, *bob.CustomerID, notifications.Preferences{OptOut: &yes})
		require.NoError(t, err)
		bob2 := w.place(t, orders.Customer{Email: "bob@example.com"})
		n = w.row(t, bob2, notification.KindORDER_CONFIRMED)
		require.Equal(t, notification.StatusSKIPPED, n.Status)
		require.Equal(t, notifications.SkipOptedOut, n.SkipReason)

		// The mail server down: retried, and sent once it is back.
		w.smtp.Stop()
		carl := w.place(t, orders.Customer{Email: "carl@example.com", Name: "Carl"})
		wait(t, "a failed attempt", func() bool {
			n, err := db.Client.Notification.Query().Where(notification.OrderID(carl.ID)).Only(ctx)
			return err == nil && n.Attempts >= 1 && n.LastError != ""
		})
		n, err = db.Client.Notification.Query().Where(notification.OrderID(carl.ID)).Only(ctx)
		require.NoError(t, err)
		require.Equal(t, notification.StatusPENDING, n.Status)
		w.smtp.Restart(t)
		n = w.row(t, carl, notification.KindORDER_CONFIRMED)
		require.Equal(t, notification.StatusSENT, n.Status)
		require.GreaterOrEqual(t, n.Attempts, 2)
		require.Empty(t, n.LastError)

		// A mailbox refused for good: FAILED, and an alert on the timeline.
		w.smtp.Refuse("dana@example.com", 550, "no such mailbox")
		dana := w.place(t, orders.Customer{Email: "dana@example.com", Name: "Dana"})
		n = w.row(t, dana, notification.KindORDER_CONFIRMED)
		require.Equal(t, notification.StatusFAILED, n.Status)
		require.Contains(t, n.LastError, "no such mailbox")
		failed := w.timeline(t, dana, events.KindNotificationFailed)
		require.Len(t, failed, 1)

		// Reading the whole log again sends nothing twice.
		w.stop()
		require.NoError(t, db.Client.Checkpoint.Update().Where(checkpoint.ID("notifications")).SetTxid(0).SetEventID(0).Exec(ctx))
		rows, err := db.Client.Notification.Query().Count(ctx)
		require.NoError(t, err)
		head, err := db.Client.Event.Query().Where(event.TypeIn(events.KindOrderPlaced, events.KindOrderRouted)).
			Aggregate(ent.Max(event.FieldID)).Int(ctx)
		require.NoError(t, err)
		w.run()
		wait(t, "the relay to read the log again", func() bool {
			cp, err := db.Client.Checkpoint.Get(ctx, "notifications")
			return err == nil && cp.EventID >= int64(head)
		})
		again, err := db.Client.Notification.Query().Count(ctx)
		require.NoError(t, err)
		require.Equal(t, rows, again, "no new notification")
		perAddress := map[string]int{}
		for _, m := range w.smtp.Messages() {
			perAddress[strings.ToLower(strings.Join(m.To, ","))]++
		}
		require.Equal(t, map[string]int{"ann@example.com": 1, "bob@example.com": 1, "carl@example.com": 1}, perAddress)

		shipped(t, w)
		collect(t, w)
		cancel(t, w)
		unsubscribe(t, w, ann)
	})
}

// shipped checks that a shipment leaving is told once, with its tracking, in the customer's
// language, and that a preview renders with the same data.
func shipped(t *testing.T, w *world) {
	ctx := t.Context()
	erin := w.place(t, orders.Customer{Email: "erin@example.com", Name: "Erin"})
	w.row(t, erin, notification.KindORDER_CONFIRMED)
	vi := "vi-VN"
	_, err := w.svc.SetPreferences(ctx, *erin.CustomerID, notifications.Preferences{Locale: &vi})
	require.NoError(t, err)
	shs, err := w.ful.Plan(ctx, erin.ID)
	require.NoError(t, err)
	require.Len(t, shs, 1)
	for _, c := range []fulfilment.Command{fulfilment.Pick, fulfilment.Pack, fulfilment.MarkReady} {
		_, err := w.ful.Apply(ctx, fulfilment.CommandInput{ShipmentID: shs[0].ID, Command: c})
		require.NoError(t, err, c)
	}
	_, err = w.ful.Apply(ctx, fulfilment.CommandInput{ShipmentID: shs[0].ID, Command: fulfilment.Ship, Carrier: "Kerry", TrackingNumbers: []string{"KE123456"}})
	require.NoError(t, err)
	n := w.row(t, erin, notification.KindSHIPPED)
	require.Equal(t, notification.StatusSENT, n.Status)
	require.Equal(t, string(shs[0].ID), n.Version)
	require.Equal(t, "vi", n.Locale, "the customer's language")
	got := w.smtp.Messages()
	m, err := got[len(got)-1].Parse()
	require.NoError(t, err)
	body, err := io.ReadAll(m.Body)
	require.NoError(t, err)
	require.Contains(t, string(body), "KE123456")

	r, err := w.svc.Preview(ctx, erin.ID, "SHIPPED", "en")
	require.NoError(t, err)
	require.Contains(t, r.Text, "KE123456")
	require.Contains(t, r.Text, erin.Number)
	_, err = w.svc.Preview(ctx, erin.ID, "RETURN_APPROVED", "")
	require.Equal(t, fault.InvalidArgument, fault.CodeOf(err), "no return to preview with")

	// Every kind renders from the order's data in every language.
	_, err = w.db.Client.OrderReturn.Create().SetOrderID(erin.ID).SetNumber("RMA-ERIN-1").SetOrigin("AGENT").Save(ctx)
	require.NoError(t, err)
	_, err = w.db.Client.Refund.Create().SetOrderID(erin.ID).SetCurrency("THB").SetAmount(1250).SetStatus("SUCCEEDED").Save(ctx)
	require.NoError(t, err)
	for _, kind := range schema.NotificationKinds {
		if kind == "LINES_CANCELLED" {
			continue // erin's order has none; cancel() checks it
		}
		for _, locale := range []string{"en", "th", "vi", "id", "ms"} {
			r, err := w.svc.Preview(ctx, erin.ID, kind, locale)
			require.NoError(t, err, "%s in %s", kind, locale)
			require.NotEmpty(t, r.Subject, "%s in %s", kind, locale)
			require.Contains(t, r.Text, "/notifications/unsubscribe?t=", "%s in %s", kind, locale)
		}
	}
	r, err = w.svc.Preview(ctx, erin.ID, "RETURN_APPROVED", "en")
	require.NoError(t, err)
	require.Contains(t, r.Text, "RMA-ERIN-1")
	r, err = w.svc.Preview(ctx, erin.ID, "REFUND_ISSUED", "en")
	require.NoError(t, err)
	require.Contains(t, r.Text, message.Money(message.English, "THB", 1250))
	_, err = w.svc.Preview(ctx, erin.ID, "NOPE", "")
	require.Equal(t, fault.InvalidArgument, fault.CodeOf(err))
	_, err = w.svc.Preview(ctx, erin.ID, "SHIPPED", "klingon")
	require.Equal(t, fault.InvalidArgument, fault.CodeOf(err))
	_, err = w.svc.Preview(ctx, "ord_01J00000000000000000000000", "SHIPPED", "")
	require.Equal(t, fault.NotFound, fault.CodeOf(err))
}

// collect checks a pickup order: told when it is ready, and reminded once, the day before its
// hold ends.
func collect(t *testing.T, w *world) {
	ctx := t.Context()
	o, _, err := w.ord.Place(ctx, orders.PlaceInput{Lines: []orders.Line{{SKU: "TEE", Quantity: 1}}, Paid: true,
		Customer: orders.Customer{Email: "gus@example.com", Name: "Gus"}, DeliveryMethod: order.DeliveryMethodPICKUP,
		PickupLocationID: &w.store.ID, ShippingAddress: &schema.Address{Name: "Gus", CountryCode: "TH"}})
	require.NoError(t, err)
	shs, err := w.ful.Plan(ctx, o.ID)
	require.NoError(t, err)
	require.Len(t, shs, 1)
	for _, c := range []fulfilment.Command{fulfilment.Pick, fulfilment.Pack, fulfilment.ReadyForPickup} {
		_, err := w.ful.Apply(ctx, fulfilment.CommandInput{ShipmentID: shs[0].ID, Command: c})
		require.NoError(t, err, c)
	}
	ready := w.row(t, o, notification.KindREADY_FOR_PICKUP)
	require.Equal(t, notification.StatusSENT, ready.Status)
	sh, err := w.db.Client.Shipment.Get(ctx, shs[0].ID)
	require.NoError(t, err)
	require.NotNil(t, sh.PickupExpiresAt)

	require.NoError(t, w.svc.SweepPickups(ctx), "three days left: too early")
	none, err := w.db.Client.Notification.Query().Where(notification.OrderID(o.ID), notification.KindEQ(notification.KindPICKUP_EXPIRING)).Count(ctx)
	require.NoError(t, err)
	require.Zero(t, none)

	sweep := &notifications.Service{DB: w.db, Queue: w.svc.Queue, Providers: w.svc.Providers, From: w.svc.From,
		Clock: func() time.Time { return sh.PickupExpiresAt.Add(-20 * time.Hour) }}
	require.NoError(t, sweep.SweepPickups(ctx))
	require.NoError(t, sweep.SweepPickups(ctx), "a second sweep reminds no one again")
	n := w.row(t, o, notification.KindPICKUP_EXPIRING)
	require.Equal(t, notification.StatusSENT, n.Status)
	require.Equal(t, string(sh.ID), n.Version)
}

// cancel checks that cancelling some units and then the order tells each, with what was cancelled.
func cancel(t *testing.T, w *world) {
	ctx := t.Context()
	o, _, err := w.ord.Place(ctx, orders.PlaceInput{Lines: []orders.Line{{SKU: "TEE", Quantity: 2}}, Paid: true,
		Customer:        orders.Customer{Email: "hana@example.com", Name: "Hana"},
		ShippingAddress: &schema.Address{Name: "Hana", Line1: "1 Sukhumvit", City: "Bangkok", Region: "Bangkok", PostalCode: "10110", CountryCode: "TH"}})
	require.NoError(t, err)
	lines, err := o.QueryLines().All(ctx)
	require.NoError(t, err)
	_, err = w.ord.CancelLines(ctx, orders.CancelLinesInput{OrderID: o.ID, Lines: []orders.CancelLine{{LineID: lines[0].ID, Quantity: 1}},
		Reason: "asked by the customer", Source: orders.SourceAgent})
	require.NoError(t, err)
	n := w.row(t, o, notification.KindLINES_CANCELLED)
	require.Equal(t, notification.StatusSENT, n.Status)
	require.JSONEq(t, `[{"lineID":"`+string(lines[0].ID)+`","sku":"TEE","quantity":1}]`, n.Facts["lines"])
	_, err = w.ord.Apply(ctx, orders.ApplyInput{OrderID: o.ID, Command: orders.Cancel, Reason: "out of patience"})
	require.NoError(t, err)
	n = w.row(t, o, notification.KindCANCELLED)
	require.Equal(t, notification.StatusSENT, n.Status)
	require.Equal(t, "out of patience", n.Facts["reason"])
}

// Bad preferences and branding are INVALID_ARGUMENT and change nothing.
func TestPreferences(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		svc := &notifications.Service{DB: db}
		email := "fay@example.com"
		c, err := db.Client.Customer.Create().SetEmail(email).Save(ctx)
		require.NoError(t, err)
		str := func(s string) *string { return &s }
		kinds := func(k ...string) *[]string { return &k }
		for name, p := range map[string]notifications.Preferences{
			"locale":    {Locale: str("klingon"), Muted: kinds("SHIPPED")},
			"time zone": {TimeZone: str("Mars/Olympus"), Muted: kinds("SHIPPED")},
			"local":     {TimeZone: str("Local")},
			"muted":     {Locale: str("th"), Muted: kinds("SHIPPED", "SPAM")},
		} {
			_, err := svc.SetPreferences(ctx, c.ID, p)
			require.Equal(t, fault.InvalidArgument, fault.CodeOf(err), name)
		}
		same, err := db.Client.Customer.Get(ctx, c.ID)
		require.NoError(t, err)
		require.Equal(t, c.Locale, same.Locale)
		require.Empty(t, same.MutedNotifications)

		got, err := svc.SetPreferences(ctx, c.ID, notifications.Preferences{Locale: str("th-TH"), TimeZone: str("Asia/Bangkok"),
			Muted: kinds("DELIVERED", "SHIPPED", "DELIVERED")})
		require.NoError(t, err)
		require.Equal(t, "th", got.Locale)
		require.Equal(t, "Asia/Bangkok", got.TimeZone)
		require.Equal(t, []string{"DELIVERED", "SHIPPED"}, got.MutedNotifications)
		got, err = svc.SetPreferences(ctx, c.ID, notifications.Preferences{Locale: str("")})
		require.NoError(t, err)
		require.Empty(t, got.Locale, "back to the country's")
		require.Equal(t, "Asia/Bangkok", got.TimeZone, "left as it was")
		_, err = svc.SetPreferences(ctx, "cus_01J00000000000000000000000", notifications.Preferences{Locale: str("th")})
		require.Equal(t, fault.NotFound, fault.CodeOf(err))

		ch, err := db.Client.Channel.Create().SetName("Tee Shop").SetKind("SHOPIFY").Save(ctx)
		require.NoError(t, err)
		for name, b := range map[string]schema.Branding{
			"from":   {FromEmail: "not an address"},
			"named":  {FromEmail: "Shop <shop@example.com>"},
			"colour": {Color: "red"},
			"logo":   {LogoURL: "http://cdn.example/logo.png"},
			"locale": {Locale: "klingon"},
			"name":   {BrandName: "Tee\r\nBcc: x@y"},
		} {
			_, err := svc.SetBranding(ctx, ch.ID, b)
			require.Equal(t, fault.InvalidArgument, fault.CodeOf(err), name)
		}
		same2, err := db.Client.Channel.Get(ctx, ch.ID)
		require.NoError(t, err)
		require.Equal(t, schema.Branding{}, same2.Branding)
		want := schema.Branding{BrandName: "Tee", FromName: "Tee Shop", FromEmail: "shop@example.com", ReplyTo: "help@example.com",
			LogoURL: "https://cdn.example/logo.png", Color: "#112233", AccentColor: "#AABBCC", Locale: "th", SupportEmail: "help@example.com"}
		in := want
		in.Locale = "th_TH"
		ch, err = svc.SetBranding(ctx, ch.ID, in)
		require.NoError(t, err)
		require.Equal(t, want, ch.Branding)
		_, err = svc.SetBranding(ctx, "chn_01J00000000000000000000000", want)
		require.Equal(t, fault.NotFound, fault.CodeOf(err))
	})
}

// unsubscribe checks the unsubscribe page: GET changes nothing, a forged token is 400 and changes
// nothing, POST suppresses the address and opts the customer out; a resend then skips; opting back
// in lifts the suppression.
func unsubscribe(t *testing.T, w *world, o *ent.Order) {
	ctx := t.Context()
	srv := httptest.NewServer(w.svc.Handler())
	defer srv.Close()
	link := notifications.UnsubscribeURLFor(w.svc, "Ann@Example.com", o.CustomerID)
	u, err := url.Parse(link)
	require.NoError(t, err)
	target := srv.URL + u.Path + "?" + u.RawQuery
	suppressions := func() int {
		n, err := w.db.Client.Suppression.Query().Count(ctx)
		require.NoError(t, err)
		return n
	}

	res, err := http.Get(target)
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, string(body), `method="post"`)
	require.Zero(t, suppressions(), "GET changes nothing")

	forged := notifications.UnsubscribeURLFor(&notifications.Service{SecretKey: []byte("another secret")}, "ann@example.com", o.CustomerID)
	fu, err := url.Parse(forged)
	require.NoError(t, err)
	res, err = http.Post(srv.URL+fu.Path+"?"+fu.RawQuery, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusBadRequest, res.StatusCode)
	require.Zero(t, suppressions(), "a forged token changes nothing")

	for range 2 { // one-click, twice: idempotent
		res, err = http.Post(target, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	require.Equal(t, 1, suppressions())
	sup, err := w.db.Client.Suppression.Query().Only(ctx)
	require.NoError(t, err)
	require.Equal(t, "ann@example.com", sup.Address)
	c, err := w.db.Client.Customer.Get(ctx, *o.CustomerID)
	require.NoError(t, err)
	require.True(t, c.NotificationsOptOut)

	first, err := w.db.Client.Notification.Query().Where(notification.OrderID(o.ID)).Only(ctx)
	require.NoError(t, err)
	re, err := w.svc.Resend(ctx, first.ID)
	require.NoError(t, err)
	require.Equal(t, "1#resend-1", re.Version)
	require.Equal(t, notification.StatusSKIPPED, re.Status)
	require.Equal(t, notifications.SkipOptedOut, re.SkipReason)

	no := false
	_, err = w.svc.SetPreferences(ctx, *o.CustomerID, notifications.Preferences{OptOut: &no})
	require.NoError(t, err)
	require.Zero(t, suppressions(), "opting back in lifts the unsubscribe")
	re, err = w.svc.Resend(ctx, first.ID)
	require.NoError(t, err)
	require.Equal(t, "1#resend-2", re.Version)
	require.Equal(t, notification.StatusPENDING, re.Status)
	wait(t, "the resend", func() bool {
		n, err := w.db.Client.Notification.Get(ctx, re.ID)
		return err == nil && n.Status == notification.StatusSENT
	})
	got := w.smtp.Messages()
	m, err := got[len(got)-1].Parse()
	require.NoError(t, err)
	require.Equal(t, "<"+string(re.ID)+"@shop.example>", m.Header.Get("Message-Id"), "a resend is a message of its own")
}

// BenchmarkRelay measures how fast the relay turns placed orders into notifications and send jobs
// (the sends run meanwhile, to the in-process server): b.N orders placed while it is stopped, then
// read in one go.
func BenchmarkRelay(b *testing.B) {
	for _, store := range []struct {
		name string
		open func(testing.TB) *database.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(store.name, func(b *testing.B) {
			db := store.open(b)
			w := newWorld(b, db)
			w.stop()
			var last *ent.Order
			for i := range b.N {
				last = w.place(b, orders.Customer{Email: fmt.Sprintf("c%d@example.com", i)})
			}
			head, err := db.Client.Event.Query().Where(event.OrderID(string(last.ID)), event.TypeIn(events.KindOrderPlaced, events.KindOrderRouted)).
				Aggregate(ent.Max(event.FieldID)).Int(b.Context())
			require.NoError(b, err)
			b.ResetTimer()
			w.run()
			wait(b, "the relay", func() bool {
				cp, err := db.Client.Checkpoint.Get(b.Context(), "notifications")
				return err == nil && cp.EventID >= int64(head)
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
		})
	}
}
