package marketsim

import (
	"errors"
	"fmt"
	"time"

	"github.com/ordo-oms/ordo/channels"
)

// tokens are a shop's OAuth tokens as the channel's auth server keeps them: the access tokens it
// issued and when each expires, the one refresh token that is good now, and the ones spent.
type tokens struct {
	access  map[string]time.Time // zero: never expires
	refresh string
	// keep: the refresh token stays the same (Square's code flow); else it rotates.
	keep  bool
	spent map[string]bool
	seq   int
	// refreshes counts rotations, reuses refreshes sent with a spent refresh token, expired calls
	// refused for an expired access token.
	refreshes, reuses, expired int
}

// tokenState is what the auth server makes of an access token.
type tokenState int

const (
	tokenGood tokenState = iota
	tokenExpired
	tokenUnknown
)

// The refresh tokens the simulator issues last 30 days, as Shopee's and Lazada's do.
const refreshLifetime = 30 * 24 * time.Hour

// The answers to a refresh that cannot be made.
var (
	errRefreshSpent   = errors.New("the refresh token was already used")
	errRefreshUnknown = errors.New("the refresh token is invalid")
)

// initTokens registers the shop's configured tokens, the access token issued now.
func (sh *Shop) initTokens() {
	c := sh.cfg.Credentials
	sh.tok = tokens{access: map[string]time.Time{}, refresh: c.RefreshToken, spent: map[string]bool{}, keep: sh.cfg.Kind == channels.POS}
	if c.AccessToken != "" {
		sh.tok.access[c.AccessToken] = sh.expiry(sh.sim.now())
	}
}

// expiry is when an access token issued at now expires: zero when tokens do not expire.
func (sh *Shop) expiry(now time.Time) time.Time {
	if sh.sim.opt.TokenLifetime <= 0 {
		return time.Time{}
	}
	return now.Add(sh.sim.opt.TokenLifetime)
}

// checkToken says whether a call's access token is good now, counting the expired ones.
func (sh *Shop) checkToken(token string) tokenState {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	exp, ok := sh.tok.access[token]
	switch {
	case token == "" || !ok:
		return tokenUnknown
	case !exp.IsZero() && !sh.sim.now().Before(exp):
		sh.tok.expired++
		return tokenExpired
	}
	return tokenGood
}

// rotate spends a refresh token for a new access token and a new refresh token, as a channel's
// token refresh does; the token sent is refused from then on. Square's code flow keeps its refresh
// token: it is answered again.
func (sh *Shop) rotate(refresh string) (channels.Tokens, error) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	switch {
	case sh.tok.spent[refresh]:
		sh.tok.reuses++
		return channels.Tokens{}, errRefreshSpent
	case refresh == "" || refresh != sh.tok.refresh:
		return channels.Tokens{}, errRefreshUnknown
	}
	now := sh.sim.now()
	sh.tok.seq++
	sh.tok.refreshes++
	t := channels.Tokens{
		AccessToken:      fmt.Sprintf("%s.a%d", sh.cfg.Credentials.AccessToken, sh.tok.seq),
		RefreshToken:     refresh,
		AccessExpiresAt:  sh.expiry(now),
		RefreshExpiresAt: now.Add(refreshLifetime),
	}
	if !sh.tok.keep {
		sh.tok.spent[refresh] = true
		t.RefreshToken = fmt.Sprintf("%s.r%d", sh.cfg.Credentials.RefreshToken, sh.tok.seq)
	}
	sh.tok.access[t.AccessToken] = t.AccessExpiresAt
	sh.tok.refresh = t.RefreshToken
	return t, nil
}

// lifetime is how long the access tokens the shop issues last, as the channel reports it: the
// configured lifetime, or the channel's real one (Shopee's four hours, Square's 30 days) when tokens
// do not expire.
func (sh *Shop) lifetime() time.Duration {
	switch d := sh.sim.opt.TokenLifetime; {
	case d > 0:
		return d
	case sh.cfg.Kind == channels.POS:
		return 30 * 24 * time.Hour
	}
	return 4 * time.Hour
}

// TokenExpiry is when the shop's configured access token expires; zero when tokens do not expire.
func (sh *Shop) TokenExpiry() time.Time {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.tok.access[sh.cfg.Credentials.AccessToken]
}

// Refreshes counts the token refreshes the shop made.
func (sh *Shop) Refreshes() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.tok.refreshes
}

// RefreshReuses counts refreshes refused because their refresh token had been spent already: a
// client that refreshes twice with one token.
func (sh *Shop) RefreshReuses() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.tok.reuses
}

// ExpiredCalls counts calls refused for an expired access token.
func (sh *Shop) ExpiredCalls() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.tok.expired
}

// RevokeRefresh makes the shop refuse every refresh from now on, as a channel does once the
// seller's authorization ends.
func (sh *Shop) RevokeRefresh() {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.tok.refresh = ""
}

// ExpireTokens ends every access token the shop issued, now: its next calls are refused until a
// refresh, as when a channel ends tokens early or Ordo's clock runs behind the channel's.
func (sh *Shop) ExpireTokens() {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	now := sh.sim.now()
	for tok := range sh.tok.access {
		sh.tok.access[tok] = now
	}
}

// Authorize issues the shop's tokens anew, as when the seller authorizes the app again: a new access
// token and a new refresh token, which the next refresh must send.
func (sh *Shop) Authorize() channels.Tokens {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	now := sh.sim.now()
	sh.tok.seq++
	t := channels.Tokens{
		AccessToken:      fmt.Sprintf("%s.auth%d", sh.cfg.Credentials.AccessToken, sh.tok.seq),
		RefreshToken:     fmt.Sprintf("%s.auth%d", sh.cfg.Credentials.RefreshToken, sh.tok.seq),
		AccessExpiresAt:  sh.expiry(now),
		RefreshExpiresAt: now.Add(refreshLifetime),
	}
	sh.tok.access[t.AccessToken] = t.AccessExpiresAt
	sh.tok.refresh = t.RefreshToken
	return t
}
