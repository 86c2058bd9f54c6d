package e2e_test

// Issue 11, must show 1 and 2: customers are told what becomes of their orders by email, through a
// real SMTP server in its own process (aiosmtpd), exactly once per message, in their language and
// time zone; opted-out customers are told nothing; an unsubscribe link works (and a link scanner's
// GET changes nothing); and a mail server down for a while, with Ordo restarted meanwhile, loses
// and duplicates nothing.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/config"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/notification"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/instance"
	"github.com/ordo-oms/ordo/notifications/message"
	"github.com/ordo-oms/ordo/ordotest"
	"github.com/ordo-oms/ordo/shipping"
)

// ntfWait bounds how long a test waits for the relay and the send jobs to catch up.
const ntfWait = 60 * time.Second

// ntfShop is a shop in Bangkok and Hanoi that both ship to Thailand and Vietnam, a routing policy
// that splits an order in two shipments when it must, and a real mail server.
type ntfShop struct {
	srv   *ordotest.Server
	admin *ordotest.Client
	mail  *ordotest.MailServer
	url   string
	locs  map[string]string
}

// startNtfServer starts Ordo on url sending mail through mail, retrying failed sends quickly.
func startNtfServer(t *testing.T, url string, mail *ordotest.MailServer) *ordotest.Server {
	return ordotest.StartPrepared(t, url, func(c *config.Config) {
		c.SMTPURL, c.MailFrom = mail.URL, "Ordo Shop <shop@ordo.test>"
	}, func(i *instance.Instance) {
		i.Notifications.Retry = func(int) time.Duration { return 500 * time.Millisecond }
	})
}

func newNtfShop(t *testing.T, url string) *ntfShop {
	mail := ordotest.StartMailServer(t)
	srv := startNtfServer(t, url, mail)
	f := &ntfShop{srv: srv, admin: srv.Admin(), mail: mail, url: url, locs: map[string]string{}}
	for _, l := range []struct {
		code, country, city string
		lat, lng            float64
	}{
		{"BKK", "TH", "Bangkok", 13.7563, 100.5018},
		{"HAN", "VN", "Hanoi", 21.0278, 105.8342},
	} {
		var out struct{ CreateLocation struct{ ID string } }
		// A street address: returns come back to the warehouse their label names.
		f.admin.MustDo(t, `mutation($code: String!, $lat: Float!, $lng: Float!, $country: String!, $city: String!) {
			createLocation(input: {code: $code, name: $code, kind: WAREHOUSE, shipsTo: ["TH", "VN"],
				address: {line1: "1 Warehouse Road", city: $city, countryCode: $country, latitude: $lat, longitude: $lng}}) { id } }`,
			map[string]any{"code": l.code, "lat": l.lat, "lng": l.lng, "country": l.country, "city": l.city}, &out)
		f.locs[l.code] = out.CreateLocation.ID
	}
	f.admin.MustDo(t, `mutation { setRoutingPolicy(input: {criteria: [{name: "DISTANCE", weight: 4}], maxShipments: 2, backorder: PARTIAL}) { version } }`, nil, nil)
	return f
}

// stock makes a SKU priced in currency with one unit in each warehouse, so that an order of two
// leaves as two parcels.
func (f *ntfShop) stock(t *testing.T, sku, currency string, price int64) {
	var p struct{ CreateProduct struct{ ID string } }
	f.admin.MustDo(t, `mutation($n: String!) { createProduct(input: {name: $n}) { id } }`, map[string]any{"n": sku}, &p)
	f.admin.MustDo(t, `mutation($s: String!, $p: ID!, $c: String!, $a: Int!) { createVariant(input: {sku: $s, name: $s, productID: $p,
		priceAmount: $a, currency: $c, weightGrams: 300, lengthMm: 200, widthMm: 150, heightMm: 50}) { id } }`,
		map[string]any{"s": sku, "p": p.CreateProduct.ID, "c": currency, "a": price}, nil)
	for _, loc := range f.locs {
		f.admin.MustDo(t, receive, map[string]any{"sku": sku, "loc": loc, "q": 1}, nil)
	}
}

// ntfCustomer is a buyer and where they live.
type ntfCustomer struct {
	name, email, country, city string
	lat, lng                   float64
	currency                   string
	price                      int64
	locale                     message.Locale
	zone                       string
}

// ntfLife is what happened to an order in its whole life, as the messages should tell it.
type ntfLife struct {
	orderID, number string
	total           int64
	shipments       [2]string // A (delayed, then delivered) and B (delivered first)
	tracking        [2]string
	newPromise      time.Time // A's, after its delay
	returnNumber    string
	refundAmount    int64
	customerID      pulid.ID
}

// life runs an order of c's through its whole life: placed paid, shipped as two parcels, one
// delivered, the other delayed (its carrier silent) and then delivered, a unit returned (approved)
// and refunded.
func (f *ntfShop) life(t *testing.T, c ntfCustomer, sku string) ntfLife {
	ctx := auth.NewContext(context.Background(), auth.System)
	f.stock(t, sku, c.currency, c.price)
	var placed struct {
		PlaceOrder struct {
			Order struct {
				ID, Number string
				CustomerID pulid.ID
				Total      struct{ Amount int64 }
				Lines      []struct{ ID string }
			}
		}
	}
	f.admin.MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id number customerID total { amount } lines { id } } } }`,
		map[string]any{"in": map[string]any{
			"lines": []any{map[string]any{"sku": sku, "quantity": 2}}, "paid": true,
			"customer": map[string]any{"email": c.email, "name": c.name},
			"shippingAddress": map[string]any{"name": c.name, "line1": "1 Test Road", "city": c.city, "countryCode": c.country,
				"latitude": c.lat, "longitude": c.lng},
		}}, &placed)
	o := placed.PlaceOrder.Order
	l := ntfLife{orderID: o.ID, number: o.Number, total: o.Total.Amount, customerID: o.CustomerID}
	ships := (&shipFixture{srv: f.srv, admin: f.admin}).plan(t, o.ID)
	require.Len(t, ships, 2, "one parcel from each warehouse")
	for i, s := range ships {
		l.shipments[i] = s.ID
		l.tracking[i] = fmt.Sprintf("%s-PARCEL-%d", sku, i+1)
		(&shipFixture{srv: f.srv, admin: f.admin}).ship(t, s.ID, "Kerry", l.tracking[i])
	}
	deliver := func(i int) {
		rep, err := f.srv.Inst.Fulfilment.Track(ctx, []shipping.TrackingEvent{{Source: shipping.AfterShip, EventID: "delivered-" + l.tracking[i],
			TrackingNumber: l.tracking[i], Tag: shipping.Delivered, OccurredAt: time.Now().UTC()}})
		require.NoError(t, err)
		require.Positive(t, rep.Moved, "parcel %d delivered", i)
	}
	deliver(1)
	// Parcel A's carrier says nothing for two days: it is promised again (shipment.delayed).
	a, err := f.srv.Inst.DB.Client.Shipment.Get(ctx, pulid.ID(l.shipments[0]))
	require.NoError(t, err)
	require.NotNil(t, a.ShippedAt)
	_, err = f.srv.Inst.Fulfilment.SweepDelays(ctx, a.ShippedAt.Add(49*time.Hour))
	require.NoError(t, err)
	a, err = f.srv.Inst.DB.Client.Shipment.Get(ctx, a.ID)
	require.NoError(t, err)
	require.True(t, a.LateRisk, "the silent parcel is late")
	l.newPromise = *a.PromisedDeliveryTo
	deliver(0)

	var req struct {
		RequestReturn struct{ Return struct{ ID, Number string } }
	}
	f.admin.MustDo(t, `mutation($o: ID!, $l: ID!) { requestReturn(input: {orderID: $o, lines: [{orderLineID: $l, quantity: 1, reasonCode: "SIZE"}]}) {
		return { id number } } }`, map[string]any{"o": o.ID, "l": o.Lines[0].ID}, &req)
	ret := req.RequestReturn.Return
	l.returnNumber = ret.Number
	f.admin.MustDo(t, `mutation($id: ID!) { approveReturn(input: {returnID: $id}) { return { id } } }`, map[string]any{"id": ret.ID}, nil)
	// The label printed for it goes to the customer too, attached to the approval told again.
	f.admin.MustDo(t, `mutation($id: ID!) { createReturnLabel(input: {returnID: $id}) { document { id } } }`, map[string]any{"id": ret.ID}, nil)
	var rf struct {
		RefundReturn struct {
			Refund struct {
				ID     string
				Amount struct{ Amount int64 }
			}
		}
	}
	f.admin.MustDo(t, `mutation($id: ID!) { refundReturn(input: {returnID: $id}) { refund { id amount { amount } } } }`, map[string]any{"id": ret.ID}, &rf)
	l.refundAmount = rf.RefundReturn.Refund.Amount.Amount
	require.Positive(t, l.refundAmount)
	f.admin.MustDo(t, `mutation($id: ID!) { recordRefundResult(input: {refundID: $id, status: SUCCEEDED, externalID: "re-ntf"}) { refund { status } } }`,
		map[string]any{"id": rf.RefundReturn.Refund.ID}, nil)
	return l
}

// lifeKinds are the messages an order's life above sends, and how many of each.
var lifeKinds = map[string]int{
	"ORDER_CONFIRMED": 1, "SHIPPED": 2, "DELAYED": 1, "DELIVERED": 2, "RETURN_APPROVED": 2, "REFUND_ISSUED": 1,
}

// settled are an order's notifications once there are want of them and none is PENDING any more.
func (f *ntfShop) settled(t *testing.T, orderID string, want int) []*ent.Notification {
	t.Helper()
	var ns []*ent.Notification
	require.Eventually(t, func() bool {
		var err error
		ns, err = f.srv.Inst.DB.Client.Notification.Query().Where(notification.OrderID(pulid.ID(orderID))).Order(notification.ByID()).All(context.Background())
		require.NoError(t, err)
		if len(ns) != want {
			return false
		}
		for _, n := range ns {
			if n.Status == notification.StatusPENDING {
				return false
			}
		}
		return true
	}, ntfWait, 50*time.Millisecond, "order %s: %d notifications settled of %d: %v", orderID, len(ns), want, ns)
	return ns
}

// byMessageID indexes received messages by Message-ID, failing on a duplicate.
func byMessageID(t *testing.T, mails []ordotest.Mail) map[string]ordotest.Mail {
	t.Helper()
	out := map[string]ordotest.Mail{}
	for _, m := range mails {
		id := strings.Trim(m.MessageID, "<> ")
		require.NotEmpty(t, id, "a message without a Message-ID: %s", m.Subject)
		_, dup := out[id]
		require.False(t, dup, "message %s (%s) received twice", id, m.Subject)
		out[id] = m
	}
	return out
}

func hasScript(s string, table *unicode.RangeTable) bool {
	for _, r := range s {
		if unicode.Is(table, r) {
			return true
		}
	}
	return false
}

// The issue's must-show 1: a Thai and a Vietnamese customer are told of every step of their order's
// life, once each, with the right parcels, dates and amounts, in their language and time zone; an
// opted-out customer is told nothing; the timeline shows what was sent; the unsubscribe link works.
func TestCustomersAreToldOfTheirOrdersLife(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, dbURL string) {
		f := newNtfShop(t, dbURL)
		ctx := context.Background()
		thai := ntfCustomer{name: "Somchai Jaidee", email: "somchai@example.co.th", country: "TH", city: "Bangkok", lat: 13.7367, lng: 100.5231,
			currency: "THB", price: 125000, locale: message.Thai, zone: "Asia/Bangkok"}
		viet := ntfCustomer{name: "Nguyễn Văn An", email: "an.nguyen@example.vn", country: "VN", city: "Hanoi", lat: 21.03, lng: 105.85,
			currency: "VND", price: 250000, locale: message.Vietnamese, zone: "Asia/Ho_Chi_Minh"}
		quiet := ntfCustomer{name: "Quiet Buyer", email: "quiet@example.com", country: "TH", city: "Bangkok", lat: 13.7367, lng: 100.5231,
			currency: "THB", price: 50000}

		// The Vietnamese customer and the quiet one exist before they order: the Vietnamese one
		// chooses Vietnamese and Hanoi's time from their storefront, the quiet one opts out (and
		// may not touch anyone else's preferences).
		mk := func(c ntfCustomer) pulid.ID {
			cu, err := f.srv.Inst.DB.Client.Customer.Create().SetEmail(c.email).SetName(c.name).Save(ctx)
			require.NoError(t, err)
			return cu.ID
		}
		vietID, quietID := mk(viet), mk(quiet)
		prefs := `mutation($in: SetNotificationPreferencesInput!) { setNotificationPreferences(input: $in) {
			customer { id locale timeZone notificationsOptOut } } }`
		var set struct {
			SetNotificationPreferences struct {
				Customer struct {
					ID, Locale, TimeZone string
					NotificationsOptOut  bool
				}
			}
		}
		vietShop := f.srv.Client(f.srv.Key(t, auth.Storefront, &vietID))
		vietShop.MustDo(t, prefs, map[string]any{"in": map[string]any{"customerID": vietID, "locale": "vi-VN", "timeZone": viet.zone}}, &set)
		require.Equal(t, "vi", set.SetNotificationPreferences.Customer.Locale)
		require.Equal(t, viet.zone, set.SetNotificationPreferences.Customer.TimeZone)
		quietShop := f.srv.Client(f.srv.Key(t, auth.Storefront, &quietID))
		res, err := quietShop.Do(ctx, prefs, map[string]any{"in": map[string]any{"customerID": vietID, "optOut": true}})
		require.NoError(t, err)
		require.Equal(t, "FORBIDDEN", res.Code(), "a storefront sets its own customer's preferences only")
		cu, err := f.srv.Inst.DB.Client.Customer.Get(ctx, vietID)
		require.NoError(t, err)
		require.False(t, cu.NotificationsOptOut)
		for _, bad := range []map[string]any{{"locale": "fr"}, {"timeZone": "Mars/Olympus"}} {
			bad["customerID"] = quietID
			res, err := quietShop.Do(ctx, prefs, map[string]any{"in": bad})
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", res.Code(), "%v", bad)
		}
		quietShop.MustDo(t, prefs, map[string]any{"in": map[string]any{"customerID": quietID, "optOut": true}}, &set)
		require.True(t, set.SetNotificationPreferences.Customer.NotificationsOptOut)

		lives := map[string]ntfLife{}
		for sku, c := range map[string]ntfCustomer{"NTF-TH": thai, "NTF-VN": viet, "NTF-QUIET": quiet} {
			lives[c.email] = f.life(t, c, sku)
		}

		// The quiet customer is sent nothing: every notification is SKIPPED as opted out.
		for _, n := range f.settled(t, lives[quiet.email].orderID, 9) {
			require.Equal(t, notification.StatusSKIPPED, n.Status, "%s", n.Kind)
			require.Equal(t, "OPTED_OUT", n.SkipReason, "%s", n.Kind)
		}

		for _, c := range []ntfCustomer{thai, viet} {
			l := lives[c.email]
			ns := f.settled(t, l.orderID, 9)
			kinds := map[string]int{}
			for _, n := range ns {
				require.Equal(t, notification.StatusSENT, n.Status, "%s: %s %s", c.email, n.Kind, n.LastError)
				require.Equal(t, c.email, n.Recipient)
				require.Equal(t, string(c.locale), n.Locale, "%s in the customer's language", n.Kind)
				kinds[string(n.Kind)]++
			}
			require.Equal(t, lifeKinds, kinds, c.email)

			mails := byMessageID(t, mailsTo(f.mail.Messages(), c.email))
			require.Len(t, mails, len(ns), "%s: one message per notification", c.email)
			zone, err := time.LoadLocation(c.zone)
			require.NoError(t, err)
			for _, n := range ns {
				m, ok := mails[strings.Trim(n.MessageID, "<> ")]
				require.True(t, ok, "%s %s (%s) was not received", c.email, n.Kind, n.MessageID)
				require.Equal(t, n.Subject, m.Subject)
				require.Contains(t, m.From, "shop@ordo.test")
				require.NotEmpty(t, m.HTML, "%s has an HTML part", n.Kind)
				require.NotEmpty(t, m.Text, "%s has a text part", n.Kind)
				require.Contains(t, m.Subject+m.Text, l.number, "%s names the order", n.Kind)
				require.Equal(t, string(c.locale), m.Header.Get("Content-Language"), "%s", n.Kind)
				if c.locale == message.Thai {
					require.True(t, hasScript(m.Subject, unicode.Thai), "a Thai subject: %q", m.Subject)
				}
				switch n.Kind {
				case notification.KindORDER_CONFIRMED:
					require.Contains(t, m.Text, message.Money(c.locale, c.currency, l.total), "the total")
				case notification.KindSHIPPED:
					i := indexOf(l.shipments, n.SubjectID)
					require.Contains(t, m.Text, l.tracking[i], "its own parcel's tracking number")
					require.NotContains(t, m.Text, l.tracking[1-i], "not the other parcel's")
				case notification.KindDELAYED:
					require.Equal(t, l.shipments[0], n.SubjectID)
					require.Contains(t, m.Text, message.Date(c.locale, l.newPromise, zone), "the new promise in the customer's language and zone")
				case notification.KindRETURN_APPROVED:
					require.Contains(t, m.Text, l.returnNumber)
					if n.Facts["label"] == "" {
						require.Empty(t, m.Attachments, "the approval alone carries no label")
						break
					}
					require.Len(t, m.Attachments, 1, "the label printed for the return")
					require.Equal(t, l.returnNumber+".pdf", m.Attachments[0].Name)
					require.Equal(t, "application/pdf", m.Attachments[0].ContentType)
					require.True(t, bytes.HasPrefix(m.Attachments[0].Body, []byte("%PDF-")), "a PDF")
				case notification.KindREFUND_ISSUED:
					require.Contains(t, m.Text, message.Money(c.locale, c.currency, l.refundAmount), "the amount refunded")
				}
				require.NotEmpty(t, m.Header.Get("List-Unsubscribe"), "%s can be unsubscribed from", n.Kind)
			}

			// The order's timeline says what was sent, to whom.
			var tl struct {
				Node struct {
					Events []struct {
						Type string
						Data map[string]any
					}
				}
			}
			f.admin.MustDo(t, `query($id: ID!) { node(id: $id) { ... on Order { events { type data } } } }`, map[string]any{"id": l.orderID}, &tl)
			sent := 0
			for _, e := range tl.Node.Events {
				if e.Type == "notification.sent" {
					sent++
					require.Equal(t, c.email, e.Data["recipient"])
				}
			}
			require.Equal(t, 9, sent, "%s: one notification.sent per message on the timeline", c.email)
		}
		require.Empty(t, mailsTo(f.mail.Messages(), quiet.email), "the opted-out customer received nothing")

		// Staff read what was sent on the order; the customer's own storefront does not (it is
		// customer service's record).
		const sentQuery = `query($id: ID!) { node(id: $id) { ... on Order { notifications { kind status recipient } } } }`
		var listed struct {
			Node struct {
				Notifications []struct{ Kind, Status, Recipient string }
			}
		}
		f.admin.MustDo(t, sentQuery, map[string]any{"id": lives[viet.email].orderID}, &listed)
		require.Len(t, listed.Node.Notifications, 9)
		for _, n := range listed.Node.Notifications {
			require.Equal(t, "SENT", n.Status)
			require.Equal(t, viet.email, n.Recipient)
		}
		res, err = vietShop.Do(ctx, sentQuery, map[string]any{"id": lives[viet.email].orderID})
		require.NoError(t, err)
		require.Equal(t, "FORBIDDEN", res.Code())

		// The Thai customer follows the unsubscribe link of a message: the page (GET, as a link
		// scanner would) changes nothing; confirming (POST) opts them out.
		m := mailsTo(f.mail.Messages(), thai.email)[0]
		link := unsubscribeLink(t, m)
		get, err := http.Get(link)
		require.NoError(t, err)
		page, _ := io.ReadAll(get.Body)
		_ = get.Body.Close()
		require.Equal(t, http.StatusOK, get.StatusCode, string(page))
		thaiID := lives[thai.email].customerID
		cu, err = f.srv.Inst.DB.Client.Customer.Get(ctx, thaiID)
		require.NoError(t, err)
		require.False(t, cu.NotificationsOptOut, "a GET changes nothing")
		forged := strings.Replace(link, "t=", "t=x", 1)
		post, err := http.PostForm(forged, url.Values{"List-Unsubscribe": {"One-Click"}})
		require.NoError(t, err)
		_ = post.Body.Close()
		require.Equal(t, http.StatusBadRequest, post.StatusCode, "a forged token")
		cu, err = f.srv.Inst.DB.Client.Customer.Get(ctx, thaiID)
		require.NoError(t, err)
		require.False(t, cu.NotificationsOptOut, "a forged token changes nothing")
		post, err = http.PostForm(link, url.Values{"List-Unsubscribe": {"One-Click"}})
		require.NoError(t, err)
		_ = post.Body.Close()
		require.Less(t, post.StatusCode, 300, "one click is confirmed")
		cu, err = f.srv.Inst.DB.Client.Customer.Get(ctx, thaiID)
		require.NoError(t, err)
		require.True(t, cu.NotificationsOptOut, "one click opts out")

		// From then on they are told nothing: a resend is SKIPPED.
		confirmed, err := f.srv.Inst.DB.Client.Notification.Query().Where(notification.OrderID(pulid.ID(lives[thai.email].orderID)),
			notification.KindEQ(notification.KindORDER_CONFIRMED)).Only(ctx)
		require.NoError(t, err)
		var resent struct {
			ResendNotification struct {
				Notification struct{ Status, Version string }
			}
		}
		f.admin.MustDo(t, `mutation($id: ID!) { resendNotification(input: {notificationID: $id}) { notification { status version } } }`,
			map[string]any{"id": confirmed.ID}, &resent)
		require.Equal(t, "SKIPPED", resent.ResendNotification.Notification.Status)
		require.Equal(t, "1#resend-1", resent.ResendNotification.Notification.Version)

		// Staff preview any message of the order, in any language.
		var pv struct {
			PreviewNotification struct{ Subject, Text, Locale string }
		}
		f.admin.MustDo(t, `query($id: ID!) { previewNotification(orderID: $id, kind: REFUND_ISSUED, locale: "vi") { subject text locale } }`,
			map[string]any{"id": lives[thai.email].orderID}, &pv)
		require.Equal(t, "vi", pv.PreviewNotification.Locale)
		require.Contains(t, pv.PreviewNotification.Text, message.Money(message.Vietnamese, thai.currency, lives[thai.email].refundAmount))
		f.srv.Audit(t)
	})
}

// mailsTo are the messages received for one address.
func mailsTo(all []ordotest.Mail, address string) []ordotest.Mail {
	var out []ordotest.Mail
	for _, m := range all {
		if strings.EqualFold(m.RcptTo, address) {
			out = append(out, m)
		}
	}
	return out
}

func indexOf(ids [2]string, id string) int {
	if ids[1] == id {
		return 1
	}
	return 0
}

var httpLink = regexp.MustCompile(`<(https?://[^>]+)>`)

// unsubscribeLink is the link a message's List-Unsubscribe header carries (RFC 2369).
func unsubscribeLink(t *testing.T, m ordotest.Mail) string {
	t.Helper()
	match := httpLink.FindStringSubmatch(m.Header.Get("List-Unsubscribe"))
	require.NotNil(t, match, "List-Unsubscribe: %q", m.Header.Get("List-Unsubscribe"))
	require.Equal(t, "List-Unsubscribe=One-Click", m.Header.Get("List-Unsubscribe-Post"))
	require.Contains(t, m.Text, match[1], "the text part carries the same link")
	return match[1]
}

// The issue's must-show 2: while the mail server is down, messages wait (PENDING, their attempts
// counted); Ordo restarts meanwhile; once the mail server is back every message arrives, once.
func TestNotificationsSurviveAnSMTPOutageAndARestart(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newNtfShop(t, url)
		ctx := context.Background()
		f.mail.Stop()
		c := ntfCustomer{name: "Malee Srisuk", email: "malee@example.co.th", country: "TH", city: "Bangkok", lat: 13.7367, lng: 100.5231,
			currency: "THB", price: 99000, locale: message.Thai}
		f.stock(t, "NTF-DOWN", c.currency, c.price)
		var placed struct {
			PlaceOrder struct{ Order struct{ ID string } }
		}
		f.admin.MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id } } }`, map[string]any{"in": map[string]any{
			"lines": []any{map[string]any{"sku": "NTF-DOWN", "quantity": 2}}, "paid": true, "customer": map[string]any{"email": c.email, "name": c.name},
			"shippingAddress": map[string]any{"name": c.name, "line1": "2 Test Road", "city": c.city, "countryCode": c.country, "latitude": c.lat, "longitude": c.lng},
		}}, &placed)
		orderID := placed.PlaceOrder.Order.ID
		ships := (&shipFixture{srv: f.srv, admin: f.admin}).plan(t, orderID)
		require.Len(t, ships, 2)
		(&shipFixture{srv: f.srv, admin: f.admin}).ship(t, ships[0].ID, "Flash", "DOWN-PARCEL-1")

		// The confirmation and the first parcel wait, tried and failed at least once.
		pending := func(want int) {
			var ns []*ent.Notification
			require.Eventually(t, func() bool {
				var err error
				ns, err = f.srv.Inst.DB.Client.Notification.Query().Where(notification.OrderID(pulid.ID(orderID))).All(ctx)
				require.NoError(t, err)
				if len(ns) != want {
					return false
				}
				for _, n := range ns {
					if n.Status != notification.StatusPENDING {
						return true // wrong: said below
					}
					if n.Attempts == 0 {
						return false
					}
				}
				return true
			}, ntfWait, 50*time.Millisecond)
			for _, n := range ns {
				require.Equal(t, notification.StatusPENDING, n.Status, "%s while the mail server is down: %s", n.Kind, n.LastError)
			}
		}
		pending(2)

		// Ordo restarts on the same store while the mail server is still down; the new process
		// ships the second parcel.
		f.srv.Stop()
		f.srv = startNtfServer(t, f.url, f.mail)
		f.admin = f.srv.Admin()
		(&shipFixture{srv: f.srv, admin: f.admin}).ship(t, ships[1].ID, "Flash", "DOWN-PARCEL-2")
		pending(3)

		// The mail server comes back on its port: every message arrives, once.
		f.mail.Start()
		ns := f.settled(t, orderID, 3)
		for _, n := range ns {
			require.Equal(t, notification.StatusSENT, n.Status, "%s: %s", n.Kind, n.LastError)
			require.Greater(t, n.Attempts, 1, "%s was tried while the server was down", n.Kind)
		}
		mails := byMessageID(t, mailsTo(f.mail.Messages(), c.email))
		require.Len(t, mails, 3, "each message once")
		for _, n := range ns {
			require.Contains(t, mails, strings.Trim(n.MessageID, "<> "), "%s", n.Kind)
		}
		f.srv.Audit(t)
	})
}

// A brand's messages are from its own address, in its language, in its colours; a branding that is
// not well formed is INVALID_ARGUMENT and changes nothing.
func TestChannelBrandingSendsAsTheBrand(t *testing.T) {
	dbtest.EachURL(t, func(t *testing.T, url string) {
		f := newNtfShop(t, url)
		ctx := context.Background()
		var ch struct{ CreateChannel struct{ ID string } }
		f.admin.MustDo(t, `mutation { createChannel(input: {kind: STOREFRONT, name: "siam web"}) { id } }`, nil, &ch)
		chID := ch.CreateChannel.ID
		const setBranding = `mutation($in: SetChannelBrandingInput!) { setChannelBranding(input: $in) {
			channel { branding { brandName fromName fromEmail replyTo logoURL color accentColor locale supportEmail } } } }`
		brand := map[string]any{"channelID": chID, "brandName": "Siam Silk", "fromEmail": "hello@siam.example", "replyTo": "care@siam.example",
			"logoURL": "https://cdn.siam.example/logo.png", "color": "#7A1F5C", "accentColor": "#C9A227", "locale": "th-TH",
			"supportEmail": "care@siam.example"}
		for field, bad := range map[string]string{"fromEmail": "Siam <hello@siam.example>", "replyTo": "care@", "logoURL": "javascript:alert(1)",
			"color": "purple", "accentColor": "#C9A22", "locale": "fr", "supportEmail": "nobody"} {
			in := map[string]any{}
			for k, v := range brand {
				in[k] = v
			}
			in[field] = bad
			res, err := f.admin.Do(ctx, setBranding, map[string]any{"in": in})
			require.NoError(t, err)
			require.Equal(t, "INVALID_ARGUMENT", res.Code(), "%s %q: %+v", field, bad, res.Errors)
			c, err := f.srv.Inst.DB.Client.Channel.Get(ctx, pulid.ID(chID))
			require.NoError(t, err)
			require.Zero(t, c.Branding, "a refused branding changes nothing")
		}
		var set struct {
			SetChannelBranding struct {
				Channel struct{ Branding map[string]*string }
			}
		}
		f.admin.MustDo(t, setBranding, map[string]any{"in": brand}, &set)
		got := set.SetChannelBranding.Channel.Branding
		require.Equal(t, "th", *got["locale"], "the locale as supported")
		require.Equal(t, "#7A1F5C", *got["color"])
		require.Nil(t, got["fromName"], "unset: the brand's name is used")

		// A customer of that brand with no language of their own, shipping to Vietnam, is written to
		// in the brand's Thai, from the brand's address.
		f.stock(t, "NTF-BRAND", "THB", 50000)
		var placed struct {
			PlaceOrder struct{ Order struct{ ID, Number string } }
		}
		f.admin.MustDo(t, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id number } } }`, map[string]any{"in": map[string]any{
			"lines": []any{map[string]any{"sku": "NTF-BRAND", "quantity": 1}}, "paid": true, "channelID": chID,
			"customer":        map[string]any{"email": "lan@example.vn", "name": "Lan"},
			"shippingAddress": map[string]any{"name": "Lan", "line1": "3 Test Road", "city": "Hanoi", "countryCode": "VN", "latitude": 21.03, "longitude": 105.85},
		}}, &placed)
		ns := f.settled(t, placed.PlaceOrder.Order.ID, 1)
		require.Equal(t, notification.StatusSENT, ns[0].Status, ns[0].LastError)
		mails := mailsTo(f.mail.Messages(), "lan@example.vn")
		require.Len(t, mails, 1)
		m := mails[0]
		require.Equal(t, `"Siam Silk" <hello@siam.example>`, m.From)
		require.Equal(t, "<care@siam.example>", m.Header.Get("Reply-To"))
		require.Equal(t, "th", m.Header.Get("Content-Language"))
		require.True(t, hasScript(m.Subject, unicode.Thai), "in the brand's language: %q", m.Subject)
		require.Contains(t, strings.ToLower(m.HTML), "#7a1f5c", "in the brand's colour")
		require.Contains(t, m.HTML, "https://cdn.siam.example/logo.png", "with the brand's logo")
	})
}
