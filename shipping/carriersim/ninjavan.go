package carriersim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/ninjavan"
)

func (s *Sim) routeNinjaVan() {
	s.mux.HandleFunc("POST /ninjavan/{cc}/2.0/oauth/access_token", s.nvToken)
	s.mux.HandleFunc("POST /ninjavan/{cc}/4.2/orders", s.ninjaVanAuth(s.nvCreateOrder))
	s.mux.HandleFunc("DELETE /ninjavan/{cc}/2.2/orders/{tid}", s.ninjaVanAuth(s.nvCancel))
	s.mux.HandleFunc("GET /ninjavan/{cc}/2.0/reports/waybill", s.ninjaVanAuth(s.nvWaybill))
}

func nvError(w http.ResponseWriter, status int, title, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"request_id": "sim", "title": title, "message": message, "details": []any{}}})
}

func (s *Sim) nvToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
		GrantType    string `json:"grant_type"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.GrantType != "client_credentials" {
		nvError(w, http.StatusBadRequest, "BAD_REQUEST", "grant_type must be client_credentials")
		return
	}
	if in.ClientID == "" || in.ClientID != s.cfg.NinjaVanClientID || in.ClientSecret != s.cfg.NinjaVanClientSecret {
		nvError(w, http.StatusUnauthorized, "UNAUTHORIZED", "invalid client credentials")
		return
	}
	s.mu.Lock()
	token := fmt.Sprintf("nvtok%06d", s.next())
	expires := s.now().Add(s.cfg.TokenLifetime)
	s.tokens[token] = expires
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": token, "expires": expires.Unix(), "token_type": "bearer",
		"expires_in": int64(s.cfg.TokenLifetime / time.Second)})
}

// ExpireTokens makes every Ninja Van token issued so far expire, as if time had passed.
func (s *Sim) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// ninjaVanAuth checks the bearer token.
func (s *Sim) ninjaVanAuth(h func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if exp, known := s.tokens[token]; !ok || !known || !s.now().Before(exp) {
			nvError(w, http.StatusUnauthorized, "UNAUTHORIZED", "invalid or expired access token")
			return
		}
		h(w, r)
	}
}

func (s *Sim) nvCreateOrder(w http.ResponseWriter, r *http.Request) {
	var in ninjavan.OrderRequest
	var raw map[string]any
	err := json.NewDecoder(r.Body).Decode(&raw)
	if err == nil {
		var body []byte
		if body, err = json.Marshal(raw); err == nil {
			err = json.Unmarshal(body, &in)
		}
	}
	if err != nil {
		nvError(w, http.StatusBadRequest, "BAD_REQUEST", err.Error())
		return
	}
	switch {
	case in.ServiceType == "" || in.ServiceLevel == "":
		nvError(w, http.StatusBadRequest, "BAD_REQUEST", "service_type and service_level are required")
		return
	case in.To.Address.Address1 == "" || in.To.Address.Postcode == "" || in.From.Address.Address1 == "":
		nvError(w, http.StatusBadRequest, "BAD_REQUEST", "from and to need address1 and postcode")
		return
	case in.ParcelJob.Dimensions.Weight <= 0:
		nvError(w, http.StatusBadRequest, "BAD_REQUEST", "parcel_job.dimensions.weight must be positive")
		return
	case in.ParcelJob.DeliveryStartDate == "" || in.ParcelJob.DeliveryTimeslot.Timezone == "":
		nvError(w, http.StatusBadRequest, "BAD_REQUEST", "parcel_job.delivery_start_date and delivery_timeslot are required")
		return
	}
	tid := fmt.Sprintf("NV%sSIM%08d", strings.ToUpper(r.PathValue("cc")), s.next())
	p := &Parcel{Carrier: shipping.NinjaVan, TrackingNumber: tid, Ref: tid, Reference: in.Reference.MerchantOrderNumber,
		CarrierName: "ninjavan", Service: in.ServiceLevel, CreatedAt: s.now()}
	if in.ParcelJob.CashOnDelivery != nil {
		p.COD = fmt.Sprint(*in.ParcelJob.CashOnDelivery)
	}
	s.parcels[tid] = p
	raw["tracking_number"] = tid
	writeJSON(w, http.StatusOK, raw)
}

func (s *Sim) nvCancel(w http.ResponseWriter, r *http.Request) {
	p, ok := s.parcels[r.PathValue("tid")]
	switch {
	case !ok || p.Carrier != shipping.NinjaVan:
		nvError(w, http.StatusNotFound, "NOT_FOUND", "no such order")
	case p.pickedUp():
		nvError(w, http.StatusBadRequest, "BAD_REQUEST", "the order can no longer be cancelled")
	default:
		p.Cancelled = true
		writeJSON(w, http.StatusOK, map[string]any{"trackingId": p.TrackingNumber, "status": "Cancelled", "updatedAt": rfc3339(s.now())})
	}
}

func (s *Sim) nvWaybill(w http.ResponseWriter, r *http.Request) {
	tids := strings.Split(r.URL.Query().Get("tids"), ",")
	lines := []string{"Ninja Van waybill"}
	for _, tid := range tids {
		if _, ok := s.parcels[tid]; !ok {
			nvError(w, http.StatusNotFound, "NOT_FOUND", "no order "+tid)
			return
		}
		lines = append(lines, tid)
	}
	w.Header().Set("Content-Type", "application/pdf")
	_, _ = w.Write(pdf(lines...)) // a client that went away is not the simulator's concern
}

// ninjaVanEvent renders a step as a Ninja Van v2 event and status; first tells a first pickup from
// later transit scans.
func ninjaVanEvent(st Step, first bool) (event, status string) {
	switch {
	case st.ReturnToSender:
		return "Returned to Sender", "Returned to Sender"
	case st.Subtag == "Exception_004":
		return "International Transit, Customs Held", "International Transit"
	}
	switch st.Tag {
	case shipping.Pending, shipping.InfoReceived:
		return "Pending Pickup", "Pending Pickup"
	case shipping.InTransit:
		if first {
			return "Picked Up, In Transit to Origin Hub", "Picked Up"
		}
		return "Arrived at Transit Hub", "Arrived at Transit Hub"
	case shipping.OutForDelivery:
		return "On Vehicle for Delivery", "On Vehicle for Delivery"
	case shipping.AttemptFail:
		return "Delivery Exception, Pending Reschedule", "Delivery Exception"
	case shipping.Delivered:
		return "Delivered, Received by Customer", "Delivered"
	case shipping.AvailableForPickup:
		return "At PUDO, Pending Customer Collection", "At PUDO"
	case shipping.Expired:
		return "Cancelled", "Cancelled"
	}
	return "Delivery Exception, Max Attempts Reached", "Delivery Exception"
}

// ninjaVanWebhook builds the v2 webhook for a parcel's latest step, signed.
func (s *Sim) ninjaVanWebhook(p *Parcel, st Step) (Delivery, error) {
	first := true
	for _, prev := range p.Steps[:len(p.Steps)-1] {
		first = first && prev.Tag != shipping.InTransit
	}
	event, status := ninjaVanEvent(st, first)
	rts := st.ReturnToSender
	for _, prev := range p.Steps {
		rts = rts || prev.ReturnToSender
	}
	payload := map[string]any{"tracking_id": p.TrackingNumber, "shipper_order_ref_no": p.Reference,
		"timestamp": st.At.In(time.FixedZone("+08", 8*3600)).Format(time.RFC3339), "event": event, "status": status,
		"is_parcel_on_rts_leg": rts}
	switch {
	case event == "Arrived at Transit Hub":
		payload["arrived_at_transit_hub_information"] = map[string]any{"country": "SG", "city": st.City, "hub": st.City + " Hub"}
	case st.Tag == shipping.AttemptFail:
		reason := st.Message
		if reason == "" {
			reason = "Nobody at Location"
		}
		payload["delivery_exception"] = map[string]any{"state": "Pending Reschedule", "failure_reason": reason, "is_liable": false}
	case st.Tag == shipping.Delivered:
		payload["delivery_information"] = map[string]any{"state": "Received by Customer", "left_in_safe_place": false}
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return Delivery{}, err
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(ninjavan.HeaderSignature, ninjavan.Sign(s.cfg.NinjaVanClientSecret, body))
	return Delivery{Header: h, Body: body}, nil
}
