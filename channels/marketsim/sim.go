package marketsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// Status is the simulator's channel-neutral order state; each face renders it in its channel's
// vocabulary (Shopee READY_TO_SHIP, TikTok AWAITING_SHIPMENT, Square OPEN…).
type Status string

// The states a simulated order moves through.
const (
	Unpaid    Status = "UNPAID"
	ToShip    Status = "TO_SHIP"
	Shipped   Status = "SHIPPED"
	Delivered Status = "DELIVERED"
	Completed Status = "COMPLETED"
	Cancelled Status = "CANCELLED"
)

// Listing is one thing a shop sells: the channel's id for it, the seller SKU, and the channel's
// other keys (Shopify's inventory item, Shopee's item and model ids, TikTok's product id…).
type Listing struct {
	ID    string
	SKU   string
	Name  string
	Price int64 // minor units of the shop's currency
	Attrs map[string]string

	// What the channel's catalogue API shows (catalogs.go). SellerSKU is the SKU the seller gave
	// the listing on the channel when it is not SKU (Ordo's), and NoSellerSKU says it has none;
	// orders carry the same (ChannelSKU). Barcode is its GTIN/EAN/UPC, Options its option values
	// in the product's order. Listings are grouped into the channel's products by Attrs
	// "product_id", else "item_id", else "item_group_id"; Name is the product's title. Components
	// are a bundle's parts ("SKU*2") as a test planted them: no channel's catalogue says so.
	// Inactive is a listing the seller unlisted.
	SellerSKU   string
	NoSellerSKU bool
	Barcode     string
	Options     []Option
	Components  []string
	Inactive    bool
}

// Option is one option value of a listing (Color → Red).
type Option struct{ Name, Value string }

// ChannelSKU is the SKU the channel shows for the listing: SellerSKU, else SKU; "" with NoSellerSKU.
func (l Listing) ChannelSKU() string {
	switch {
	case l.NoSellerSKU:
		return ""
	case l.SellerSKU != "":
		return l.SellerSKU
	}
	return l.SKU
}

// Line is a quantity of one listing on an order.
type Line struct {
	// ID is the channel's line id; per-unit channels derive unit ids from it.
	ID        string
	Listing   Listing
	Quantity  int64
	UnitPrice int64
	Discount  int64 // the whole line's
	// Location is the channel's id of the location the line is assigned to (Shopify's fulfillment
	// orders group lines by it).
	Location string
	// Package is the index of the marketplace package the line is in (TikTok Shop, Shopee).
	Package int
	// Removed counts units an order edit took off the line (Shopify's current_quantity is
	// Quantity − Removed).
	Removed int64
}

// Buyer is who placed a simulated order.
type Buyer struct{ ID, Name, Email, Phone string }

// Order is a simulated order in channel-neutral form.
type Order struct {
	ID, Number string
	Status     Status
	Currency   string
	Lines      []Line
	Shipping   int64
	COD        bool
	Buyer      Buyer
	Address    channels.Address
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ShipBy     time.Time
	// Carrier and Tracking are set once shipped, by Ordo's confirmation or by the channel.
	Carrier, Tracking string
	CancelReason      string
	// Acknowledged is set once Ordo accepted the order (Meta).
	Acknowledged bool
	// Version counts changes (Square's optimistic version).
	Version int
	// CancelledUnits are units of a per-unit channel (Lazada, TikTok Shop) cancelled on their own
	// while the rest of the order goes on (CancelUnits, or Ordo's partial cancellation).
	CancelledUnits []string
	// Edit is the last order edit (EditOrder), whose webhook is Shopify's orders/edited.
	Edit *Edit
}

// Subtotal is the lines after their discounts.
func (o *Order) Subtotal() int64 {
	var s int64
	for _, l := range o.Lines {
		s += l.UnitPrice*l.Quantity - l.Discount
	}
	return s
}

// Total is what the buyer pays.
func (o *Order) Total() int64 { return o.Subtotal() + o.Shipping }

// Push is one stock update a shop received.
type Push struct {
	At        time.Time
	ListingID string
	Quantity  int64
}

// Confirmation is a shipment or cancellation Ordo sent a shop.
type Confirmation struct {
	At                time.Time
	OrderID           string
	Shipped           bool // false: a cancellation
	Carrier, Tracking string
	Reason            string
	// Units are the units a partial cancellation named; empty for a whole order.
	Units []string
}

// Delivery is one webhook a shop sent, kept so that tests can replay it byte for byte.
type Delivery struct {
	URL    string
	Header http.Header
	Body   []byte
	// Status is the HTTP status of the last attempt; 0 when it could not be sent.
	Status   int
	Attempts int
	// ReturnID is the channel's id of the return the webhook is about (Lazada reverse_order_id,
	// Shopify Return gid), for returns' webhooks; empty for orders'.
	ReturnID string
}

// ShopConfig describes a simulated shop.
type ShopConfig struct {
	Kind     channels.Kind
	ShopID   string
	Currency string
	// Credentials are the shop's secrets, as Ordo must be configured with them.
	Credentials channels.Credentials
	// WebhookURL is where the shop sends webhooks (Ordo's /webhooks/{kind}/{channelID}); empty:
	// none are sent.
	WebhookURL string
	Listings   []Listing
	// Address is where the shop's buyers live unless an order says otherwise (default: Bangkok).
	Address channels.Address
}

// Options tune a simulator.
type Options struct {
	// Client sends webhooks; nil means a client with a 10 s timeout that keeps its connections.
	Client *http.Client
	// Clock is the simulator's time; nil means the wall clock.
	Clock func() time.Time
	// WebhookAttempts caps the tries of one webhook (default 5); failed tries are retried after
	// 50 ms, doubling.
	WebhookAttempts int
	// PageSize is how many orders a list call returns at most, whatever the client asks (0: the
	// channel's own limit), so that tests exercise paging.
	PageSize int
	// TokenLifetime is how long the access tokens of Shopee, Lazada and TikTok Shop last (their
	// refresh endpoints issue new ones and rotate the refresh token); 0: they never expire.
	TokenLifetime time.Duration
	// CatalogPageSize caps a page of the catalogue APIs (products, items, catalog objects),
	// whatever the client asks (0: 50), so that a large catalogue takes many pages.
	CatalogPageSize int
}

// Sim is a running simulator. Create one with New, mount Handler on a server, add shops.
type Sim struct {
	opt   Options
	mu    sync.Mutex
	shops map[string]*Shop // by kind/shopID
	base  string
	wg    sync.WaitGroup
	ctx   context.Context
	stop  context.CancelFunc
}

// New returns a simulator whose shops are reached under base (the server's URL, e.g.
// http://127.0.0.1:8090), each at base/{kind}/{shopID}.
func New(base string, opt Options) *Sim {
	if opt.Client == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64 // one Ordo takes every webhook: keep the connections
		opt.Client = &http.Client{Timeout: 10 * time.Second, Transport: t}
	}
	if opt.Clock == nil {
		opt.Clock = func() time.Time { return time.Now().UTC() }
	}
	if opt.WebhookAttempts <= 0 {
		opt.WebhookAttempts = 5
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Sim{opt: opt, shops: map[string]*Shop{}, base: strings.TrimRight(base, "/"), ctx: ctx, stop: stop}
}

// Close stops sending webhooks and waits for the ones in flight.
func (s *Sim) Close() {
	s.stop()
	s.wg.Wait()
}

// SetBase changes the URL shops are reached under (for a server started after New).
func (s *Sim) SetBase(base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.base = strings.TrimRight(base, "/")
}

func (s *Sim) now() time.Time { return s.opt.Clock().UTC() }

// AddShop adds a shop and returns it.
func (s *Sim) AddShop(cfg ShopConfig) (*Shop, error) {
	f, ok := faces[cfg.Kind]
	if !ok {
		return nil, fmt.Errorf("marketsim: no simulator for channel kind %q", cfg.Kind)
	}
	if cfg.ShopID == "" {
		return nil, fmt.Errorf("marketsim: a %s shop needs a shop id", cfg.Kind)
	}
	if cfg.Currency == "" {
		cfg.Currency = "USD"
	}
	sh := &Shop{sim: s, face: f, cfg: cfg, orders: map[string]*Order{}, stock: map[string]int64{}, listings: map[string]Listing{}}
	for _, l := range cfg.Listings {
		sh.listings[l.ID] = l
		sh.listingOrder = append(sh.listingOrder, l.ID)
	}
	sh.initTokens()
	sh.mux = http.NewServeMux()
	f.routes(sh.mux, sh)
	s.mu.Lock()
	defer s.mu.Unlock()
	key := shopKey(cfg.Kind, cfg.ShopID)
	if _, dup := s.shops[key]; dup {
		return nil, fmt.Errorf("marketsim: shop %s already exists", key)
	}
	s.shops[key] = sh
	return sh, nil
}

// Shops returns every shop, in the order of their kinds and ids.
func (s *Sim) Shops() []*Shop {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Shop, 0, len(s.shops))
	for _, sh := range s.shops {
		out = append(out, sh)
	}
	sort.Slice(out, func(i, j int) bool {
		return shopKey(out[i].cfg.Kind, out[i].cfg.ShopID) < shopKey(out[j].cfg.Kind, out[j].cfg.ShopID)
	})
	return out
}

func shopKey(k channels.Kind, shopID string) string { return strings.ToLower(string(k)) + "/" + shopID }

// Handler serves every shop's API under /{kind}/{shopID}/.
func (s *Sim) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 3)
		if len(parts) < 2 {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		sh := s.shops[parts[0]+"/"+parts[1]]
		s.mu.Unlock()
		if sh == nil {
			http.Error(w, "marketsim: no such shop", http.StatusNotFound)
			return
		}
		if sh.isDown() {
			http.Error(w, "marketsim: the channel is down", http.StatusServiceUnavailable)
			return
		}
		http.StripPrefix("/"+parts[0]+"/"+parts[1], sh.mux).ServeHTTP(w, r)
	})
}

// Shop is one simulated shop on one channel.
type Shop struct {
	sim  *Sim
	face face
	cfg  ShopConfig
	mux  *http.ServeMux

	mu            sync.Mutex
	orders        map[string]*Order
	orderSeq      []string // ids in creation order
	listings      map[string]Listing
	listingOrder  []string
	catalogIdx    *catalogIndex    // the listings grouped into products, built once (catalogs.go)
	stock         map[string]int64 // sellable per listing, as last pushed minus sold since
	pushed        map[string]bool
	pushes        []Push
	confirmations []Confirmation
	deliveries    []*Delivery
	seq           int
	deliverySeq   int
	refused       int // requests refused for their signature
	held          bool
	down          bool
	tok           tokens
	raws          map[string]json.RawMessage    // fixtures standing in for orders' details (raw.go)
	fulfillments  map[string][]Fulfillment      // by order id (logistics.go)
	packages      map[string][]*Package         // by order id (logistics.go)
	fulfilSeq     int                           // numbers fulfillments
	fulfilEvents  map[string][]FulfillmentEvent // by order id (delivery.go)
	rma           rmaBook                       // returns (rma.go)
	lazadaReturns []*LazadaReturn               // in opening order (lazada_returns.go)
	shopifyRets   []*ShopifyReturn              // in opening order (shopify_returns.go)
}

// SetDown makes the shop's API answer every call with 503 (a channel outage) until SetDown(false).
func (sh *Shop) SetDown(on bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.down = on
}

func (sh *Shop) isDown() bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.down
}

// Hold keeps the webhooks the shop signs from now on instead of sending them (they are still
// recorded, for Redeliver), as a channel whose deliveries are lost or delayed would; Hold(false)
// sends the next ones again.
func (sh *Shop) Hold(on bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.held = on
}

// nextDeliverySeq numbers the shop's webhook deliveries, for channels that send a delivery id.
func (sh *Shop) nextDeliverySeq() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.deliverySeq++
	return sh.deliverySeq
}

// Kind is the shop's channel kind.
func (sh *Shop) Kind() channels.Kind { return sh.cfg.Kind }

// Config returns the shop's configuration.
func (sh *Shop) Config() ShopConfig { return sh.cfg }

// Account is how Ordo must be configured to reach the shop.
func (sh *Shop) Account() channels.Account {
	sh.sim.mu.Lock()
	base := sh.sim.base
	sh.sim.mu.Unlock()
	a := channels.Account{
		Kind:        sh.cfg.Kind,
		ShopID:      sh.cfg.ShopID,
		BaseURL:     base + "/" + shopKey(sh.cfg.Kind, sh.cfg.ShopID) + sh.face.apiRoot(),
		WebhookURL:  sh.cfg.WebhookURL,
		Credentials: sh.cfg.Credentials,
	}
	if sh.cfg.Kind == channels.Lazada || sh.cfg.Kind == channels.TikTokShop {
		a.AuthURL = a.BaseURL // their auth hosts are the shop's own here
	}
	return a
}

// SetWebhookURL changes where the shop sends webhooks.
func (sh *Shop) SetWebhookURL(u string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.cfg.WebhookURL = u
}

// nextID returns a new id in the shop's sequence, for orders and lines.
func (sh *Shop) nextID() int {
	sh.seq++
	return sh.seq
}

// OrderSpec is an order to create; zero fields take defaults.
type OrderSpec struct {
	Lines    []SpecLine
	Status   Status // default ToShip (paid)
	COD      bool
	Shipping int64
	Buyer    Buyer
	Address  channels.Address
	ShipBy   time.Time
	// Packages splits a marketplace order (TikTok Shop, Shopee) into that many packages, the lines
	// dealt round-robin; 0 or 1: one package.
	Packages int
}

// SpecLine asks for a quantity of a listing.
type SpecLine struct {
	ListingID string
	Quantity  int64
	Discount  int64
	// Location is the location the line is assigned to (Shopify); empty: the shop's
	// Extra["location_id"], else "1".
	Location string
}

// CreateOrder creates an order, takes its units from the shop's sellable stock and sends the
// channel's webhook for it.
func (sh *Shop) CreateOrder(spec OrderSpec) (*Order, error) {
	sh.mu.Lock()
	o, err := sh.create(spec)
	if err != nil {
		sh.mu.Unlock()
		return nil, err
	}
	snap := o.clone()
	sh.mu.Unlock()
	sh.notify(snap, true)
	return snap, nil
}

func (sh *Shop) create(spec OrderSpec) (*Order, error) {
	if len(spec.Lines) == 0 {
		return nil, fmt.Errorf("marketsim: an order needs lines")
	}
	now := sh.sim.now()
	n := sh.nextID()
	o := &Order{
		ID:        sh.face.orderID(sh, n, now),
		Number:    fmt.Sprintf("%d", 1000+n),
		Status:    spec.Status,
		Currency:  sh.cfg.Currency,
		Shipping:  spec.Shipping,
		COD:       spec.COD,
		Buyer:     spec.Buyer,
		Address:   spec.Address,
		CreatedAt: now,
		UpdatedAt: now,
		ShipBy:    spec.ShipBy,
		Version:   1,
	}
	if o.Status == "" {
		o.Status = ToShip
	}
	if o.ShipBy.IsZero() {
		o.ShipBy = now.Add(48 * time.Hour).Truncate(time.Second)
	}
	if o.Buyer.Name == "" {
		o.Buyer = Buyer{ID: fmt.Sprintf("b%d", n), Name: "Sim Buyer " + fmt.Sprint(n), Email: fmt.Sprintf("buyer%d@example.com", n), Phone: "+6620000000"}
	}
	if o.Address.CountryCode == "" {
		o.Address = sh.cfg.Address
		if o.Address.CountryCode == "" {
			o.Address = channels.Address{Line1: "1 Sukhumvit Road", City: "Bangkok", Region: "Bangkok", PostalCode: "10110", CountryCode: "TH"}
		}
		o.Address.Name, o.Address.Phone = o.Buyer.Name, o.Buyer.Phone
	}
	for i, sl := range spec.Lines {
		l, ok := sh.listings[sl.ListingID]
		if !ok {
			return nil, fmt.Errorf("marketsim: shop %s has no listing %q", sh.cfg.ShopID, sl.ListingID)
		}
		if sl.Quantity <= 0 {
			return nil, fmt.Errorf("marketsim: line %d: quantity must be positive", i+1)
		}
		loc := orDefault(sl.Location, orDefault(sh.cfg.Credentials.Extra["location_id"], "1"))
		pkg := 0
		if spec.Packages > 1 {
			pkg = i % spec.Packages
		}
		o.Lines = append(o.Lines, Line{ID: fmt.Sprintf("%d%02d", 5000+n, i+1), Listing: l, Quantity: sl.Quantity, UnitPrice: l.Price, Discount: sl.Discount, Location: loc, Package: pkg})
		if sh.pushed[l.ID] {
			sh.stock[l.ID] -= sl.Quantity
		}
	}
	sh.orders[o.ID] = o
	sh.orderSeq = append(sh.orderSeq, o.ID)
	return o, nil
}

// SetStatus moves an order as the channel would (a buyer cancels, the carrier delivers) and sends
// the webhook.
func (sh *Shop) SetStatus(orderID string, st Status, reason string) error {
	sh.mu.Lock()
	o := sh.orders[orderID]
	if o == nil {
		sh.mu.Unlock()
		return fmt.Errorf("marketsim: no order %s", orderID)
	}
	sh.touch(o, st)
	if st == Cancelled {
		o.CancelReason = reason
	}
	snap := o.clone()
	sh.mu.Unlock()
	sh.notify(snap, false)
	return nil
}

// touch moves o to st and stamps the change. The caller holds sh.mu.
func (sh *Shop) touch(o *Order, st Status) {
	o.Status = st
	o.UpdatedAt = sh.sim.now()
	if !o.UpdatedAt.After(o.CreatedAt) {
		o.UpdatedAt = o.CreatedAt.Add(time.Second) // channels' clocks tick in seconds
	}
	o.Version++
}

// Order returns a copy of an order.
func (sh *Shop) Order(id string) (*Order, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	o := sh.orders[id]
	if o == nil {
		return nil, false
	}
	return o.clone(), true
}

// Orders returns copies of every order, oldest first.
func (sh *Shop) Orders() []*Order {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]*Order, len(sh.orderSeq))
	for i, id := range sh.orderSeq {
		out[i] = sh.orders[id].clone()
	}
	return out
}

// Pushes returns the stock updates received, oldest first.
func (sh *Shop) Pushes() []Push {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return append([]Push(nil), sh.pushes...)
}

// Confirmations returns the shipments and cancellations received, oldest first.
func (sh *Shop) Confirmations() []Confirmation {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return append([]Confirmation(nil), sh.confirmations...)
}

// Deliveries returns the webhooks sent, oldest first.
func (sh *Shop) Deliveries() []Delivery {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]Delivery, len(sh.deliveries))
	for i, d := range sh.deliveries {
		out[i] = *d
	}
	return out
}

// ReturnPushes returns the webhooks sent about a return (Delivery.ReturnID), oldest first; Redeliver
// replays one.
func (sh *Shop) ReturnPushes(returnID string) []Delivery {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var out []Delivery
	for _, d := range sh.deliveries {
		if d.ReturnID == returnID {
			out = append(out, *d)
		}
	}
	return out
}

// Refused counts the API calls the shop refused for a missing or wrong signature or token.
func (sh *Shop) Refused() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.refused
}

// recordPush stores a stock update from Ordo. The caller holds sh.mu.
func (sh *Shop) recordPush(listingID string, q int64) {
	if sh.pushed == nil {
		sh.pushed = map[string]bool{}
	}
	sh.pushed[listingID] = true
	sh.stock[listingID] = q
	sh.pushes = append(sh.pushes, Push{At: sh.sim.now(), ListingID: listingID, Quantity: q})
}

// confirm applies a shipment or cancellation from Ordo to an order and sends the resulting
// webhook. It reports false when the order is unknown or cannot take it.
func (sh *Shop) confirm(orderID string, c Confirmation) (*Order, error) {
	sh.mu.Lock()
	o := sh.orders[orderID]
	switch {
	case o == nil:
		sh.mu.Unlock()
		return nil, fmt.Errorf("no order %s", orderID)
	case c.Shipped && o.Status != ToShip:
		sh.mu.Unlock()
		return nil, fmt.Errorf("order %s is %s, not to ship", orderID, o.Status)
	case !c.Shipped && o.Status != ToShip && o.Status != Unpaid:
		sh.mu.Unlock()
		return nil, fmt.Errorf("order %s is %s and cannot be cancelled", orderID, o.Status)
	}
	c.At, c.OrderID = sh.sim.now(), orderID
	sh.confirmations = append(sh.confirmations, c)
	if c.Shipped {
		o.Carrier, o.Tracking = c.Carrier, c.Tracking
		sh.touch(o, Shipped)
	} else {
		o.CancelReason = c.Reason
		sh.touch(o, Cancelled)
	}
	snap := o.clone()
	sh.mu.Unlock()
	sh.notify(snap, false)
	return snap, nil
}

// refuse counts a refused call and answers it.
func (sh *Shop) refuse(w http.ResponseWriter, status int, body string) {
	sh.mu.Lock()
	sh.refused++
	sh.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// notify sends the channel's webhook for a change of o, if the channel sends one and the shop has
// somewhere to send it.
func (sh *Shop) notify(o *Order, created bool) {
	sh.mu.Lock()
	url := sh.cfg.WebhookURL
	sh.mu.Unlock()
	if url == "" {
		return
	}
	h, body, ok := sh.face.webhook(sh, o, created)
	if !ok {
		return
	}
	sh.deliver(&Delivery{URL: url, Header: h, Body: body})
}

// deliver records a webhook and sends it, unless the shop holds its webhooks.
func (sh *Shop) deliver(d *Delivery) {
	sh.mu.Lock()
	sh.deliveries = append(sh.deliveries, d)
	held := sh.held
	sh.mu.Unlock()
	if held {
		return
	}
	sh.sim.wg.Add(1)
	go func() {
		defer sh.sim.wg.Done()
		sh.send(d)
	}()
}

// send delivers a webhook, retrying failures as the channels do (sooner, for tests).
func (sh *Shop) send(d *Delivery) {
	wait := 50 * time.Millisecond
	for attempt := 1; attempt <= sh.sim.opt.WebhookAttempts; attempt++ {
		status := sh.post(d)
		sh.mu.Lock()
		d.Status, d.Attempts = status, attempt
		sh.mu.Unlock()
		if status >= 200 && status < 300 || status == http.StatusUnauthorized {
			return // 401: the receiver refused the signature; channels do not retry those
		}
		select {
		case <-sh.sim.ctx.Done():
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// Redeliver sends a recorded webhook again, exactly as it was, and returns the answer's status.
func (sh *Shop) Redeliver(d Delivery) int { return sh.post(&d) }

func (sh *Shop) post(d *Delivery) int {
	req, err := http.NewRequestWithContext(sh.sim.ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return 0
	}
	for k, vs := range d.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	resp, err := sh.sim.opt.Client.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (o *Order) clone() *Order {
	c := *o
	c.Lines = append([]Line(nil), o.Lines...)
	c.CancelledUnits = append([]string(nil), o.CancelledUnits...)
	return &c
}

// listPage returns the orders matching keep, oldest update first, from offset on, at most limit
// (capped by Options.PageSize), and the offset of the next page (-1 when none). The caller holds
// sh.mu.
func (sh *Shop) listPage(keep func(*Order) bool, offset, limit int) ([]*Order, int) {
	var all []*Order
	for _, id := range sh.orderSeq {
		if o := sh.orders[id]; keep(o) {
			all = append(all, o)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].UpdatedAt.Before(all[j].UpdatedAt) })
	if ps := sh.sim.opt.PageSize; ps > 0 && (limit <= 0 || limit > ps) {
		limit = ps
	}
	if limit <= 0 {
		limit = 100
	}
	if offset < 0 || offset >= len(all) {
		return nil, -1
	}
	end := min(offset+limit, len(all))
	next := end
	if end >= len(all) {
		next = -1
	}
	out := make([]*Order, 0, end-offset)
	for _, o := range all[offset:end] {
		out = append(out, o.clone())
	}
	return out, next
}

// face is one channel's side of the simulator.
type face interface {
	// apiRoot is the path under the shop's base that the channel's API paths hang from ("/rest"
	// for Lazada), so that Account.BaseURL ends where the channel's own base URL would.
	apiRoot() string
	// orderID makes the channel-style id of the n-th order of a shop.
	orderID(sh *Shop, n int, now time.Time) string
	// routes registers the channel's API calls.
	routes(mux *http.ServeMux, sh *Shop)
	// webhook renders what the channel sends when o was created or changed; ok is false when the
	// channel sends nothing (Meta is pull-only).
	webhook(sh *Shop, o *Order, created bool) (h http.Header, body []byte, ok bool)
}

// faces holds the face of every simulated channel kind.
var faces = map[channels.Kind]face{
	channels.Shopify:    shopifyFace{},
	channels.Shopee:     shopeeFace{},
	channels.Lazada:     lazadaFace{},
	channels.TikTokShop: tiktokShopFace{},
	channels.Facebook:   facebookFace{},
	channels.POS:        posFace{},
}
