package marketsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// decimal writes minor units as the decimal string channels use for money ("12.50", "48000").
func decimal(minor int64, currency string) string {
	exp, err := channels.Exponent(currency)
	if err != nil || exp == 0 {
		return fmt.Sprint(minor)
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	p := int64(1)
	for range exp {
		p *= 10
	}
	return fmt.Sprintf("%s%d.%0*d", sign, minor/p, exp, minor%p)
}

// writeJSON answers v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// zone is the shops' local time, in which channels that write offsets render their times.
var zone = time.FixedZone("+07:00", 7*3600)

// split reads a comma-separated list, dropping blanks.
func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
