package customers

import (
	"strings"
)

// maxEmail is the longest address there is (RFC 5321's 254); longer text is no email.
const maxEmail = 254

// Email is an email address as identities hold it: trimmed and lower-cased. masked reports an
// address a marketplace gave in place of its buyer's own (characters masked out, a relay to the
// marketplace's chat, an address of the marketplace's own domain): it identifies no one, so it
// never becomes an identity. An address without one "@" between a local part and a domain, or
// longer than 254 characters, is "". It is pure.
func Email(raw string) (email string, masked bool) {
	a := strings.ToLower(strings.TrimSpace(raw))
	if a == "" {
		return "", false
	}
	if strings.Contains(a, "*") {
		return "", true
	}
	at := strings.LastIndexByte(a, '@')
	if len(a) > maxEmail || at <= 0 || at == len(a)-1 || strings.Count(a, "@") != 1 || strings.ContainsAny(a, " \t\r\n") {
		return "", false
	}
	if relayDomain(a[at+1:]) {
		return "", true
	}
	return a, false
}

// Masked reports whether address (an email or a phone) is one a marketplace gave in place of its
// buyer's own: a relay that reaches no one or the marketplace's chat (Facebook Marketplace, TikTok
// Shop), an address of the marketplace's own domain (Lazada, Shopee), or one with characters masked
// out (j****@…, +66****1234). It identifies no one, and mail to it bounces or breaks the
// marketplace's rules.
func Masked(address string) bool {
	a := strings.ToLower(strings.TrimSpace(address))
	if strings.Contains(a, "*") {
		return true
	}
	at := strings.LastIndexByte(a, '@')
	return at >= 0 && relayDomain(a[at+1:])
}

// relayDomain reports a domain whose addresses stand for a marketplace buyer without being theirs:
// Facebook Marketplace's relay, TikTok Shop's relays (…@scs.tiktokw.us, the seller chat), and any
// address at Lazada's or Shopee's own domains (lazada.co.th, shopee.vn, …).
func relayDomain(domain string) bool {
	switch {
	case domain == "marketplace.facebook.com",
		domain == "tiktokw.us", strings.HasSuffix(domain, ".tiktokw.us"),
		domain == "chat.seller.tiktok.com":
		return true
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "lazada" || label == "shopee" {
			return true
		}
	}
	return false
}

// callingCodes are the countries whose national numbers Phone understands, with the lengths of
// their national significant numbers (without the trunk 0).
var callingCodes = map[string]struct {
	code     string
	min, max int
}{
	"TH": {"66", 8, 9},
	"VN": {"84", 9, 10},
	"ID": {"62", 8, 12},
	"MY": {"60", 8, 10},
	"PH": {"63", 8, 10},
	"SG": {"65", 8, 8},
}

// Phone is a phone number in E.164 (+66812345678), read as the order's country (an ISO 3166 code)
// dials it: spaces, dashes, dots and brackets dropped, "00" read as "+", a leading trunk 0 replaced
// by the country's calling code. masked reports a number a marketplace masked (66*****89): it
// identifies no one. A number that cannot be a phone (too short or long for its country, letters,
// a national number of a country Phone does not know) is "". It is pure.
func Phone(raw, country string) (e164 string, masked bool) {
	p := strings.TrimSpace(raw)
	if p == "" || len(p) > 64 {
		return "", false
	}
	if strings.Contains(p, "*") {
		return "", true
	}
	digits := make([]byte, 0, len(p))
	plus := false
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '+' && len(digits) == 0 && !plus:
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	d := string(digits)
	if !plus && strings.HasPrefix(d, "00") {
		plus, d = true, d[2:]
	}
	if plus {
		return international(d), false
	}
	cc, ok := callingCodes[strings.ToUpper(strings.TrimSpace(country))]
	if !ok {
		return "", false
	}
	switch {
	case strings.HasPrefix(d, "0") && cc.code != "65":
		d = d[1:]
	case strings.HasPrefix(d, cc.code) && len(d)-len(cc.code) >= cc.min && len(d)-len(cc.code) <= cc.max:
		return international(d), false // the calling code without its "+"
	}
	if len(d) < cc.min || len(d) > cc.max || strings.HasPrefix(d, "0") {
		return "", false
	}
	return "+" + cc.code + d, false
}

// international checks the digits of an international number (calling code first): the lengths of
// a known country's national numbers, else E.164's 8 to 15 digits.
func international(d string) string {
	if len(d) < 8 || len(d) > 15 || strings.HasPrefix(d, "0") {
		return ""
	}
	for _, cc := range callingCodes {
		if rest, ok := strings.CutPrefix(d, cc.code); ok {
			rest = strings.TrimPrefix(rest, "0") // +66 (0)81…: the trunk 0 written after the code
			if len(rest) < cc.min || len(rest) > cc.max {
				return ""
			}
			return "+" + cc.code + rest
		}
	}
	return "+" + d
}
