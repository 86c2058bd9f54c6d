package ninjavan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/shipping"
)

// DefaultBaseURL is Ninja Van's production API root (the sandbox is https://api-sandbox.ninjavan.co).
const DefaultBaseURL = "https://api.ninjavan.co"

// timezones are the delivery time zones of Ninja Van's countries, by country code.
var timezones = map[string]string{
	"sg": "Asia/Singapore", "my": "Asia/Kuala_Lumpur", "th": "Asia/Bangkok", "id": "Asia/Jakarta",
	"vn": "Asia/Ho_Chi_Minh", "ph": "Asia/Manila", "mm": "Asia/Yangon",
}

// Client is the adapter for one Ninja Van account in one country.
type Client struct {
	account shipping.Account
	caller  channels.Caller
	// now is the clock the token's expiry and the delivery start date are read on.
	now func() time.Time
	Webhooks

	mu      sync.Mutex
	token   string
	expires time.Time
}

var _ shipping.Carrier = (*Client)(nil)

// NewClient returns the adapter for an account, calling Ninja Van through hc (nil: the default
// client). The account needs ClientID, ClientSecret and CountryCode (sg, my, th, id, vn, ph, mm).
func NewClient(a shipping.Account, hc *http.Client) (*Client, error) {
	a.CountryCode = strings.ToLower(strings.TrimSpace(a.CountryCode))
	if a.ClientID == "" || a.ClientSecret == "" || timezones[a.CountryCode] == "" {
		return nil, fmt.Errorf("%w: Ninja Van needs a client id, a client secret and one of its country codes", shipping.ErrAccount)
	}
	if a.BaseURL == "" {
		a.BaseURL = DefaultBaseURL
	}
	a.BaseURL = strings.TrimRight(a.BaseURL, "/")
	return &Client{account: a, caller: channels.Caller{Client: hc}, now: time.Now, Webhooks: Webhooks{Secret: a.ClientSecret}}, nil
}

// tokenMargin is how long before its expiry a token is replaced.
const tokenMargin = time.Minute

// accessToken returns a token, asking for a new one when the kept one is (nearly) expired.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.now().Before(c.expires.Add(-tokenMargin)) {
		return c.token, nil
	}
	in := map[string]string{"client_id": c.account.ClientID, "client_secret": c.account.ClientSecret, "grant_type": "client_credentials"}
	var out struct {
		AccessToken string `json:"access_token"`
		Expires     int64  `json:"expires"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := c.send(ctx, http.MethodPost, "/2.0/oauth/access_token", "", in, &out); err != nil {
		return "", err
	}
	if out.AccessToken == "" {
		return "", fmt.Errorf("ninjavan: the token answer has no access_token")
	}
	c.token = out.AccessToken
	switch {
	case out.ExpiresIn > 0:
		c.expires = c.now().Add(time.Duration(out.ExpiresIn) * time.Second)
	case out.Expires > 0:
		c.expires = time.Unix(out.Expires, 0)
	default:
		c.expires = c.now().Add(5 * time.Minute)
	}
	return c.token, nil
}

// dropToken forgets a token Ninja Van refused, unless another call already replaced it.
func (c *Client) dropToken(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == token {
		c.token = ""
	}
}

// errUnauthorized is a 401 answer: the token is stale.
var errUnauthorized = errors.New("ninjavan: unauthorized")

// call sends an authenticated API call, once more with a new token if the first is refused as
// unauthorized.
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	for attempt := 0; ; attempt++ {
		token, err := c.accessToken(ctx)
		if err != nil {
			return err
		}
		err = c.send(ctx, method, path, token, in, out)
		if !errors.Is(err, errUnauthorized) {
			return err
		}
		c.dropToken(token)
		if attempt == 1 {
			return shipping.Refused("ninjavan: %s %s: unauthorized with a new token", method, path)
		}
	}
}

// send sends one call under /{cc}; out is a *[]byte for a raw answer, else JSON is decoded into it.
func (c *Client) send(ctx context.Context, method, path, token string, in, out any) error {
	full := c.account.BaseURL + "/" + c.account.CountryCode + path
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("ninjavan: %s %s: %w", method, path, err)
		}
	}
	a, err := c.caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, method, full, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if in != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	})
	if err != nil {
		var rl *channels.RateLimitError
		if errors.As(err, &rl) {
			err = &shipping.RateLimitError{RetryAfter: rl.RetryAfter, Detail: rl.Detail}
		}
		return fmt.Errorf("ninjavan: %s %s: %w", method, path, err)
	}
	switch {
	case a.Status == http.StatusUnauthorized && token != "":
		return errUnauthorized
	case a.Status >= 400:
		return shipping.Refused("ninjavan: %s %s: HTTP %d: %s", method, path, a.Status, snippet(a.Body))
	}
	if raw, ok := out.(*[]byte); ok {
		*raw = a.Body
		return nil
	}
	if err := json.Unmarshal(a.Body, out); err != nil {
		return fmt.Errorf("ninjavan: %s %s: answer: %w", method, path, err)
	}
	return nil
}

func snippet(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// Rates implements shipping.Carrier: Ninja Van quotes no rates through this API.
func (c *Client) Rates(context.Context, shipping.RateRequest) ([]shipping.Rate, error) {
	return nil, fmt.Errorf("ninjavan: rates: %w", shipping.ErrUnsupported)
}

// Track implements shipping.Carrier: Ninja Van pushes tracking and serves no pull.
func (c *Client) Track(context.Context, string) ([]shipping.TrackingEvent, error) {
	return nil, fmt.Errorf("ninjavan: track: %w", shipping.ErrUnsupported)
}

type party struct {
	Name        string  `json:"name"`
	PhoneNumber string  `json:"phone_number"`
	Email       string  `json:"email,omitempty"`
	Address     address `json:"address"`
}

type address struct {
	Address1 string `json:"address1"`
	Address2 string `json:"address2,omitempty"`
	City     string `json:"city,omitempty"`
	State    string `json:"state,omitempty"`
	Postcode string `json:"postcode"`
	Country  string `json:"country"`
}

func toParty(p shipping.Party) party {
	name := p.Name
	if name == "" {
		name = p.Company
	}
	return party{Name: name, PhoneNumber: p.Phone, Email: p.Email, Address: address{
		Address1: p.Line1, Address2: p.Line2, City: p.City, State: p.Region, Postcode: p.PostalCode, Country: strings.ToUpper(p.Country)}}
}

type timeslot struct {
	StartTime string `json:"start_time"`
	EndTime   string `json:"end_time"`
	Timezone  string `json:"timezone"`
}

// OrderRequest is the body of POST /{cc}/4.2/orders, as much of it as Ordo sends.
type OrderRequest struct {
	ServiceType  string `json:"service_type"`
	ServiceLevel string `json:"service_level"`
	Reference    struct {
		MerchantOrderNumber string `json:"merchant_order_number"`
	} `json:"reference"`
	From      party `json:"from"`
	To        party `json:"to"`
	ParcelJob struct {
		IsPickupRequired  bool     `json:"is_pickup_required"`
		DeliveryStartDate string   `json:"delivery_start_date"`
		DeliveryTimeslot  timeslot `json:"delivery_timeslot"`
		CashOnDelivery    *float64 `json:"cash_on_delivery,omitempty"`
		Dimensions        struct {
			Weight float64 `json:"weight"` // kilograms
			Length float64 `json:"length,omitempty"`
			Width  float64 `json:"width,omitempty"`
			Height float64 `json:"height,omitempty"`
		} `json:"dimensions"`
	} `json:"parcel_job"`
}

// serviceLevels are Ninja Van's service levels; LabelRequest.Service picks one (default Standard).
var serviceLevels = map[string]string{"standard": "Standard", "express": "Express", "sameday": "Sameday", "nextday": "Nextday"}

// CreateLabel implements shipping.Carrier: one order per parcel (service type Parcel, dropped off
// by the shipper, delivered from today in the country's time zone), then one waybill PDF for them
// all. Ninja Van's waybills are PDF whatever the Format asked. When a later parcel fails, the
// orders already booked are cancelled.
func (c *Client) CreateLabel(ctx context.Context, r shipping.LabelRequest) (shipping.Label, error) {
	if len(r.Parcels) == 0 {
		return shipping.Label{}, shipping.Refused("ninjavan: no parcels to ship")
	}
	level := "Standard"
	if r.Service != "" {
		if level = serviceLevels[strings.ToLower(r.Service)]; level == "" {
			return shipping.Label{}, shipping.Refused("ninjavan: no service level %q", r.Service)
		}
	}
	var cod *float64
	if r.COD.Amount != 0 {
		exp, err := channels.Exponent(r.COD.Currency)
		if err != nil {
			return shipping.Label{}, fmt.Errorf("ninjavan: cash on delivery: %w", err)
		}
		v, _ := strconv.ParseFloat(shipping.FormatMinor(r.COD.Amount, exp), 64)
		cod = &v
	}
	tz := timezones[c.account.CountryCode]
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	var booked []string
	fail := func(err error) (shipping.Label, error) {
		for _, tid := range booked {
			_ = c.cancel(ctx, tid) // best effort: the error that stopped the label is the one to report
		}
		return shipping.Label{}, err
	}
	for i, p := range r.Parcels {
		var o OrderRequest
		o.ServiceType, o.ServiceLevel = "Parcel", level
		o.Reference.MerchantOrderNumber = r.Reference
		if len(r.Parcels) > 1 {
			o.Reference.MerchantOrderNumber = fmt.Sprintf("%s-%d", r.Reference, i+1)
		}
		o.From, o.To = toParty(r.From), toParty(r.To)
		o.ParcelJob.DeliveryStartDate = c.now().In(loc).Format(time.DateOnly)
		o.ParcelJob.DeliveryTimeslot = timeslot{StartTime: "09:00", EndTime: "22:00", Timezone: tz}
		if i == 0 {
			o.ParcelJob.CashOnDelivery = cod // the cash is collected once, with the first parcel
		}
		o.ParcelJob.Dimensions.Weight = float64(p.WeightGrams) / 1000
		o.ParcelJob.Dimensions.Length = float64(p.LengthMM) / 10
		o.ParcelJob.Dimensions.Width = float64(p.WidthMM) / 10
		o.ParcelJob.Dimensions.Height = float64(p.HeightMM) / 10
		var out struct {
			TrackingNumber string `json:"tracking_number"`
		}
		if err := c.call(ctx, http.MethodPost, "/4.2/orders", o, &out); err != nil {
			return fail(err)
		}
		if out.TrackingNumber == "" {
			return fail(fmt.Errorf("ninjavan: order booked without a tracking number"))
		}
		booked = append(booked, out.TrackingNumber)
	}
	var pdf []byte
	q := url.Values{"tids": {strings.Join(booked, ",")}, "h": {"0"}}
	if err := c.call(ctx, http.MethodGet, "/2.0/reports/waybill?"+q.Encode(), nil, &pdf); err != nil {
		return fail(err)
	}
	return shipping.Label{
		CarrierRef:      strings.Join(booked, ","),
		TrackingNumbers: booked,
		Carrier:         "ninjavan",
		Service:         level,
		Documents:       []shipping.Document{{Format: shipping.PDF, ContentType: "application/pdf", Body: pdf}},
	}, nil
}

// CancelLabel implements shipping.Carrier: every order of the label is cancelled. Ninja Van
// refuses (shipping.ErrRefused) once a parcel is picked up.
func (c *Client) CancelLabel(ctx context.Context, carrierRef string) error {
	if strings.TrimSpace(carrierRef) == "" {
		return shipping.Refused("ninjavan: no order to cancel")
	}
	for _, tid := range strings.Split(carrierRef, ",") {
		if err := c.cancel(ctx, strings.TrimSpace(tid)); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) cancel(ctx context.Context, tid string) error {
	var out struct {
		Status string `json:"status"`
	}
	return c.call(ctx, http.MethodDelete, "/2.2/orders/"+url.PathEscape(tid), nil, &out)
}
