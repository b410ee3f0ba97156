package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
)

// ErrPrivateAddress is the refusal of an address Parley must not call.
var ErrPrivateAddress = errors.New("the address is on a loopback, private or link-local network")

// reserved are the ranges netip's predicates do not name but that are no
// place for a webhook: "this network", carrier-grade NAT, the IETF
// protocol block, benchmarking, and the reserved and broadcast block.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// Blocked reports whether ip is an address a webhook must not reach:
// loopback, private (RFC 1918, unique local), link-local (cloud metadata
// lives there), unspecified, multicast, or reserved. An IPv4 address
// written as IPv6 is judged as IPv4.
func Blocked(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return true
	}
	for _, p := range reserved {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Guard decides which addresses webhooks may reach.
type Guard struct {
	// AllowPrivate lets webhooks reach private and loopback addresses
	// (development, tests, an intranet receiver).
	AllowPrivate bool
	// Resolver looks names up; nil is net.DefaultResolver.
	Resolver *net.Resolver
}

// CheckURL refuses, at save time, a URL whose host is or resolves to an
// address Blocked names. A name that does not resolve is refused too. The
// dialer checks again at every connection: this check is for the admin's
// benefit, the dialer's is the one that holds.
func (g Guard) CheckURL(ctx context.Context, raw string) error {
	if g.AllowPrivate {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL")
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if Blocked(ip) {
			return ErrPrivateAddress
		}
		return nil
	}
	r := g.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ips, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return fmt.Errorf("the host %s could not be found", host)
	}
	for _, ip := range ips {
		if Blocked(ip) {
			return fmt.Errorf("%s resolves to %s: %w", host, ip.Unmap(), ErrPrivateAddress)
		}
	}
	return nil
}

// control is the dialer's check of the address it is about to connect to,
// after name resolution: the one place a DNS answer cannot slip past.
func (g Guard) control(_, address string, _ syscall.RawConn) error {
	if g.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhooks: dial %s: %w", address, ErrPrivateAddress)
	}
	if Blocked(ap.Addr()) {
		return fmt.Errorf("webhooks: dial %s: %w", ap.Addr().Unmap(), ErrPrivateAddress)
	}
	return nil
}
