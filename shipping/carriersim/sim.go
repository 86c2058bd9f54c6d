package carriersim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ordo-oms/ordo/shipping"
)

// Config holds the credentials the simulated accounts accept and sign with: configure Ordo's
// carrier accounts with the same.
type Config struct {
	// EasyPostAPIKey authenticates EasyPost calls; EasyPostWebhookSecret signs its webhooks.
	EasyPostAPIKey, EasyPostWebhookSecret string
	// NinjaVanClientID and NinjaVanClientSecret are Ninja Van's OAuth client; the secret also signs
	// its webhooks.
	NinjaVanClientID, NinjaVanClientSecret string
	// AfterShipAPIKey authenticates AfterShip pulls; AfterShipWebhookSecret signs its webhooks.
	AfterShipAPIKey, AfterShipWebhookSecret string
	// JNTAPIAccount and JNTPrivateKey are the J&T account pushes are signed for.
	JNTAPIAccount, JNTPrivateKey string
	// TokenLifetime is how long a Ninja Van access token lasts (default 5 minutes).
	TokenLifetime time.Duration
	// Clock is the simulator's time; nil means the wall clock.
	Clock func() time.Time
	// Client sends webhooks; nil means a client with a 10 s timeout.
	Client *http.Client
}

// Step is one move of a parcel, in carrier-neutral terms: the simulator renders it in the parcel's
// carrier's vocabulary (an EasyPost status and detail, a Ninja Van event) and in AfterShip's.
type Step struct {
	Tag shipping.Tag
	// Subtag is AfterShip's; a delay subtag (shipping.IsDelaySubtag) makes a delay in every carrier's
	// terms, Delivered_004 a delivery with cash collected.
	Subtag string
	// Message is the scan's text (default: the carrier's event name); City is where it happened.
	Message, City string
	// At is when it happened; zero: the simulator's clock.
	At time.Time
	// EstimatedDelivery is the carrier's estimate after this step, if any.
	EstimatedDelivery time.Time
	// ReturnToSender puts the parcel on its way back.
	ReturnToSender bool
}

// Parcel is a simulated parcel: booked through a carrier's API or added with AddParcel.
type Parcel struct {
	Carrier        shipping.CarrierKind
	TrackingNumber string
	// Ref is the carrier's id of the booking: EasyPost's shipment id, Ninja Van's tracking number.
	Ref       string
	Reference string
	// CarrierName and Service are what EasyPost bought (USPS, GroundAdvantage); Ninja Van's level.
	CarrierName, Service string
	TrackerID            string
	CreatedAt            time.Time
	Steps                []Step
	Cancelled            bool
	// COD is the cash to collect, in the request's decimal, when any.
	COD string
}

// pickedUp reports whether the parcel has left the shipper: no refund or cancellation after that.
func (p *Parcel) pickedUp() bool {
	for _, s := range p.Steps {
		if s.Tag.Rank() >= shipping.InTransit.Rank() {
			return true
		}
	}
	return false
}

// Call is one API call the simulator answered.
type Call struct {
	Method, Path string // Path includes the query
	Body         []byte
	Status       int
}

// Delivery is a built webhook: what a carrier would POST, signed.
type Delivery struct {
	Header http.Header
	Body   []byte
}

// Sim is a running carrier simulator. Mount it (it is an http.Handler) on a server and tell it
// its URL with SetBase, so that the label URLs it answers with point back at it.
type Sim struct {
	cfg Config
	mux *http.ServeMux

	mu        sync.Mutex
	base      string
	seq       int
	parcels   map[string]*Parcel // by tracking number
	shipments map[string]*shipment
	trackers  map[string]string // tracker id → tracking number
	files     map[string]file
	tokens    map[string]time.Time
	calls     []Call
	// lose holds path suffixes whose next call is carried out but answered with a 503.
	lose []string
	// throttle holds path suffixes whose next call is refused with a 429 and this Retry-After.
	throttle map[string]time.Duration
}

type file struct {
	contentType string
	body        []byte
}

// New returns a simulator with the given credentials.
func New(cfg Config) *Sim {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = 5 * time.Minute
	}
	s := &Sim{cfg: cfg, mux: http.NewServeMux(), parcels: map[string]*Parcel{}, shipments: map[string]*shipment{},
		trackers: map[string]string{}, files: map[string]file{}, tokens: map[string]time.Time{}}
	s.routeEasyPost()
	s.routeNinjaVan()
	s.routeAfterShip()
	return s
}

// SetBase sets the URL the simulator is served at (an httptest server's URL).
func (s *Sim) SetBase(base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.base = strings.TrimRight(base, "/")
}

// EasyPostURL is the base URL of the EasyPost face, for shipping.Account.BaseURL.
func (s *Sim) EasyPostURL() string { return s.url("/easypost") }

// NinjaVanURL is the base URL of the Ninja Van face.
func (s *Sim) NinjaVanURL() string { return s.url("/ninjavan") }

// AfterShipURL is the base URL of the AfterShip face.
func (s *Sim) AfterShipURL() string { return s.url("/aftership") }

func (s *Sim) url(path string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base + path
}

func (s *Sim) now() time.Time { return s.cfg.Clock().UTC() }

// ServeHTTP answers the carriers' API calls and records them.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if wait, ok := s.takeThrottle(r.URL.Path); ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
		http.Error(w, "rate limited", http.StatusTooManyRequests)
		s.mu.Lock()
		s.calls = append(s.calls, Call{Method: r.Method, Path: r.URL.RequestURI(), Body: body, Status: http.StatusTooManyRequests})
		s.mu.Unlock()
		return
	}
	lost := s.takeLose(r.URL.Path)
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	if lost {
		rec.ResponseWriter = discard{header: http.Header{}}
	}
	s.mux.ServeHTTP(rec, r)
	if lost {
		http.Error(w, "upstream timed out", http.StatusServiceUnavailable)
	}
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: r.Method, Path: r.URL.RequestURI(), Body: body, Status: rec.status})
	s.mu.Unlock()
}

// LoseNextAnswer makes the next call whose path ends with suffix happen, and its answer be lost:
// the caller gets a 503, as when a carrier times out after doing the work.
func (s *Sim) LoseNextAnswer(suffix string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lose = append(s.lose, suffix)
}

// ThrottleNext makes the next call whose path ends with suffix be refused with a 429 that asks
// to wait retryAfter (whole seconds).
func (s *Sim) ThrottleNext(suffix string, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.throttle == nil {
		s.throttle = map[string]time.Duration{}
	}
	s.throttle[suffix] = retryAfter
}

func (s *Sim) takeThrottle(path string) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for suffix, wait := range s.throttle {
		if strings.HasSuffix(path, suffix) {
			delete(s.throttle, suffix)
			return wait, true
		}
	}
	return 0, false
}

func (s *Sim) takeLose(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, suffix := range s.lose {
		if strings.HasSuffix(path, suffix) {
			s.lose = append(s.lose[:i], s.lose[i+1:]...)
			return true
		}
	}
	return false
}

// discard is a response writer that drops the answer.
type discard struct{ header http.Header }

func (d discard) Header() http.Header         { return d.header }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// Calls returns the API calls answered so far, oldest first.
func (s *Sim) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Parcel returns a copy of a parcel by tracking number.
func (s *Sim) Parcel(trackingNumber string) (Parcel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.parcels[trackingNumber]
	if !ok {
		return Parcel{}, false
	}
	c := *p
	c.Steps = append([]Step(nil), p.Steps...)
	return c, true
}

// AddParcel adds a parcel booked outside the simulator's APIs (one a marketplace arranged, to be
// tracked through AfterShip), under a carrier kind.
func (s *Sim) AddParcel(kind shipping.CarrierKind, trackingNumber string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.parcels[trackingNumber]; !ok {
		s.parcels[trackingNumber] = &Parcel{Carrier: kind, TrackingNumber: trackingNumber, CreatedAt: s.now()}
	}
}

func (s *Sim) next() int {
	s.seq++
	return s.seq
}

// Advance moves a parcel one step and returns the tracking webhook its carrier sends for it:
// EasyPost's tracker.updated Event (the whole tracker), or Ninja Van's v2 webhook for the step,
// signed with the account's secret, or J&T's trace push (every scan so far). A parcel added under
// AfterShip gets AfterShip's tracking_update.
func (s *Sim) Advance(trackingNumber string, st Step) (Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.parcels[trackingNumber]
	if !ok {
		return Delivery{}, fmt.Errorf("carriersim: no parcel %q", trackingNumber)
	}
	if st.At.IsZero() {
		st.At = s.now()
	}
	st.At = st.At.UTC().Truncate(time.Second)
	p.Steps = append(p.Steps, st)
	switch p.Carrier {
	case shipping.EasyPost:
		return s.easyPostEvent(p)
	case shipping.NinjaVan:
		return s.ninjaVanWebhook(p, st)
	case shipping.JNT:
		return s.jntPush(p)
	}
	return s.afterShipWebhook(p, "tracking_update")
}

// Push moves a parcel one step (Advance) and sends the webhook to url, returning the answer's
// status.
func (s *Sim) Push(ctx context.Context, url, trackingNumber string, st Step) (int, error) {
	d, err := s.Advance(trackingNumber, st)
	if err != nil {
		return 0, err
	}
	return s.Send(ctx, url, d)
}

// Send posts a built webhook to url and returns the answer's status.
func (s *Sim) Send(ctx context.Context, url string, d Delivery) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	for k, vs := range d.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body) // drained so that the connection is kept
	return resp.StatusCode, nil
}

// writeJSON answers with a JSON body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // a client that went away is not the simulator's concern
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
