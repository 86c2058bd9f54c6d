// Package vault seals secrets at rest: channel credentials are stored encrypted with AES-256-GCM
// under a key from ORDO_SECRET_KEY, so that a copy of the database alone does not give away any
// shop's API keys. A sealed value carries a version byte and its nonce; the key's id is not stored,
// so rotating the key means re-sealing (connect the channels again).
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// KeySize is the size of a vault key: AES-256.
const KeySize = 32

// version is the first byte of every sealed value.
const version = 1

// ErrOpen is returned for a value that was not sealed with this vault's key, or was altered.
var ErrOpen = errors.New("vault: cannot open sealed value (wrong ORDO_SECRET_KEY, or the value was altered)")

// Vault seals and opens values with one key. The zero Vault is unusable; create one with New.
type Vault struct{ aead cipher.AEAD }

// New returns a vault over a 32-byte key.
func New(key []byte) (*Vault, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("vault: key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return &Vault{aead: aead}, nil
}

// ParseKey reads a key as ORDO_SECRET_KEY gives it: 32 bytes in standard or URL-safe base64.
func ParseKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, fmt.Errorf("vault: ORDO_SECRET_KEY must be %d random bytes in base64 (openssl rand -base64 32)", KeySize)
}

// DevelopmentKey is the key used when ORDO_SECRET_KEY is not set, so that `make run` works with no
// setup. It is public: a store sealed with it protects nothing, and Ordo says so when it starts.
func DevelopmentKey() []byte {
	k := sha256.Sum256([]byte("ordo development key: set ORDO_SECRET_KEY in production"))
	return k[:]
}

// Seal encrypts plain; context binds the sealed value to what it belongs to (a channel id), so that
// a value copied onto another row does not open.
func (v *Vault) Seal(plain []byte, context string) ([]byte, error) {
	nonce := make([]byte, v.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("vault: nonce: %w", err)
	}
	out := append([]byte{version}, nonce...)
	return v.aead.Seal(out, nonce, plain, []byte(context)), nil
}

// Open decrypts a value sealed with the same key and context.
func (v *Vault) Open(sealed []byte, context string) ([]byte, error) {
	n := v.aead.NonceSize()
	if len(sealed) < 1+n || sealed[0] != version {
		return nil, ErrOpen
	}
	plain, err := v.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(context))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
