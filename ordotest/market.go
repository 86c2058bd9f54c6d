package ordotest

import (
	"net/http/httptest"
	"testing"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// Market is a marketplace simulator beside a test's Ordo, with one shop per channel kind, each
// connected to Ordo through the GraphQL API (connectChannel, setChannelListings) and sending its
// webhooks to Ordo's endpoint for it.
type Market struct {
	Sim      *marketsim.Sim
	URL      string
	Shops    map[channels.Kind]*marketsim.Shop
	Channels map[channels.Kind]pulid.ID
}

// MarketOptions shape a Market.
type MarketOptions struct {
	// Kinds are the channels to connect (default: all six).
	Kinds []channels.Kind
	// Products are sold by every shop; their SKUs must exist in Ordo.
	Products []marketsim.Product
	// Currency of every shop (default USD).
	Currency string
	// Buffer, when set, is every channel's stock buffer, e.g. {"kind": "FIXED", "value": 2}.
	Buffer map[string]any
	// PullIntervalSeconds per kind; a kind not named does not pull (its webhooks bring its orders),
	// except Meta, which has no webhooks and pulls every second unless named.
	PullIntervalSeconds map[channels.Kind]int
	Sim                 marketsim.Options
}

// ConnectMarket starts a simulator for the rest of the test and connects its shops to s.
func (s *Server) ConnectMarket(t testing.TB, opt MarketOptions) *Market {
	t.Helper()
	if opt.Kinds == nil {
		opt.Kinds = marketsim.Kinds
	}
	if opt.Currency == "" {
		opt.Currency = "USD"
	}
	sim := marketsim.New("", opt.Sim)
	srv := httptest.NewServer(sim.Handler())
	sim.SetBase(srv.URL)
	t.Cleanup(func() {
		sim.Close()
		srv.Close()
	})
	m := &Market{Sim: sim, URL: srv.URL, Shops: map[channels.Kind]*marketsim.Shop{}, Channels: map[channels.Kind]pulid.ID{}}
	admin := s.Admin()
	for _, kind := range opt.Kinds {
		cfg, err := marketsim.DemoShop(kind, opt.Currency, opt.Products)
		if err != nil {
			t.Fatal(err)
		}
		sh, err := sim.AddShop(cfg)
		if err != nil {
			t.Fatal(err)
		}
		interval, named := opt.PullIntervalSeconds[kind]
		if !named && kind == channels.Facebook {
			interval = 1
		}
		a := sh.Account()
		creds := map[string]any{"appKey": a.AppKey, "appSecret": a.AppSecret, "accessToken": a.AccessToken, "webhookSecret": a.WebhookSecret}
		if len(a.Extra) > 0 {
			extra := map[string]any{}
			for k, v := range a.Extra {
				extra[k] = v
			}
			creds["extra"] = extra
		}
		in := map[string]any{"kind": string(kind), "name": string(kind) + " demo", "shopID": a.ShopID, "baseURL": a.BaseURL,
			"credentials": creds, "pullIntervalSeconds": interval}
		if opt.Buffer != nil {
			in["stockBuffer"] = opt.Buffer
		}
		var out struct {
			ConnectChannel struct {
				Channel struct {
					ID              pulid.ID
					WebhookEndpoint string
				}
			}
		}
		admin.MustDo(t, `mutation($in: ConnectChannelInput!) { connectChannel(input: $in) { channel { id webhookEndpoint } } }`,
			map[string]any{"in": in}, &out)
		ch := out.ConnectChannel.Channel
		sh.SetWebhookURL(ch.WebhookEndpoint)
		var listings []any
		for _, l := range cfg.Listings {
			attrs := map[string]any{}
			for k, v := range l.Attrs {
				attrs[k] = v
			}
			listings = append(listings, map[string]any{"externalID": l.ID, "sku": l.SKU, "attrs": attrs})
		}
		if len(listings) > 0 {
			admin.MustDo(t, `mutation($in: SetChannelListingsInput!) { setChannelListings(input: $in) { listings { id } } }`,
				map[string]any{"in": map[string]any{"channelID": ch.ID, "listings": listings}}, nil)
		}
		m.Shops[kind], m.Channels[kind] = sh, ch.ID
	}
	return m
}
