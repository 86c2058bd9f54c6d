package webhooks

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SecretPrefix starts every signing secret as Standard Webhooks writes it: whsec_ and the key in
// base64.
const SecretPrefix = "whsec_"

// NewSecret makes a random 32-byte signing secret, written whsec_<base64>.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return SecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// ParseSecret reads a whsec_ secret (the prefix is optional) into its key, which must be 24 to 64
// bytes.
func ParseSecret(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, SecretPrefix))
	if err != nil {
		return nil, fmt.Errorf("a signing secret is whsec_ and base64: %w", err)
	}
	if len(key) < 24 || len(key) > 64 {
		return nil, fmt.Errorf("a signing secret is 24 to 64 bytes, not %d", len(key))
	}
	return key, nil
}

// Sign is the v1 signature of one message under one key: base64 of HMAC-SHA256 over
// "{id}.{unix seconds}.{body}", written "v1,<base64>".
func Sign(key []byte, id string, at time.Time, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id))
	mac.Write([]byte{'.'})
	mac.Write([]byte(strconv.FormatInt(at.Unix(), 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Headers are the three headers of a signed message: webhook-id, webhook-timestamp and
// webhook-signature, the last with one signature per key (space-separated), so that a receiver
// holding either the new or the old secret during a rotation verifies it.
func Headers(keys [][]byte, id string, at time.Time, body []byte) map[string]string {
	sigs := make([]string, len(keys))
	for i, k := range keys {
		sigs[i] = Sign(k, id, at, body)
	}
	return map[string]string{
		"webhook-id":        id,
		"webhook-timestamp": strconv.FormatInt(at.Unix(), 10),
		"webhook-signature": strings.Join(sigs, " "),
	}
}
