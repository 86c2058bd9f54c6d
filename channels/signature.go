package channels

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// HMACHex is the lowercase hex HMAC-SHA256 of msg keyed with secret: how Shopee, Lazada and
// TikTok Shop sign, each over its own string (a URL, an app key, a path and parameters…).
func HMACHex(secret, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// CheckHMACHex compares a hex signature (in either case) with the HMAC-SHA256 of signed keyed with
// secret, in constant time. An empty signature is ErrUnsigned; a wrong or malformed one
// ErrBadSignature.
func CheckHMACHex(sig, secret, signed string) error {
	sig = strings.TrimSpace(sig)
	if sig == "" {
		return ErrUnsigned
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		return ErrBadSignature
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(signed))
	if !hmac.Equal(got, m.Sum(nil)) {
		return ErrBadSignature
	}
	return nil
}

// CheckAge refuses, with ErrStale, a message stamped more than maxAge before now or more than
// ahead after it (a clock that runs fast).
func CheckAge(at, now time.Time, maxAge, ahead time.Duration) error {
	if now.Sub(at) > maxAge || at.Sub(now) > ahead {
		return ErrStale
	}
	return nil
}
