package carriersim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/jnt"
)

// jntScanType renders a step as J&T's scanTypeCode and name.
func jntScanType(st Step, first bool) (string, string) {
	switch {
	case st.ReturnToSender:
		return "172", "Return Scan"
	case st.Tag == shipping.InTransit && first:
		return "10", "Parcel Pickup"
	}
	switch st.Tag {
	case shipping.InTransit:
		return "30", "Arrival"
	case shipping.OutForDelivery:
		return "94", "Delivery Scan"
	case shipping.Delivered:
		return "100", "Parcel Signed"
	case shipping.AttemptFail:
		return "110", "Problematic Scanning"
	case shipping.Expired:
		return "304", "Exceed Life Cycle"
	case shipping.Exception:
		return "300", "Lost Parcel"
	}
	return "0", "Order Created"
}

// jntPush builds J&T's trace push for a parcel: every scan so far, signed.
func (s *Sim) jntPush(p *Parcel) (Delivery, error) {
	kl := time.FixedZone("+08", 8*3600)
	details := []any{}
	first := true
	for _, st := range p.Steps {
		code, name := jntScanType(st, first)
		first = first && st.Tag != shipping.InTransit
		desc := st.Message
		if desc == "" {
			desc = name
		}
		details = append(details, map[string]any{"scanTime": st.At.In(kl).Format(time.DateTime), "desc": desc,
			"scanTypeCode": code, "scanTypeName": name, "scanType": name, "scanNetworkName": st.City + " DP",
			"scanNetworkCity": st.City, "scanNetworkCountry": "Malaysia", "timeZone": "GMT+08:00"})
	}
	biz, err := json.Marshal([]any{map[string]any{"billCode": p.TrackingNumber, "txlogisticId": p.Reference, "details": details}})
	if err != nil {
		return Delivery{}, err
	}
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set(jnt.HeaderAccount, s.cfg.JNTAPIAccount)
	h.Set(jnt.HeaderTimestamp, strconv.FormatInt(s.now().UnixMilli(), 10))
	h.Set(jnt.HeaderDigest, jnt.Digest(string(biz), s.cfg.JNTPrivateKey))
	return Delivery{Header: h, Body: jnt.Form(string(biz))}, nil
}
