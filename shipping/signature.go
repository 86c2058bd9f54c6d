package shipping

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// Base64HMAC is base64(HMAC-SHA256(secret, body)): how AfterShip and Ninja Van sign their webhooks.
func Base64HMAC(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// CheckBase64HMAC compares a Base64HMAC signature a carrier sent with the body's, in constant time.
// An empty signature is ErrUnsigned; a wrong or malformed one, or no secret to check it with,
// ErrBadSignature.
func CheckBase64HMAC(sig, secret string, body []byte) error {
	sig = strings.TrimSpace(sig)
	if sig == "" {
		return ErrUnsigned
	}
	if secret == "" {
		return fmt.Errorf("%w: no secret configured", ErrBadSignature)
	}
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return fmt.Errorf("%w: not base64", ErrBadSignature)
	}
	want, _ := base64.StdEncoding.DecodeString(Base64HMAC(secret, body))
	if !hmac.Equal(got, want) {
		return ErrBadSignature
	}
	return nil
}
