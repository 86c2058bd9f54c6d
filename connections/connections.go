// Package connections holds Ordo's connections to sales channels: each channel's credentials,
// sealed at rest with the vault, the connectors opened from them (kept while they stay the same),
// the webhook URL each channel must call, and the OAuth tokens of channels whose access tokens
// expire, refreshed ahead of expiry by a durable job and again when a channel refuses one.
package connections

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/registry"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/channel"
	"github.com/ordo-oms/ordo/ent/channellisting"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/jobs"
	"github.com/ordo-oms/ordo/vault"
)

// Service connects channels and opens their connectors. Connectors are opened once per channel
// and kept until the channel's connection changes.
type Service struct {
	DB *database.DB
	// Vault seals the credentials; nil: channels cannot be connected.
	Vault *vault.Vault
	// PublicURL is Ordo's address as channels reach it, e.g. https://oms.example.com.
	PublicURL string
	// HTTP calls the channels; nil means a client with a 30 s timeout that keeps up to 64 idle
	// connections per channel host (the default two would redial under load).
	HTTP *http.Client
	// Changed is called after a channel's connection changes (routing and the stock sync look).
	Changed func()
	// Queue runs the token refresh jobs; nil: tokens are never refreshed.
	Queue *jobs.Queue
	Log   *slog.Logger

	mu    sync.Mutex
	cache map[pulid.ID]openConnector
}

func (s *Service) client() *http.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.HTTP == nil {
		s.HTTP = NewHTTPClient()
	}
	return s.HTTP
}

// NewHTTPClient is the client channels are called with when the Service is given none: a 30 s
// timeout, and idle connections kept for a peak's many calls to the same hosts.
func NewHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 256, 64
	return &http.Client{Timeout: 30 * time.Second, Transport: t}
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

func (s *Service) changed() {
	if s.Changed != nil {
		s.Changed()
	}
}

// openConnector is a connector and what it was opened from: it stays good while the channel's
// connection is the same, whatever else of the row changes (pulls write to it every interval).
type openConnector struct {
	from connection
	conn channels.Connector
}

// connection is what a connector is opened from.
type connection struct {
	kind                                 channel.Kind
	shopID, baseURL, authURL, webhookURL string
	sealed                               string
	version                              int64
}

func connectionOf(ch *ent.Channel) connection {
	return connection{kind: ch.Kind, shopID: ch.ShopID, baseURL: ch.BaseURL, authURL: ch.AuthURL, webhookURL: ch.WebhookURL,
		sealed: string(ch.Credentials), version: ch.CredentialsVersion}
}

// Buffer is how much of a SKU's available stock a channel is not offered.
type Buffer struct {
	Kind  channel.StockBufferKind
	Value int
}

// Expiry is when a channel's tokens expire, as the channel said when it issued them; nil: not said.
type Expiry struct {
	Access, Refresh *time.Time
}

// Connect is a sales channel to connect: its shop, its API, its secrets and its sync rules.
type Connect struct {
	Kind        channel.Kind
	Name        string
	ShopID      string
	BaseURL     string
	AuthURL     string
	WebhookURL  string
	Credentials channels.Credentials
	Expiry      Expiry
	Buffer      *Buffer
	// PullIntervalSeconds is how often orders are pulled besides webhooks (nil: the default, 0: never).
	PullIntervalSeconds *int
}

// Settings changes a connected channel; nil fields stay as they are.
type Settings struct {
	Name, BaseURL, AuthURL, WebhookURL *string
	// Credentials replace every credential; Expiry goes with them.
	Credentials         *channels.Credentials
	Expiry              Expiry
	Buffer              *Buffer
	PullIntervalSeconds *int
	Active              *bool
}

// ConnectChannel connects a sales channel: the credentials are checked against what its connector
// needs, sealed, and stored, and the refresh of its tokens is scheduled. A second connection of the
// same shop is a CONFLICT.
func (s *Service) ConnectChannel(ctx context.Context, in Connect) (*ent.Channel, error) {
	if err := s.check(); err != nil {
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
	acct := channels.Account{Kind: channels.Kind(in.Kind), ShopID: in.ShopID, BaseURL: in.BaseURL, AuthURL: in.AuthURL, Credentials: in.Credentials}
	if err := checkAccount(acct); err != nil {
		return nil, err
	}
	var out *ent.Channel
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		c := tx.Channel.Create().SetKind(in.Kind).SetName(in.Name).SetShopID(in.ShopID).
			SetBaseURL(strings.TrimRight(in.BaseURL, "/")).SetAuthURL(strings.TrimRight(in.AuthURL, "/")).
			SetWebhookURL(in.WebhookURL).SetNillablePullIntervalSeconds(in.PullIntervalSeconds)
		if in.Buffer != nil {
			c.SetStockBufferKind(in.Buffer.Kind).SetStockBuffer(in.Buffer.Value)
		}
		ch, err := c.Save(ctx)
		if database.IsUniqueViolation(err) {
			return fault.New(fault.Conflict, "a %s channel for shop %s already exists", in.Kind, in.ShopID)
		}
		if ch, err = saved(ch, err); err != nil {
			return err
		}
		out, err = s.storeCredentials(ctx, tx, ch, in.Credentials, in.Expiry)
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
// New credentials clear a failed token refresh.
func (s *Service) UpdateChannelConnection(ctx context.Context, id pulid.ID, in Settings) (*ent.Channel, error) {
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
		if in.AuthURL != nil {
			upd.SetAuthURL(strings.TrimRight(*in.AuthURL, "/"))
		}
		// A new buffer, an enabled or a newly connected channel: every listing is pushed again.
		resync := in.Buffer != nil || (in.Active != nil && *in.Active && !ch.Active) ||
			(in.Credentials != nil && len(ch.Credentials) == 0)
		if in.Buffer != nil {
			upd.SetStockBufferKind(in.Buffer.Kind).SetStockBuffer(in.Buffer.Value)
		}
		reconnect := in.Credentials != nil || in.BaseURL != nil || in.AuthURL != nil
		var creds channels.Credentials
		if reconnect {
			if err := s.check(); err != nil {
				return err
			}
			if creds, err = s.credentials(ch); err != nil && in.Credentials == nil {
				return err
			}
			if in.Credentials != nil {
				creds = *in.Credentials
			}
			acct := channels.Account{Kind: channels.Kind(ch.Kind), ShopID: ch.ShopID, BaseURL: pick(in.BaseURL, ch.BaseURL),
				AuthURL: pick(in.AuthURL, ch.AuthURL), Credentials: creds}
			if err := checkAccount(acct); err != nil {
				return err
			}
		}
		if out, err = saved(upd.Save(ctx)); err != nil {
			return err
		}
		if in.Credentials != nil {
			if out, err = s.storeCredentials(ctx, tx, out, creds, in.Expiry); err != nil {
				return err
			}
		}
		if resync {
			return catalog.MarkListingsChanged(ctx, tx, id, channellisting.ChannelID(id))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.changed()
	return out.Unwrap(), nil
}

// saved makes ent's refusal of a value an INVALID_ARGUMENT.
func saved[T any](v T, err error) (T, error) {
	if ent.IsValidationError(err) {
		return v, fault.New(fault.InvalidArgument, "%s", strings.TrimPrefix(err.Error(), "ent: "))
	}
	return v, err
}

func pick(p *string, or string) string {
	if p != nil {
		return *p
	}
	return or
}

// storeCredentials seals new credentials given by an operator onto ch in tx: a new credentials
// version, the expiries given, an auth status of OK, and the refresh of the new tokens scheduled.
func (s *Service) storeCredentials(ctx context.Context, tx *ent.Tx, ch *ent.Channel, creds channels.Credentials, exp Expiry) (*ent.Channel, error) {
	sealed, err := s.seal(ch.ID, creds)
	if err != nil {
		return nil, err
	}
	upd := tx.Channel.UpdateOne(ch).SetCredentials(sealed).AddCredentialsVersion(1).
		SetTokenRefreshedAt(time.Now().UTC()).SetAuthStatus(channel.AuthStatusOK).SetAuthError("")
	if exp.Access != nil {
		upd.SetTokenExpiresAt(exp.Access.UTC())
	} else {
		upd.ClearTokenExpiresAt()
	}
	if exp.Refresh != nil {
		upd.SetRefreshTokenExpiresAt(exp.Refresh.UTC())
	} else {
		upd.ClearRefreshTokenExpiresAt()
	}
	out, err := upd.Save(ctx)
	if err != nil {
		return nil, err
	}
	return out, s.scheduleRefresh(ctx, tx, out, creds)
}

// credentials opens a channel's sealed credentials.
func (s *Service) credentials(ch *ent.Channel) (channels.Credentials, error) {
	var c channels.Credentials
	if len(ch.Credentials) == 0 {
		return c, fault.New(fault.Conflict, "channel %s has no credentials: connect it with connectChannel", ch.ID)
	}
	if err := s.check(); err != nil {
		return c, err
	}
	plain, err := s.Vault.Open(ch.Credentials, string(ch.ID))
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
	return s.Vault.Seal(plain, string(id))
}

func (s *Service) check() error {
	if s == nil || s.Vault == nil {
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
	if s != nil {
		base = strings.TrimRight(s.PublicURL, "/")
	}
	return base + "/webhooks/" + strings.ToLower(string(ch.Kind)) + "/" + string(ch.ID)
}

// Connector returns the connector of a channel, opened with its credentials; it is kept while the
// channel's connection (kind, shop, URLs, sealed credentials) stays the same. A call the channel
// refuses for an expired access token has the token refreshed and is made once more.
func (s *Service) Connector(ch *ent.Channel) (channels.Connector, error) {
	conn, err := s.open(ch)
	if err != nil {
		return nil, err
	}
	if _, ok := conn.(channels.Refresher); !ok || s.Queue == nil {
		return conn, nil
	}
	return &refreshing{Connector: conn, s: s, ch: ch}, nil
}

// open returns the connector of a channel as its row says, from the cache when it can.
func (s *Service) open(ch *ent.Channel) (channels.Connector, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if c, ok := s.cache[ch.ID]; ok && c.from == connectionOf(ch) {
		s.mu.Unlock()
		return c.conn, nil
	}
	s.mu.Unlock()
	creds, err := s.credentials(ch)
	if err != nil {
		return nil, err
	}
	conn, err := registry.Open(channels.Account{
		Kind: channels.Kind(ch.Kind), ShopID: ch.ShopID, BaseURL: ch.BaseURL, AuthURL: ch.AuthURL,
		WebhookURL: s.WebhookEndpoint(ch), Credentials: creds,
	}, s.client())
	if err != nil {
		return nil, fault.New(fault.Conflict, "channel %s cannot be reached: %v", ch.ID, err)
	}
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[pulid.ID]openConnector{}
	}
	s.cache[ch.ID] = openConnector{from: connectionOf(ch), conn: conn}
	s.mu.Unlock()
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
