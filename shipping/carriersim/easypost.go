package carriersim

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/easypost"
)

// shipment is a simulated EasyPost shipment.
type shipment struct {
	ID, Reference string
	Rates         []map[string]any
	Format        string
	COD           string
	Tracking      string
	RefundStatus  string
}

// easyPostServices are the services the simulated EasyPost quotes: a base price and a price per
// ounce in cents, and a transit time.
var easyPostServices = []struct {
	carrier, service string
	base, perOunce   int64
	days             int
}{
	{"USPS", "GroundAdvantage", 400, 25, 5},
	{"USPS", "Priority", 800, 40, 2},
	{"FedEx", "FEDEX_GROUND", 900, 30, 4},
}

func (s *Sim) routeEasyPost() {
	s.mux.HandleFunc("POST /easypost/v2/shipments", s.easyPostAuth(s.epCreateShipment))
	s.mux.HandleFunc("GET /easypost/v2/shipments/{id}", s.easyPostAuth(s.epGetShipment))
	s.mux.HandleFunc("POST /easypost/v2/shipments/{id}/buy", s.easyPostAuth(s.epBuy))
	s.mux.HandleFunc("POST /easypost/v2/shipments/{id}/refund", s.easyPostAuth(s.epRefund))
	s.mux.HandleFunc("GET /easypost/v2/trackers", s.easyPostAuth(s.epListTrackers))
	s.mux.HandleFunc("POST /easypost/v2/trackers", s.easyPostAuth(s.epCreateTracker))
	s.mux.HandleFunc("GET /easypost/labels/{id}", s.serveFile)
}

func epError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": message, "errors": []any{}}})
}

// easyPostAuth checks HTTP Basic authentication with the API key as user name.
func (s *Sim) easyPostAuth(h func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		user, _, ok := r.BasicAuth()
		if !ok || user == "" || user != s.cfg.EasyPostAPIKey {
			epError(w, http.StatusUnauthorized, "APIKEY.REQUIRED", "API key required or invalid")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		h(w, r)
	}
}

func (s *Sim) epCreateShipment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Shipment struct {
			Reference   string         `json:"reference"`
			FromAddress map[string]any `json:"from_address"`
			ToAddress   map[string]any `json:"to_address"`
			Parcel      struct {
				Weight float64 `json:"weight"`
			} `json:"parcel"`
			Options map[string]string `json:"options"`
		} `json:"shipment"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		epError(w, http.StatusUnprocessableEntity, "PARAMETER.INVALID", err.Error())
		return
	}
	sh := in.Shipment
	for _, a := range []map[string]any{sh.FromAddress, sh.ToAddress} {
		if a["street1"] == nil || a["street1"] == "" || a["country"] == nil || a["country"] == "" {
			epError(w, http.StatusUnprocessableEntity, "ADDRESS.VERIFY.FAILURE", "an address needs street1 and country")
			return
		}
	}
	if sh.Parcel.Weight <= 0 {
		epError(w, http.StatusUnprocessableEntity, "PARCEL.WEIGHT.INVALID", "weight must be positive")
		return
	}
	id := fmt.Sprintf("shp_sim%06d", s.next())
	ounces := int64(math.Ceil(sh.Parcel.Weight))
	e := &shipment{ID: id, Reference: sh.Reference, Format: strings.ToUpper(sh.Options["label_format"]), COD: sh.Options["cod_amount"]}
	for _, svc := range easyPostServices {
		e.Rates = append(e.Rates, map[string]any{
			"id": fmt.Sprintf("rate_sim%06d", s.next()), "object": "Rate", "shipment_id": id,
			"carrier": svc.carrier, "service": svc.service, "currency": "USD",
			"rate": shipping.FormatMinor(svc.base+svc.perOunce*ounces, 2), "delivery_days": svc.days, "est_delivery_days": svc.days,
		})
	}
	s.shipments[id] = e
	writeJSON(w, http.StatusCreated, s.epShipmentJSON(e))
}

func (s *Sim) epShipmentJSON(e *shipment) map[string]any {
	out := map[string]any{"id": e.ID, "object": "Shipment", "mode": "test", "reference": e.Reference, "rates": e.Rates,
		"tracking_code": nil, "postage_label": nil, "selected_rate": nil, "refund_status": nil, "messages": []any{}}
	if e.RefundStatus != "" {
		out["refund_status"] = e.RefundStatus
	}
	if e.Tracking == "" {
		return out
	}
	p := s.parcels[e.Tracking]
	out["tracking_code"] = e.Tracking
	for _, rt := range e.Rates {
		if rt["carrier"] == p.CarrierName && rt["service"] == p.Service {
			out["selected_rate"] = rt
		}
	}
	ext, ctype := "pdf", "application/pdf"
	if e.Format == "ZPL" {
		ext, ctype = "zpl", "application/zpl"
	}
	out["postage_label"] = map[string]any{"object": "PostageLabel", "label_file_type": ctype,
		"label_url": fmt.Sprintf("%s/easypost/labels/%s.%s", s.base, e.ID, ext)}
	out["tracker"] = s.trackerJSON(p)
	return out
}

func (s *Sim) epGetShipment(w http.ResponseWriter, r *http.Request) {
	e, ok := s.shipments[r.PathValue("id")]
	if !ok {
		epError(w, http.StatusNotFound, "NOT_FOUND", "no such shipment")
		return
	}
	writeJSON(w, http.StatusOK, s.epShipmentJSON(e))
}

func (s *Sim) epBuy(w http.ResponseWriter, r *http.Request) {
	e, ok := s.shipments[r.PathValue("id")]
	if !ok {
		epError(w, http.StatusNotFound, "NOT_FOUND", "no such shipment")
		return
	}
	if e.Tracking != "" {
		epError(w, http.StatusUnprocessableEntity, "SHIPMENT.POSTAGE.EXISTS", "postage already exists for this shipment")
		return
	}
	var in struct {
		Rate struct {
			ID string `json:"id"`
		} `json:"rate"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		epError(w, http.StatusUnprocessableEntity, "PARAMETER.INVALID", err.Error())
		return
	}
	var chosen map[string]any
	for _, rt := range e.Rates {
		if rt["id"] == in.Rate.ID {
			chosen = rt
		}
	}
	if chosen == nil {
		epError(w, http.StatusUnprocessableEntity, "SHIPMENT.RATE.INVALID", "the rate is not one of this shipment's")
		return
	}
	n := s.next()
	tracking := fmt.Sprintf("EZ%010d", n)
	p := &Parcel{Carrier: shipping.EasyPost, TrackingNumber: tracking, Ref: e.ID, Reference: e.Reference, CreatedAt: s.now(),
		CarrierName: chosen["carrier"].(string), Service: chosen["service"].(string), TrackerID: fmt.Sprintf("trk_sim%06d", n), COD: e.COD}
	s.parcels[tracking] = p
	s.trackers[p.TrackerID] = tracking
	e.Tracking = tracking
	lines := []string{p.CarrierName + " " + p.Service, "REF " + e.Reference, tracking}
	if e.Format == "ZPL" {
		s.files[e.ID+".zpl"] = file{"application/zpl", zpl(tracking, lines[:2]...)}
	} else {
		s.files[e.ID+".pdf"] = file{"application/pdf", pdf(lines...)}
	}
	writeJSON(w, http.StatusOK, s.epShipmentJSON(e))
}

func (s *Sim) epRefund(w http.ResponseWriter, r *http.Request) {
	e, ok := s.shipments[r.PathValue("id")]
	if !ok {
		epError(w, http.StatusNotFound, "NOT_FOUND", "no such shipment")
		return
	}
	if e.Tracking == "" {
		epError(w, http.StatusUnprocessableEntity, "SHIPMENT.REFUND.UNAVAILABLE", "the shipment has no postage")
		return
	}
	p := s.parcels[e.Tracking]
	switch {
	case p.pickedUp():
		e.RefundStatus = "rejected"
	default:
		e.RefundStatus, p.Cancelled = "submitted", true
	}
	writeJSON(w, http.StatusOK, s.epShipmentJSON(e))
}

func (s *Sim) epListTrackers(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("tracking_code")
	list := []any{}
	if p, ok := s.parcels[code]; ok && p.TrackerID != "" {
		list = append(list, s.trackerJSON(p))
	}
	writeJSON(w, http.StatusOK, map[string]any{"trackers": list, "has_more": false})
}

func (s *Sim) epCreateTracker(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Tracker struct {
			TrackingCode string `json:"tracking_code"`
		} `json:"tracker"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Tracker.TrackingCode == "" {
		epError(w, http.StatusUnprocessableEntity, "TRACKER.CREATE.ERROR", "a tracking_code is required")
		return
	}
	p, ok := s.parcels[in.Tracker.TrackingCode]
	if !ok {
		p = &Parcel{Carrier: shipping.EasyPost, TrackingNumber: in.Tracker.TrackingCode, CarrierName: "USPS", CreatedAt: s.now()}
		s.parcels[p.TrackingNumber] = p
	}
	if p.TrackerID == "" {
		p.TrackerID = fmt.Sprintf("trk_sim%06d", s.next())
		s.trackers[p.TrackerID] = p.TrackingNumber
	}
	writeJSON(w, http.StatusCreated, s.trackerJSON(p))
}

func (s *Sim) serveFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	f, ok := s.files[r.PathValue("id")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	_, _ = w.Write(f.body) // a client that went away is not the simulator's concern
}

// easyPostStatus renders a step as EasyPost's status and status_detail.
func easyPostStatus(st Step) (status, detail string) {
	switch st.Tag {
	case shipping.InfoReceived:
		status, detail = "pre_transit", "label_created"
	case shipping.InTransit:
		status, detail = "in_transit", "arrived_at_facility"
	case shipping.OutForDelivery:
		status, detail = "out_for_delivery", "out_for_delivery"
	case shipping.AttemptFail:
		status, detail = "failure", "delivery_exception"
	case shipping.Delivered:
		status, detail = "delivered", "arrived_at_destination"
	case shipping.AvailableForPickup:
		status, detail = "available_for_pickup", "arrived_at_pickup_location"
	case shipping.Exception, shipping.Expired:
		status, detail = "error", "delivery_exception"
	default:
		status, detail = "unknown", "unknown"
	}
	if st.ReturnToSender {
		status, detail = "return_to_sender", "return"
	}
	if shipping.IsDelaySubtag(st.Subtag) {
		detail = "delayed"
	}
	return status, detail
}

// trackerJSON renders a parcel as an EasyPost Tracker.
func (s *Sim) trackerJSON(p *Parcel) map[string]any {
	details := []any{}
	status, detail := "unknown", "unknown"
	var est any
	updated := p.CreatedAt
	isReturn := false
	for _, st := range p.Steps {
		status, detail = easyPostStatus(st)
		msg := st.Message
		if msg == "" {
			msg = strings.ReplaceAll(status, "_", " ")
		}
		details = append(details, map[string]any{"object": "TrackingDetail", "message": msg, "description": msg,
			"status": status, "status_detail": detail, "datetime": rfc3339(st.At), "source": p.CarrierName, "carrier_code": "",
			"tracking_location": map[string]any{"object": "TrackingLocation", "city": st.City, "state": nil, "country": "US", "zip": nil}})
		if !st.EstimatedDelivery.IsZero() {
			est = rfc3339(st.EstimatedDelivery)
		}
		updated = st.At
		isReturn = isReturn || st.ReturnToSender
	}
	return map[string]any{"id": p.TrackerID, "object": "Tracker", "mode": "test", "tracking_code": p.TrackingNumber,
		"status": status, "status_detail": detail, "created_at": rfc3339(p.CreatedAt), "updated_at": rfc3339(updated),
		"signed_by": nil, "weight": nil, "est_delivery_date": est, "shipment_id": p.Ref, "carrier": p.CarrierName,
		"tracking_details": details, "carrier_detail": nil, "finalized": status == "delivered", "is_return": isReturn,
		"public_url": "https://track.easypost.com/" + p.TrackerID}
}

// easyPostEvent builds the tracker.updated Event for a parcel, signed.
func (s *Sim) easyPostEvent(p *Parcel) (Delivery, error) {
	prev := "unknown"
	if n := len(p.Steps); n > 1 {
		prev, _ = easyPostStatus(p.Steps[n-2])
	}
	now := s.now()
	body, err := json.Marshal(map[string]any{"id": fmt.Sprintf("evt_sim%06d", s.next()), "object": "Event", "mode": "test",
		"description": "tracker.updated", "previous_attributes": map[string]any{"status": prev}, "status": "pending",
		"created_at": rfc3339(now), "updated_at": rfc3339(now), "pending_urls": []any{}, "completed_urls": []any{},
		"user_id": "user_sim", "result": s.trackerJSON(p)})
	if err != nil {
		return Delivery{}, err
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(easypost.HeaderSignature, easypost.Sign(s.cfg.EasyPostWebhookSecret, body))
	return Delivery{Header: h, Body: body}, nil
}
