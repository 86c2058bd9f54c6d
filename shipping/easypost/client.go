package easypost

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/shipping"
)

// DefaultBaseURL is EasyPost's API root.
const DefaultBaseURL = "https://api.easypost.com"

// Client is the adapter for one EasyPost account.
type Client struct {
	account shipping.Account
	caller  channels.Caller
	Webhooks
}

var _ shipping.Carrier = (*Client)(nil)

// NewClient returns the adapter for an account, calling EasyPost through hc (nil: the default
// client). The account needs APIKey; WebhookSecret is needed to verify webhooks.
func NewClient(a shipping.Account, hc *http.Client) (*Client, error) {
	if a.APIKey == "" {
		return nil, fmt.Errorf("%w: EasyPost needs an API key", shipping.ErrAccount)
	}
	if a.BaseURL == "" {
		a.BaseURL = DefaultBaseURL
	}
	a.BaseURL = strings.TrimRight(a.BaseURL, "/")
	return &Client{account: a, caller: channels.Caller{Client: hc}, Webhooks: Webhooks{Secret: a.WebhookSecret}}, nil
}

// address is EasyPost's Address.
type address struct {
	Name    string `json:"name,omitempty"`
	Company string `json:"company,omitempty"`
	Street1 string `json:"street1"`
	Street2 string `json:"street2,omitempty"`
	City    string `json:"city"`
	State   string `json:"state,omitempty"`
	Zip     string `json:"zip"`
	Country string `json:"country"`
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
}

func toAddress(p shipping.Party) address {
	return address{Name: p.Name, Company: p.Company, Street1: p.Line1, Street2: p.Line2, City: p.City,
		State: p.Region, Zip: p.PostalCode, Country: p.Country, Phone: p.Phone, Email: p.Email}
}

// parcel is EasyPost's Parcel: inches and ounces.
type parcel struct {
	Length float64 `json:"length"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
	Weight float64 `json:"weight"`
}

// Conversions to EasyPost's units, rounded up to the tenth it takes so that a parcel is never
// declared smaller or lighter than it is.
const (
	gramsPerOunce = 28.349523125
	mmPerInch     = 25.4
)

func tenthUp(v float64) float64 { return math.Ceil(v*10-1e-9) / 10 }

func toParcel(p shipping.Parcel) parcel {
	return parcel{
		Length: tenthUp(float64(p.LengthMM) / mmPerInch),
		Width:  tenthUp(float64(p.WidthMM) / mmPerInch),
		Height: tenthUp(float64(p.HeightMM) / mmPerInch),
		Weight: tenthUp(float64(p.WeightGrams) / gramsPerOunce),
	}
}

type rate struct {
	ID           string `json:"id"`
	Carrier      string `json:"carrier"`
	Service      string `json:"service"`
	Rate         string `json:"rate"`
	Currency     string `json:"currency"`
	DeliveryDays *int   `json:"delivery_days"`
}

func (r rate) toRate() (shipping.Rate, error) {
	exp, err := channels.Exponent(r.Currency)
	if err != nil {
		return shipping.Rate{}, fmt.Errorf("easypost: rate %s: %w", r.ID, err)
	}
	amount, err := channels.ParseMinor(r.Rate, exp)
	if err != nil {
		return shipping.Rate{}, fmt.Errorf("easypost: rate %s: %w", r.ID, err)
	}
	out := shipping.Rate{Carrier: r.Carrier, Service: r.Service, Amount: amount, Currency: strings.ToUpper(r.Currency), ID: r.ID}
	if r.DeliveryDays != nil {
		out.EstDays = *r.DeliveryDays
	}
	return out, nil
}

// shipment is EasyPost's Shipment, as much of it as Ordo reads.
type shipment struct {
	ID           string `json:"id"`
	Reference    string `json:"reference"`
	Rates        []rate `json:"rates"`
	SelectedRate *rate  `json:"selected_rate"`
	TrackingCode string `json:"tracking_code"`
	RefundStatus string `json:"refund_status"`
	PostageLabel *struct {
		LabelURL      string `json:"label_url"`
		LabelFileType string `json:"label_file_type"`
	} `json:"postage_label"`
	Messages []struct {
		Carrier string `json:"carrier"`
		Message string `json:"message"`
	} `json:"messages"`
}

type shipmentIn struct {
	Reference   string            `json:"reference,omitempty"`
	FromAddress address           `json:"from_address"`
	ToAddress   address           `json:"to_address"`
	Parcel      parcel            `json:"parcel"`
	Options     map[string]string `json:"options,omitempty"`
}

func (c *Client) createShipment(ctx context.Context, in shipmentIn) (shipment, error) {
	var s shipment
	err := c.call(ctx, http.MethodPost, "/v2/shipments", map[string]any{"shipment": in}, &s)
	return s, err
}

func options(format shipping.LabelFormat, cod shipping.Money) (map[string]string, error) {
	o := map[string]string{}
	if format != "" {
		o["label_format"] = string(format)
	}
	if cod.Amount != 0 {
		exp, err := channels.Exponent(cod.Currency)
		if err != nil {
			return nil, fmt.Errorf("easypost: cash on delivery: %w", err)
		}
		o["cod_amount"] = shipping.FormatMinor(cod.Amount, exp)
	}
	return o, nil
}

// Rates implements shipping.Carrier: one unbought shipment per parcel, and the services offered
// for every parcel, each priced at the sum of its parcels' rates, cheapest first. A rate's ID is
// set only for a single parcel.
func (c *Client) Rates(ctx context.Context, r shipping.RateRequest) ([]shipping.Rate, error) {
	if len(r.Parcels) == 0 {
		return nil, shipping.Refused("easypost: no parcels to rate")
	}
	opts, err := options("", r.COD)
	if err != nil {
		return nil, err
	}
	type key struct{ carrier, service string }
	totals := map[key]shipping.Rate{}
	seen := map[key]int{}
	for _, p := range r.Parcels {
		s, err := c.createShipment(ctx, shipmentIn{FromAddress: toAddress(r.From), ToAddress: toAddress(r.To), Parcel: toParcel(p), Options: opts})
		if err != nil {
			return nil, err
		}
		for _, er := range s.Rates {
			sr, err := er.toRate()
			if err != nil {
				return nil, err
			}
			k := key{sr.Carrier, sr.Service}
			if t, ok := totals[k]; ok {
				if t.Currency != sr.Currency {
					return nil, fmt.Errorf("easypost: %s %s quoted in %s and %s", sr.Carrier, sr.Service, t.Currency, sr.Currency)
				}
				sr.Amount += t.Amount
				sr.EstDays = max(sr.EstDays, t.EstDays)
			}
			totals[k] = sr
			seen[k]++
		}
	}
	var out []shipping.Rate
	for k, rt := range totals {
		if seen[k] != len(r.Parcels) {
			continue
		}
		if len(r.Parcels) > 1 {
			rt.ID = ""
		}
		out = append(out, rt)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Amount != out[j].Amount {
			return out[i].Amount < out[j].Amount
		}
		return out[i].Carrier+out[i].Service < out[j].Carrier+out[j].Service
	})
	return out, nil
}

// choose picks the rate a label request asks for: its carrier and service, or the cheapest.
func choose(rates []rate, carrier, service string) (rate, error) {
	var best *rate
	var bestAmount int64
	for i, r := range rates {
		if carrier != "" && !strings.EqualFold(r.Carrier, carrier) || service != "" && !strings.EqualFold(r.Service, service) {
			continue
		}
		sr, err := r.toRate()
		if err != nil {
			return rate{}, err
		}
		if best == nil || sr.Amount < bestAmount {
			best, bestAmount = &rates[i], sr.Amount
		}
	}
	if best == nil {
		return rate{}, shipping.Refused("easypost: no rate for carrier %q service %q", carrier, service)
	}
	return *best, nil
}

// CreateLabel implements shipping.Carrier: per parcel, a shipment bought at the requested (or
// cheapest) rate, every parcel with the first parcel's carrier and service; the label is fetched
// from its URL. When a later parcel fails, the labels already bought are refunded.
func (c *Client) CreateLabel(ctx context.Context, r shipping.LabelRequest) (shipping.Label, error) {
	if len(r.Parcels) == 0 {
		return shipping.Label{}, shipping.Refused("easypost: no parcels to ship")
	}
	if r.Format == "" {
		r.Format = shipping.PDF
	}
	opts, err := options(r.Format, r.COD)
	if err != nil {
		return shipping.Label{}, err
	}
	var label shipping.Label
	var bought []string
	fail := func(err error) (shipping.Label, error) {
		for _, id := range bought {
			_ = c.refund(ctx, id) // best effort: the error that stopped the label is the one to report
		}
		return shipping.Label{}, err
	}
	carrier, service := r.Carrier, r.Service
	for i, p := range r.Parcels {
		ref := r.Reference
		if len(r.Parcels) > 1 {
			ref = fmt.Sprintf("%s-%d", r.Reference, i+1)
		}
		s, err := c.createShipment(ctx, shipmentIn{Reference: ref, FromAddress: toAddress(r.From), ToAddress: toAddress(r.To), Parcel: toParcel(p), Options: opts})
		if err != nil {
			return fail(err)
		}
		chosen, err := choose(s.Rates, carrier, service)
		if err != nil {
			return fail(err)
		}
		carrier, service = chosen.Carrier, chosen.Service
		var b shipment
		if err := c.buy(ctx, s.ID, chosen.ID, &b); err != nil {
			return fail(err)
		}
		bought = append(bought, b.ID)
		if b.TrackingCode == "" || b.PostageLabel == nil || b.PostageLabel.LabelURL == "" {
			return fail(fmt.Errorf("easypost: shipment %s bought without a tracking code or label", b.ID))
		}
		sr, err := chosen.toRate()
		if err != nil {
			return fail(err)
		}
		if b.SelectedRate != nil {
			if sr, err = b.SelectedRate.toRate(); err != nil {
				return fail(err)
			}
		}
		if label.Currency != "" && label.Currency != sr.Currency {
			return fail(fmt.Errorf("easypost: parcels charged in %s and %s", label.Currency, sr.Currency))
		}
		label.Amount += sr.Amount
		label.Currency = sr.Currency
		doc, err := c.fetchLabel(ctx, b.PostageLabel.LabelURL, r.Format, b.PostageLabel.LabelFileType)
		if err != nil {
			return fail(err)
		}
		label.Documents = append(label.Documents, doc)
		label.TrackingNumbers = append(label.TrackingNumbers, b.TrackingCode)
	}
	label.CarrierRef = strings.Join(bought, ",")
	label.Carrier, label.Service = carrier, service
	return label, nil
}

// buy buys a shipment's postage at a rate. The caller retries a call whose answer was lost; when
// the first try had bought the postage, EasyPost refuses the retry (SHIPMENT.POSTAGE.EXISTS) and the
// bought shipment is read back instead, so that a label paid for is never lost.
func (c *Client) buy(ctx context.Context, shipmentID, rateID string, out *shipment) error {
	path := "/v2/shipments/" + url.PathEscape(shipmentID)
	err := c.call(ctx, http.MethodPost, path+"/buy", map[string]any{"rate": map[string]string{"id": rateID}}, out)
	var r *refusal
	if errors.As(err, &r) && r.code == "SHIPMENT.POSTAGE.EXISTS" {
		return c.call(ctx, http.MethodGet, path, nil, out)
	}
	return err
}

func (c *Client) fetchLabel(ctx context.Context, u string, format shipping.LabelFormat, fileType string) (shipping.Document, error) {
	a, err := c.caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	})
	if err != nil {
		return shipping.Document{}, fmt.Errorf("easypost: label %s: %w", u, rateLimit(err))
	}
	if a.Status != http.StatusOK {
		return shipping.Document{}, fmt.Errorf("easypost: label %s: HTTP %d", u, a.Status)
	}
	if fileType == "" {
		fileType = map[shipping.LabelFormat]string{shipping.PDF: "application/pdf", shipping.ZPL: "application/zpl"}[format]
	}
	return shipping.Document{Format: format, ContentType: fileType, Body: a.Body, URL: u}, nil
}

// CancelLabel implements shipping.Carrier: a refund of every shipment of the label. A refund
// EasyPost rejects (the parcel was scanned) wraps shipping.ErrRefused.
func (c *Client) CancelLabel(ctx context.Context, carrierRef string) error {
	if strings.TrimSpace(carrierRef) == "" {
		return shipping.Refused("easypost: no shipment to cancel")
	}
	for _, id := range strings.Split(carrierRef, ",") {
		if err := c.refund(ctx, strings.TrimSpace(id)); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) refund(ctx context.Context, id string) error {
	var s shipment
	if err := c.call(ctx, http.MethodPost, "/v2/shipments/"+url.PathEscape(id)+"/refund", nil, &s); err != nil {
		return err
	}
	if s.RefundStatus == "rejected" || s.RefundStatus == "not_applicable" {
		return shipping.Refused("easypost: refund of %s %s", id, s.RefundStatus)
	}
	return nil
}

// Track implements shipping.Carrier: the account's tracker for the code (GET /v2/trackers), created
// when there is none yet (POST /v2/trackers, which also subscribes the code to webhooks).
func (c *Client) Track(ctx context.Context, trackingNumber string) ([]shipping.TrackingEvent, error) {
	var list struct {
		Trackers []tracker `json:"trackers"`
	}
	q := url.Values{"tracking_code": {trackingNumber}}
	if err := c.call(ctx, http.MethodGet, "/v2/trackers?"+q.Encode(), nil, &list); err != nil {
		return nil, err
	}
	var t tracker
	for _, lt := range list.Trackers {
		if lt.TrackingCode == trackingNumber {
			t = lt
			break
		}
	}
	if t.ID == "" {
		if err := c.call(ctx, http.MethodPost, "/v2/trackers", map[string]any{"tracker": map[string]string{"tracking_code": trackingNumber}}, &t); err != nil {
			return nil, err
		}
	}
	return t.events(), nil
}

// apiError is EasyPost's error body.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message any    `json:"message"`
	} `json:"error"`
}

// call sends one API call with Basic authentication; a 4xx answer is a refusal naming EasyPost's
// error code.
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("easypost: %s %s: %w", method, path, err)
		}
	}
	a, err := c.caller.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, method, c.account.BaseURL+path, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.SetBasicAuth(c.account.APIKey, "")
		req.Header.Set("Accept", "application/json")
		if in != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	})
	if err != nil {
		return fmt.Errorf("easypost: %s %s: %w", method, path, rateLimit(err))
	}
	if a.Status >= 400 {
		var e apiError
		_ = json.Unmarshal(a.Body, &e) // an unreadable error body still refuses the call
		return &refusal{call: method + " " + path, status: a.Status, code: e.Error.Code, message: fmt.Sprint(e.Error.Message)}
	}
	if err := json.Unmarshal(a.Body, out); err != nil {
		return fmt.Errorf("easypost: %s %s: answer: %w", method, path, err)
	}
	return nil
}

// refusal is EasyPost's deliberate answer to a call (4xx): it wraps shipping.ErrRefused.
type refusal struct {
	call          string
	status        int
	code, message string
}

func (r *refusal) Error() string {
	return fmt.Sprintf("easypost: %s: HTTP %d %s: %s", r.call, r.status, r.code, r.message)
}

func (r *refusal) Unwrap() error { return shipping.ErrRefused }

// rateLimit turns the caller's throttling error into shipping's.
func rateLimit(err error) error {
	var rl *channels.RateLimitError
	if errors.As(err, &rl) {
		return &shipping.RateLimitError{RetryAfter: rl.RetryAfter, Detail: rl.Detail}
	}
	return err
}
