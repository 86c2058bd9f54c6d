package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/registry"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/predicate"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/ent/variant"
	"github.com/ordo-oms/ordo/events"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/vault"
)

// Connections holds what connecting channels needs: the vault credentials are sealed with, the
// public URL channels send webhooks to, and the HTTP client connectors call through. Connectors are
// opened once per channel and kept until the channel's row changes.
type Connections struct {
	Vault *vault.Vault
	// PublicURL is Ordo's address as channels reach it, e.g. https://oms.example.com.
	PublicURL string
	// HTTP calls the channels; nil means a client with a 30 s timeout that keeps up to 64 idle
	// connections per channel host (the default two would redial under load).
	HTTP *http.Client

	mu    sync.Mutex
	cache map[pulid.ID]openConnector
}

func (cs *Connections) client() *http.Client {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.HTTP == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns, t.MaxIdleConnsPerHost = 256, 64
		cs.HTTP = &http.Client{Timeout: 30 * time.Second, Transport: t}
	}
	return cs.HTTP
}

// openConnector is a connector and what it was opened from: it stays good while the channel's
// connection is the same, whatever else of the row changes (pulls write to it every interval).
type openConnector struct {
	from connection
	conn channels.Connector
}

// connection is what a connector is opened from.
type connection struct {
	kind                        channel.Kind
	shopID, baseURL, webhookURL string
	sealed                      string
}

func connectionOf(ch *ent.Channel) connection {
	return connection{kind: ch.Kind, shopID: ch.ShopID, baseURL: ch.BaseURL, webhookURL: ch.WebhookURL, sealed: string(ch.Credentials)}
}

// Buffer is how much of a SKU's available stock a channel is not offered.
type Buffer struct {
	Kind  channel.StockBufferKind
	Value int
}

// ConnectChannel is a sales channel to connect: its shop, its API, its secrets and its sync rules.
type ConnectChannel struct {
	Kind        channel.Kind
	Name        string
	ShopID      string
	BaseURL     string
	WebhookURL  string
	Credentials channels.Credentials
	Buffer      *Buffer
	// PullIntervalSeconds is how often orders are pulled besides webhooks (nil: the default, 0: never).
	PullIntervalSeconds *int
}

// ChannelSettings changes a connected channel; nil fields stay as they are.
type ChannelSettings struct {
	Name, BaseURL, WebhookURL *string
	Credentials               *channels.Credentials
	Buffer                    *Buffer
	PullIntervalSeconds       *int
	Active                    *bool
}

// ConnectChannel connects a sales channel: the credentials are checked against what its connector
// needs, sealed, and stored. A second connection of the same shop is a CONFLICT.
func (s *Service) ConnectChannel(ctx context.Context, in ConnectChannel) (*ent.Channel, error) {
	if err := s.checkConnections(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Name) == "" || strings.TrimSpace(in.ShopID) == "" {
		return nil, fault.New(fault.InvalidArgument, "a channel needs a name and the shop id on the channel")
	}
	if err := checkBuffer(in.Buffer); err != nil {
		return nil, err
	}
	if in.PullIntervalSeconds != nil && *in.PullIntervalSeconds < 0 {
		return nil, fault.New(fault.InvalidArgument, "pullIntervalSeconds must not be negative")
	}
	acct := channels.Account{Kind: channels.Kind(in.Kind), ShopID: in.ShopID, BaseURL: in.BaseURL, Credentials: in.Credentials}
	if err := checkAccount(acct); err != nil {
		return nil, err
	}
	var out *ent.Channel
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		c := tx.Channel.Create().SetKind(in.Kind).SetName(in.Name).SetShopID(in.ShopID).
			SetBaseURL(strings.TrimRight(in.BaseURL, "/")).SetWebhookURL(in.WebhookURL).SetNillablePullIntervalSeconds(in.PullIntervalSeconds)
		if in.Buffer != nil {
			c.SetStockBufferKind(in.Buffer.Kind).SetStockBuffer(in.Buffer.Value)
		}
		ch, err := c.Save(ctx)
		if database.IsUniqueViolation(err) {
			return fault.New(fault.Conflict, "a %s channel for shop %s already exists", in.Kind, in.ShopID)
		}
		if ch, err = save(ch, err); err != nil {
			return err
		}
		sealed, err := s.seal(ch.ID, in.Credentials)
		if err != nil {
			return err
		}
		out, err = tx.Channel.UpdateOne(ch).SetCredentials(sealed).Save(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.changed()
	return out.Unwrap(), nil
}

// UpdateChannelConnection changes a channel's connection, credentials, buffer, pull interval or
// whether it is enabled. Enabling a channel, or changing its buffer, pushes all its stock again.
func (s *Service) UpdateChannelConnection(ctx context.Context, id pulid.ID, in ChannelSettings) (*ent.Channel, error) {
	if err := id.Validate("chn"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "channelID: %v", err)
	}
	if err := checkBuffer(in.Buffer); err != nil {
		return nil, err
	}
	if in.PullIntervalSeconds != nil && *in.PullIntervalSeconds < 0 {
		return nil, fault.New(fault.InvalidArgument, "pullIntervalSeconds must not be negative")
	}
	var out *ent.Channel
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		ch, err := tx.Channel.Get(ctx, id)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "channel %s not found", id)
		}
		if err != nil {
			return err
		}
		upd := tx.Channel.UpdateOne(ch).SetNillableName(in.Name).SetNillableWebhookURL(in.WebhookURL).
			SetNillablePullIntervalSeconds(in.PullIntervalSeconds).SetNillableActive(in.Active)
		if in.BaseURL != nil {
			upd.SetBaseURL(strings.TrimRight(*in.BaseURL, "/"))
		}
		// A new buffer, an enabled or a newly connected channel: every listing is pushed again.
		resync := in.Buffer != nil || (in.Active != nil && *in.Active && !ch.Active) ||
			(in.Credentials != nil && len(ch.Credentials) == 0)
		if in.Buffer != nil {
			upd.SetStockBufferKind(in.Buffer.Kind).SetStockBuffer(in.Buffer.Value)
		}
		if in.Credentials != nil || in.BaseURL != nil {
			if err := s.checkConnections(); err != nil {
				return err
			}
			creds, err := s.credentials(ch)
			if err != nil && in.Credentials == nil {
				return err
			}
			if in.Credentials != nil {
				creds = *in.Credentials
			}
			base := ch.BaseURL
			if in.BaseURL != nil {
				base = *in.BaseURL
			}
			acct := channels.Account{Kind: channels.Kind(ch.Kind), ShopID: ch.ShopID, BaseURL: base, Credentials: creds}
			if err := checkAccount(acct); err != nil {
				return err
			}
			sealed, err := s.seal(ch.ID, creds)
			if err != nil {
				return err
			}
			upd.SetCredentials(sealed)
		}
		if out, err = save(upd.Save(ctx)); err != nil {
			return err
		}
		if resync {
			return markDirty(ctx, tx, id, channellisting.ChannelID(id))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.changed()
	return out.Unwrap(), nil
}

// Listing maps a channel's listing to an Ordo SKU.
type Listing struct {
	ExternalID string
	SKU        string
	SellerSKU  string
	Attrs      map[string]string
	// Active nil means true.
	Active *bool
}

// MaxListings bounds one SetChannelListings call.
const MaxListings = 1000

// SetChannelListings creates or updates a channel's listings (by the channel's id of each), so that
// its orders map to Ordo SKUs and its stock is kept in sync. Every listing set is pushed its stock
// again. Unknown SKUs and duplicate ids are INVALID_ARGUMENT, and nothing is changed.
func (s *Service) SetChannelListings(ctx context.Context, channelID pulid.ID, in []Listing) ([]*ent.ChannelListing, error) {
	if err := channelID.Validate("chn"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "channelID: %v", err)
	}
	if len(in) == 0 || len(in) > MaxListings {
		return nil, fault.New(fault.InvalidArgument, "set between 1 and %d listings at a time, got %d", MaxListings, len(in))
	}
	skus := make([]string, 0, len(in))
	seen := map[string]bool{}
	for i, l := range in {
		l.ExternalID = strings.TrimSpace(l.ExternalID)
		if l.ExternalID == "" || strings.TrimSpace(l.SKU) == "" {
			return nil, fault.New(fault.InvalidArgument, "listing %d needs the channel's id and an Ordo SKU", i+1)
		}
		if seen[l.ExternalID] {
			return nil, fault.New(fault.InvalidArgument, "listing %s is given twice", l.ExternalID)
		}
		seen[l.ExternalID] = true
		in[i].ExternalID = l.ExternalID
		skus = append(skus, l.SKU)
	}
	var out []*ent.ChannelListing
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		out = out[:0]
		if ok, err := tx.Channel.Query().Where(channel.ID(channelID)).Exist(ctx); err != nil {
			return err
		} else if !ok {
			return fault.New(fault.NotFound, "channel %s not found", channelID)
		}
		vs, err := tx.Variant.Query().Where(variant.SkuIn(skus...)).All(ctx)
		if err != nil {
			return err
		}
		bySKU := make(map[string]pulid.ID, len(vs))
		for _, v := range vs {
			bySKU[v.Sku] = v.ID
		}
		for _, l := range in {
			vid, ok := bySKU[l.SKU]
			if !ok {
				return fault.New(fault.InvalidArgument, "unknown SKU %s (listing %s)", l.SKU, l.ExternalID).With("skus", []string{l.SKU})
			}
			active := l.Active == nil || *l.Active
			id, err := tx.ChannelListing.Create().SetChannelID(channelID).SetExternalID(l.ExternalID).SetVariantID(vid).
				SetSellerSku(l.SellerSKU).SetAttrs(l.Attrs).SetActive(active).
				OnConflictColumns(channellisting.FieldChannelID, channellisting.FieldExternalID).
				Update(func(u *ent.ChannelListingUpsert) {
					u.UpdateVariantID().UpdateSellerSku().UpdateAttrs().UpdateActive().UpdateUpdatedAt()
				}).ID(ctx)
			if err != nil {
				return fmt.Errorf("save listing %s: %w", l.ExternalID, err)
			}
			lst, err := tx.ChannelListing.Get(ctx, id)
			if err != nil {
				return err
			}
			out = append(out, lst)
		}
		ids := make([]pulid.ID, len(out))
		for i, l := range out {
			ids[i] = l.ID
		}
		return markDirty(ctx, tx, channelID, channellisting.IDIn(ids...))
	})
	if err != nil {
		return nil, err
	}
	for i, l := range out {
		out[i] = l.Unwrap()
	}
	s.changed()
	return out, nil
}

// EventListingsChanged records that a channel's listings (or its buffer) changed: their stock is
// to be pushed again.
const EventListingsChanged = events.KindListingsChanged

// markDirty records a change for the listings of channelID that which selects, and the event that
// has the stock sync push them again.
func markDirty(ctx context.Context, tx *ent.Tx, channelID pulid.ID, which predicate.ChannelListing) error {
	if err := tx.ChannelListing.Update().Where(which, channellisting.DirtySinceIsNil()).SetDirtySince(time.Now().UTC()).Exec(ctx); err != nil {
		return fmt.Errorf("mark listings for a stock push: %w", err)
	}
	if err := tx.ChannelListing.Update().Where(which).AddDirtySeq(1).Exec(ctx); err != nil {
		return fmt.Errorf("mark listings for a stock push: %w", err)
	}
	return events.Append(ctx, tx, events.Event{Payload: events.ListingsChanged{}, ChannelID: string(channelID), Actor: auth.Actor(ctx)})
}

// Credentials opens a channel's sealed credentials.
func (s *Service) credentials(ch *ent.Channel) (channels.Credentials, error) {
	var c channels.Credentials
	if len(ch.Credentials) == 0 {
		return c, fault.New(fault.Conflict, "channel %s has no credentials: connect it with connectChannel", ch.ID)
	}
	if err := s.checkConnections(); err != nil {
		return c, err
	}
	plain, err := s.Connections.Vault.Open(ch.Credentials, string(ch.ID))
	if err != nil {
		return c, fmt.Errorf("channel %s: %w", ch.ID, err)
	}
	if err := json.Unmarshal(plain, &c); err != nil {
		return c, fmt.Errorf("channel %s: credentials: %w", ch.ID, err)
	}
	return c, nil
}

func (s *Service) seal(id pulid.ID, c channels.Credentials) ([]byte, error) {
	plain, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	return s.Connections.Vault.Seal(plain, string(id))
}

func (s *Service) checkConnections() error {
	if s.Connections == nil || s.Connections.Vault == nil {
		return fault.New(fault.Internal, "channel connections are not configured (no vault)")
	}
	return nil
}

// WebhookEndpoint is where a channel must send its webhooks: its own webhook URL, or
// {PublicURL}/webhooks/{kind}/{channel id}.
func (s *Service) WebhookEndpoint(ch *ent.Channel) string {
	if ch.WebhookURL != "" {
		return ch.WebhookURL
	}
	base := ""
	if s.Connections != nil {
		base = strings.TrimRight(s.Connections.PublicURL, "/")
	}
	return base + "/webhooks/" + strings.ToLower(string(ch.Kind)) + "/" + string(ch.ID)
}

// Connector returns the connector of a channel, opened with its credentials; it is kept while the
// channel's connection (kind, shop, URLs, sealed credentials) stays the same.
func (s *Service) Connector(ch *ent.Channel) (channels.Connector, error) {
	if err := s.checkConnections(); err != nil {
		return nil, err
	}
	cs := s.Connections
	cs.mu.Lock()
	if c, ok := cs.cache[ch.ID]; ok && c.from == connectionOf(ch) {
		cs.mu.Unlock()
		return c.conn, nil
	}
	cs.mu.Unlock()
	creds, err := s.credentials(ch)
	if err != nil {
		return nil, err
	}
	conn, err := registry.Open(channels.Account{
		Kind: channels.Kind(ch.Kind), ShopID: ch.ShopID, BaseURL: ch.BaseURL, WebhookURL: s.WebhookEndpoint(ch), Credentials: creds,
	}, cs.client())
	if err != nil {
		return nil, fault.New(fault.Conflict, "channel %s cannot be reached: %v", ch.ID, err)
	}
	cs.mu.Lock()
	if cs.cache == nil {
		cs.cache = map[pulid.ID]openConnector{}
	}
	cs.cache[ch.ID] = openConnector{from: connectionOf(ch), conn: conn}
	cs.mu.Unlock()
	return conn, nil
}

func checkBuffer(b *Buffer) error {
	if b == nil {
		return nil
	}
	if err := channel.StockBufferKindValidator(b.Kind); err != nil {
		return fault.New(fault.InvalidArgument, "unknown stock buffer kind %q", b.Kind)
	}
	if b.Value < 0 || (b.Kind == channel.StockBufferKindPERCENT && b.Value > 100) {
		return fault.New(fault.InvalidArgument, "stock buffer %d is out of range (units ≥ 0, percent 0–100)", b.Value)
	}
	return nil
}

// checkAccount asks the channel's connector whether the account has what it needs.
func checkAccount(a channels.Account) error {
	if a.Kind == channels.Kind(channel.KindSTOREFRONT) {
		return fault.New(fault.InvalidArgument, "a STOREFRONT channel has no connector: create it with createChannel")
	}
	if _, err := registry.Open(a, nil); err != nil {
		return fault.New(fault.InvalidArgument, "%v", err)
	}
	return nil
}

// Listings returns a channel's listings with the given external ids, or its first MaxListings.
func (s *Service) Listings(ctx context.Context, channelID pulid.ID, externalIDs []string) ([]*ent.ChannelListing, error) {
	if err := channelID.Validate("chn"); err != nil {
		return nil, fault.New(fault.InvalidArgument, "channelID: %v", err)
	}
	q := s.DB.Client.ChannelListing.Query().Where(channellisting.ChannelID(channelID))
	if len(externalIDs) > 0 {
		q.Where(channellisting.ExternalIDIn(externalIDs...))
	}
	return q.Order(channellisting.ByExternalID()).Limit(MaxListings).All(ctx)
}
