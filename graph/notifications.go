package graph

import (
	"context"
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

// brandingOf is the branding setChannelBranding's input sets: an omitted or blank field is unset
// (the default applies). The service checks the rest (notifications.Service.SetBranding).
func brandingOf(in model.SetChannelBrandingInput) entschema.Branding {
	val := func(p *string) string { return strings.TrimSpace(deref(p)) }
	return entschema.Branding{
		BrandName: val(in.BrandName), FromName: val(in.FromName), FromEmail: val(in.FromEmail), ReplyTo: val(in.ReplyTo),
		LogoURL: val(in.LogoURL), Color: val(in.Color), AccentColor: val(in.AccentColor), Locale: val(in.Locale),
		SupportEmail: val(in.SupportEmail),
	}
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

// previewModel is a rendered preview; locale, the one asked for, is shown as the supported locale
// it names (null when none was asked for: the customer's own).
func previewModel(m message.Rendered, locale *string) *model.NotificationPreview {
	p := &model.NotificationPreview{Subject: m.Subject, HTML: m.HTML, Text: m.Text}
	if l, ok := message.Supported(deref(locale)); ok {
		s := string(l)
		p.Locale = &s
	}
	return p
}
