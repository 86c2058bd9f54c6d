package graph

import (
	"context"
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"github.com/ordo-oms/ordo/auth"
	entschema "github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/graph/model"
	"github.com/ordo-oms/ordo/notifications"
	"github.com/ordo-oms/ordo/notifications/message"
)

// preferencesOf turns setNotificationPreferences' input into the changes it asks for (the service
// validates them).
func preferencesOf(in model.SetNotificationPreferencesInput) notifications.Preferences {
	p := notifications.Preferences{Locale: in.Locale, TimeZone: in.TimeZone, OptOut: in.OptOut}
	if in.Muted != nil {
		muted := make([]string, len(in.Muted))
		for i, k := range in.Muted {
			muted[i] = string(k)
		}
		p.Muted = &muted
	}
	return p
}

// ownCustomer refuses a storefront key the preferences of any customer but the one it is bound to
// (staff set anyone's; RootPolicy keeps other roles out).
func ownCustomer(ctx context.Context, customerID pulid.ID) error {
	v, _ := auth.FromContext(ctx)
	if v.Role == auth.Storefront && (v.CustomerID == nil || *v.CustomerID != customerID) {
		return fault.New(fault.Forbidden, "a storefront key sets the notification preferences of its own customer only")
	}
	return nil
}

// hexColor is a CSS colour as email clients all understand it.
var hexColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// brandingOf checks setChannelBranding's input and returns the branding it sets. An empty or
// omitted field is unset (the default applies); a malformed one is INVALID_ARGUMENT, naming it,
// before anything is written.
func brandingOf(in model.SetChannelBrandingInput) (entschema.Branding, error) {
	val := func(p *string) string { return strings.TrimSpace(deref(p)) }
	b := entschema.Branding{
		BrandName: val(in.BrandName), FromName: val(in.FromName), FromEmail: val(in.FromEmail), ReplyTo: val(in.ReplyTo),
		LogoURL: val(in.LogoURL), Color: val(in.Color), AccentColor: val(in.AccentColor), Locale: val(in.Locale),
		SupportEmail: val(in.SupportEmail),
	}
	for name, addr := range map[string]string{"fromEmail": b.FromEmail, "replyTo": b.ReplyTo, "supportEmail": b.SupportEmail} {
		if a, err := mail.ParseAddress(addr); addr != "" && (err != nil || a.Address != addr) {
			return entschema.Branding{}, fault.New(fault.InvalidArgument, "%s %q is not an email address such as shop@example.com", name, addr)
		}
	}
	if b.LogoURL != "" {
		if u, err := url.Parse(b.LogoURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return entschema.Branding{}, fault.New(fault.InvalidArgument, "logoURL %q is not an https or http URL", b.LogoURL)
		}
	}
	for name, c := range map[string]string{"color": b.Color, "accentColor": b.AccentColor} {
		if c != "" && !hexColor.MatchString(c) {
			return entschema.Branding{}, fault.New(fault.InvalidArgument, "%s %q is not a colour written #RRGGBB", name, c)
		}
	}
	if b.Locale != "" {
		l, ok := message.Supported(b.Locale)
		if !ok {
			return entschema.Branding{}, fault.New(fault.InvalidArgument, "locale %q is not one of en, th, vi, id, ms", b.Locale)
		}
		b.Locale = string(l)
	}
	return b, nil
}

// brandingModel is a channel's branding as the schema shows it: null when it has none, its unset
// fields null.
func brandingModel(b entschema.Branding) *model.ChannelBranding {
	if b == (entschema.Branding{}) {
		return nil
	}
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return &model.ChannelBranding{BrandName: opt(b.BrandName), FromName: opt(b.FromName), FromEmail: opt(b.FromEmail),
		ReplyTo: opt(b.ReplyTo), LogoURL: opt(b.LogoURL), Color: opt(b.Color), AccentColor: opt(b.AccentColor),
		Locale: opt(b.Locale), SupportEmail: opt(b.SupportEmail)}
}

// previewLocale is the locale previewNotification renders in: the one asked for (a supported tag,
// else INVALID_ARGUMENT), or "" for the customer's own.
func previewLocale(locale *string) (string, error) {
	tag := strings.TrimSpace(deref(locale))
	if tag == "" {
		return "", nil
	}
	l, ok := message.Supported(tag)
	if !ok {
		return "", fault.New(fault.InvalidArgument, "locale %q is not one of en, th, vi, id, ms", tag)
	}
	return string(l), nil
}
