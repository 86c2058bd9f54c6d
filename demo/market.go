package demo

import (
	"context"
	"fmt"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/marketsim"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
)

// MarketOptions shape how a simulator is connected to an Ordo.
type MarketOptions struct {
	// Kinds are the channels to connect (default: all six).
	Kinds []channels.Kind
	// Products every shop sells; their SKUs must exist in Ordo.
	Products []marketsim.Product
	// Currency of every shop (default USD).
	Currency string
	// Buffer, when set, is every channel's stock buffer, e.g. {"kind": "FIXED", "value": 2}.
	Buffer map[string]any
	// PullIntervalSeconds per kind; a kind not named does not pull (its webhooks bring its orders),
	// except Meta, which has no webhooks and pulls every second unless named.
	PullIntervalSeconds map[channels.Kind]int
	// Addresses are where each shop's simulated buyers live (default: Bangkok).
	Addresses map[channels.Kind]channels.Address
}

// Connected is one simulated shop and the Ordo channel it is connected to.
type Connected struct {
	Shop      *marketsim.Shop
	ChannelID pulid.ID
}

// ConnectMarket adds one shop per kind to sim and connects each to Ordo through its GraphQL API, as
// an operator would: a channel of the same kind and shop id that Ordo already has (the demo seed's)
// gets the shop's base URL and credentials, else a new channel is connected; then the shop's
// listings are mapped to Ordo's SKUs, and the shop sends its webhooks to the channel's endpoint.
func ConnectMarket(ctx context.Context, api API, sim *marketsim.Sim, opt MarketOptions) (map[channels.Kind]Connected, error) {
	if opt.Kinds == nil {
		opt.Kinds = marketsim.Kinds
	}
	if opt.Currency == "" {
		opt.Currency = "USD"
	}
	var existing struct {
		Channels struct {
			Edges []struct {
				Node struct {
					ID     pulid.ID
					Kind   string
					ShopID string
				}
			}
		}
	}
	if err := api.Query(ctx, `{ channels(first: 100) { edges { node { id kind shopID } } } }`, nil, &existing); err != nil {
		return nil, err
	}
	out := map[channels.Kind]Connected{}
	for _, kind := range opt.Kinds {
		cfg, err := marketsim.DemoShop(kind, opt.Currency, opt.Products)
		if err != nil {
			return nil, err
		}
		if a, ok := opt.Addresses[kind]; ok {
			cfg.Address = a
		}
		sh, err := sim.AddShop(cfg)
		if err != nil {
			return nil, err
		}
		interval, named := opt.PullIntervalSeconds[kind]
		if !named && kind == channels.Facebook {
			interval = 1
		}
		a := sh.Account()
		creds := map[string]any{"appKey": a.AppKey, "appSecret": a.AppSecret, "accessToken": a.AccessToken, "refreshToken": a.RefreshToken, "webhookSecret": a.WebhookSecret}
		if len(a.Extra) > 0 {
			extra := map[string]any{}
			for k, v := range a.Extra {
				extra[k] = v
			}
			creds["extra"] = extra
		}
		in := map[string]any{"baseURL": a.BaseURL, "authURL": a.AuthURL, "credentials": creds, "pullIntervalSeconds": interval}
		if exp := sh.TokenExpiry(); !exp.IsZero() {
			in["tokenExpiresAt"] = exp
		}
		if opt.Buffer != nil {
			in["stockBuffer"] = opt.Buffer
		}
		var id pulid.ID
		for _, e := range existing.Channels.Edges {
			if e.Node.Kind == string(kind) && e.Node.ShopID == a.ShopID {
				id = e.Node.ID
			}
		}
		var res struct{ UpdateChannelConnection, ConnectChannel struct{ Channel endpoint } }
		if id != "" {
			in["channelID"] = id
			err = api.Query(ctx, `mutation($in: UpdateChannelConnectionInput!) { updateChannelConnection(input: $in) { channel { id webhookEndpoint } } }`,
				map[string]any{"in": in}, &res)
		} else {
			in["kind"], in["name"], in["shopID"] = string(kind), fmt.Sprintf("%s (simulated)", kind), a.ShopID
			err = api.Query(ctx, `mutation($in: ConnectChannelInput!) { connectChannel(input: $in) { channel { id webhookEndpoint } } }`,
				map[string]any{"in": in}, &res)
		}
		ch := res.ConnectChannel.Channel
		if id != "" {
			ch = res.UpdateChannelConnection.Channel
		}
		if err != nil {
			return nil, fmt.Errorf("connect %s: %w", kind, err)
		}
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
			err := api.Query(ctx, `mutation($in: SetChannelListingsInput!) { setChannelListings(input: $in) { listings { id } } }`,
				map[string]any{"in": map[string]any{"channelID": ch.ID, "listings": listings}}, nil)
			if err != nil {
				return nil, fmt.Errorf("listings of %s: %w", kind, err)
			}
		}
		out[kind] = Connected{Shop: sh, ChannelID: ch.ID}
	}
	return out, nil
}

// endpoint is a connected channel as the API answers it.
type endpoint struct {
	ID              pulid.ID
	WebhookEndpoint string
}
