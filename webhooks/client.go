package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"github.com/ordo-oms/ordo/fault"
)

// errRefused is a connection the client would not open: the address is private. A target that
// passed registration and is refused later most likely changed its DNS (or is rebinding it).
var errRefused = errors.New("refused: a private address")

// cgnat is the shared address space of carrier-grade NAT (RFC 6598), as internal as the private
// ranges.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// Private reports whether an endpoint must not reach addr unless private targets are allowed:
// private, loopback, link-local, unspecified, multicast and carrier-grade NAT addresses, IPv4
// mapped in IPv6 included. It is pure.
func Private(addr netip.Addr) bool {
	a := addr.Unmap()
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || cgnat.Contains(a)
}

// newClient is the HTTP client of deliveries: it follows no redirect (a 3xx is a failed
// delivery), uses no proxy from the environment (which would hide the target's address), and,
// unless allowPrivate, refuses to connect to a private address whatever the name resolved to, so
// that a name that passed registration cannot be rebound to an internal host.
func newClient(timeout time.Duration, allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: timeout}
	if !allowPrivate {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || Private(ap.Addr()) {
				return errRefused
			}
			return nil
		}
	}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DialContext:         dialer.DialContext,
			MaxIdleConnsPerHost: 16,
			IdleConnTimeout:     90 * time.Second,
			TLSHandshakeTimeout: timeout,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// checkURL validates an endpoint's URL: http or https, a host, no user or password; and unless
// allowPrivate, a host whose every address is public. Anything else is INVALID_ARGUMENT.
func checkURL(ctx context.Context, raw string, allowPrivate bool) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fault.New(fault.InvalidArgument, "url: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fault.New(fault.InvalidArgument, "url: the scheme must be http or https")
	}
	if u.Hostname() == "" {
		return "", fault.New(fault.InvalidArgument, "url: no host")
	}
	if u.User != nil {
		return "", fault.New(fault.InvalidArgument, "url: no user or password in the URL (the signature authenticates Ordo)")
	}
	if u.Fragment != "" {
		return "", fault.New(fault.InvalidArgument, "url: no fragment")
	}
	if allowPrivate {
		return u.String(), nil
	}
	addrs, err := resolve(ctx, u.Hostname())
	if err != nil {
		return "", fault.New(fault.InvalidArgument, "url: the host %s does not resolve", u.Hostname())
	}
	for _, a := range addrs {
		if Private(a) {
			return "", fault.New(fault.InvalidArgument, "url: the host %s is a private address (%s)", u.Hostname(), a)
		}
	}
	return u.String(), nil
}

// resolve is a host's addresses: the host itself when it is an address, else what DNS says.
func resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("%s: no address", host)
	}
	return addrs, nil
}
