package jnt

import (
	"bytes"
	"crypto/md5"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/shipping"
)

// Headers J&T sends with a push.
const (
	HeaderDigest    = "Digest"
	HeaderAccount   = "ApiAccount"
	HeaderTimestamp = "Timestamp"
)

// Ack is the answer J&T expects to a push it should not resend.
const Ack = `{"code":"1","msg":"success","data":"SUCCESS"}`

// Digest is the digest header's value for a bizContent: base64(MD5(bizContent + private key)).
func Digest(bizContent, privateKey string) string {
	sum := md5.Sum([]byte(bizContent + privateKey))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// Form builds a push's body for a bizContent, as J&T posts it.
func Form(bizContent string) []byte {
	return []byte(url.Values{"bizContent": {bizContent}}.Encode())
}

// Webhooks verifies and reads J&T pushes for one account.
type Webhooks struct {
	// PrivateKey is the account's private key, which signs pushes.
	PrivateKey string
	// Location is where J&T's scan times are local to (they carry no zone); nil: Asia/Kuala_Lumpur.
	Location *time.Location
}

var _ shipping.TrackingSource = Webhooks{}

// bizContent reads the bizContent field of a form body.
func bizContent(body []byte) (string, error) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return "", fmt.Errorf("jnt: push is not a form: %w", err)
	}
	b := v.Get("bizContent")
	if b == "" {
		return "", fmt.Errorf("jnt: push has no bizContent")
	}
	return b, nil
}

// Verify implements shipping.TrackingSource: the digest header against the bizContent's, in
// constant time. A body without bizContent cannot be verified: ErrBadSignature.
func (w Webhooks) Verify(h http.Header, body []byte) error {
	sig := strings.TrimSpace(h.Get(HeaderDigest))
	if sig == "" {
		return shipping.ErrUnsigned
	}
	if w.PrivateKey == "" {
		return fmt.Errorf("%w: no private key configured", shipping.ErrBadSignature)
	}
	biz, err := bizContent(body)
	if err != nil {
		return fmt.Errorf("%w: %v", shipping.ErrBadSignature, err)
	}
	if subtle.ConstantTimeCompare([]byte(sig), []byte(Digest(biz, w.PrivateKey))) != 1 {
		return shipping.ErrBadSignature
	}
	return nil
}

// Ack implements shipping.Acknowledger.
func (Webhooks) Ack() (string, []byte) { return "application/json", []byte(Ack) }

// trace is one waybill's scans.
type trace struct {
	BillCode     string `json:"billCode"`
	TxLogisticID string `json:"txlogisticId"`
	Details      []scan `json:"details"`
}

type scan struct {
	ScanTime        string          `json:"scanTime"`
	Desc            string          `json:"desc"`
	ScanTypeCode    channels.Scalar `json:"scanTypeCode"`
	ScanTypeName    string          `json:"scanTypeName"`
	ScanType        string          `json:"scanType"`
	ScanNetworkName string          `json:"scanNetworkName"`
	ScanNetworkCity string          `json:"scanNetworkCity"`
	Province        string          `json:"scanNetworkProvince"`
	Country         string          `json:"scanNetworkCountry"`
	ProblemType     string          `json:"problemType"`
	Remark          string          `json:"remark"`
}

// Parse implements shipping.TrackingSource: one event per scan of every waybill in bizContent (an
// object or an array of them), identified by billCode, scanTime and scanTypeCode, as J&T resends
// earlier scans and gives none an id.
func (w Webhooks) Parse(_ http.Header, body []byte) ([]shipping.TrackingEvent, error) {
	biz, err := bizContent(body)
	if err != nil {
		return nil, err
	}
	var traces []trace
	if b := bytes.TrimSpace([]byte(biz)); len(b) > 0 && b[0] == '{' {
		var t trace
		err = json.Unmarshal(b, &t)
		traces = []trace{t}
	} else {
		err = json.Unmarshal(b, &traces)
	}
	if err != nil {
		return nil, fmt.Errorf("jnt: bizContent: %w", err)
	}
	loc := w.Location
	if loc == nil {
		loc = kualaLumpur
	}
	var out []shipping.TrackingEvent
	for _, t := range traces {
		if t.BillCode == "" {
			return nil, fmt.Errorf("jnt: a trace without billCode")
		}
		for _, s := range t.Details {
			code := s.ScanTypeCode.String()
			m, ok := scanTypes[code]
			if !ok {
				m = meaning{tag: shipping.Pending}
			}
			raw, _ := json.Marshal(s)
			e := shipping.TrackingEvent{
				Source:         shipping.JNT,
				EventID:        strings.Join([]string{t.BillCode, s.ScanTime, code}, "/"),
				TrackingNumber: t.BillCode,
				Carrier:        "jtexpress-my",
				Tag:            m.tag,
				RawStatus:      strings.TrimSpace(code + " " + s.ScanTypeName),
				Message:        firstNonEmpty(s.Desc, s.ScanTypeName, s.ScanType),
				Location:       joinNonEmpty(", ", s.ScanNetworkName, s.ScanNetworkCity, s.Province, s.Country),
				OccurredAt:     parseTime(s.ScanTime, loc),
				ReturnToSender: m.rts,
				Delay:          m.delay,
				Raw:            raw,
			}
			if s.ProblemType != "" {
				e.Message += ": " + s.ProblemType
			}
			out = append(out, e)
		}
	}
	return out, nil
}

var kualaLumpur = time.FixedZone("+08", 8*3600)

// parseTime reads a scan time, local to loc ("2026-12-01 10:15:00"), or RFC 3339; zero when
// malformed.
func parseTime(s string, loc *time.Location) time.Time {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation(time.DateTime, s, loc); err == nil {
		return t.UTC()
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	return time.Time{}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
