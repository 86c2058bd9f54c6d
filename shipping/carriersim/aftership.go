package carriersim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/aftership"
)

func (s *Sim) routeAfterShip() {
	s.mux.HandleFunc("GET /aftership/tracking/2025-01/trackings", s.asTrackings)
}

func (s *Sim) asTrackings(w http.ResponseWriter, r *http.Request) {
	if key := r.Header.Get(aftership.HeaderAPIKey); key == "" || key != s.cfg.AfterShipAPIKey {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"meta": map[string]any{"code": 401, "type": "Unauthorized", "message": "Invalid API key."}, "data": map[string]any{}})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []any{}
	for _, n := range strings.Split(r.URL.Query().Get("tracking_numbers"), ",") {
		if p, ok := s.parcels[n]; ok {
			list = append(list, s.afterShipTracking(p))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"meta": map[string]any{"code": 200}, "data": map[string]any{"trackings": list}})
}

// bangkok is the zone AfterShip's checkpoint times are written in here, to exercise offsets.
var bangkok = time.FixedZone("+07", 7*3600)

// afterShipSubtag is a step's subtag: its own, or the tag's first.
func afterShipSubtag(st Step) string {
	switch {
	case st.Subtag != "":
		return st.Subtag
	case st.ReturnToSender:
		return "Exception_011"
	}
	return string(st.Tag) + "_001"
}

// slug is AfterShip's name for the parcel's carrier.
func slug(p *Parcel) string {
	switch p.Carrier {
	case shipping.NinjaVan:
		return "ninjavan-sg"
	case shipping.EasyPost:
		return strings.ToLower(p.CarrierName)
	}
	return "kerry-logistics"
}

// afterShipTracking renders a parcel as an AfterShip Tracking with a checkpoint per step.
func (s *Sim) afterShipTracking(p *Parcel) map[string]any {
	checkpoints := []any{}
	tag, subtag := shipping.Pending, "Pending_001"
	updated := p.CreatedAt
	var edd any
	for _, st := range p.Steps {
		tag, subtag = st.Tag, afterShipSubtag(st)
		msg := st.Message
		if msg == "" {
			msg = string(st.Tag)
		}
		checkpoints = append(checkpoints, map[string]any{"checkpoint_time": st.At.In(bangkok).Format(time.RFC3339),
			"message": msg, "slug": slug(p), "tag": string(st.Tag), "subtag": subtag, "subtag_message": string(st.Tag),
			"location": nil, "city": st.City, "state": nil, "country_region": "THA", "postal_code": nil, "raw_tag": subtag,
			"created_at": rfc3339(st.At)})
		updated = st.At
		if !st.EstimatedDelivery.IsZero() {
			d := st.EstimatedDelivery.In(bangkok).Format(time.DateOnly)
			edd = map[string]any{"estimated_delivery_date": d, "estimated_delivery_date_min": d,
				"estimated_delivery_date_max": st.EstimatedDelivery.In(bangkok).Format(time.RFC3339), "confidence_code": nil}
		}
	}
	return map[string]any{"id": "as" + strings.ToLower(p.TrackingNumber), "tracking_number": p.TrackingNumber, "slug": slug(p),
		"active": !tag.Terminal(), "tag": string(tag), "subtag": subtag, "subtag_message": string(tag),
		"title": p.TrackingNumber, "order_number": p.Reference, "created_at": rfc3339(p.CreatedAt), "updated_at": rfc3339(updated),
		"checkpoints": checkpoints, "aftership_estimated_delivery_date": edd}
}

// afterShipWebhook builds an AfterShip webhook about a parcel, signed.
func (s *Sim) afterShipWebhook(p *Parcel, event string) (Delivery, error) {
	n := s.next()
	body, err := json.Marshal(map[string]any{"event": event,
		"event_id":              fmt.Sprintf("00000000-0000-4000-8000-%012d", n),
		"is_tracking_first_tag": len(p.Steps) == 1, "msg": s.afterShipTracking(p), "ts": s.now().Unix()})
	if err != nil {
		return Delivery{}, err
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("As-Webhook-Version", "2026-07")
	h.Set(aftership.HeaderSignature, aftership.Sign(s.cfg.AfterShipWebhookSecret, body))
	return Delivery{Header: h, Body: body}, nil
}

// AfterShipUpdate builds the tracking_update AfterShip sends about a parcel (of any carrier) as it
// stands, without moving it.
func (s *Sim) AfterShipUpdate(trackingNumber string) (Delivery, error) {
	return s.afterShip(trackingNumber, "tracking_update", time.Time{})
}

// AfterShipEDDRevise sets a parcel's estimated delivery and builds AfterShip's edd_revise for it.
func (s *Sim) AfterShipEDDRevise(trackingNumber string, estimate time.Time) (Delivery, error) {
	return s.afterShip(trackingNumber, "edd_revise", estimate)
}

func (s *Sim) afterShip(trackingNumber, event string, estimate time.Time) (Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.parcels[trackingNumber]
	if !ok {
		return Delivery{}, fmt.Errorf("carriersim: no parcel %q", trackingNumber)
	}
	if !estimate.IsZero() {
		if len(p.Steps) == 0 {
			return Delivery{}, fmt.Errorf("carriersim: parcel %q has no step to revise the estimate of", trackingNumber)
		}
		p.Steps[len(p.Steps)-1].EstimatedDelivery = estimate
	}
	return s.afterShipWebhook(p, event)
}
