package graph

import (
	"context"
	"testing"

	"github.com/ordo-oms/ordo/auth"
	entschema "github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/graph/model"
)

func TestBrandingOf(t *testing.T) {
	s := func(v string) *string { return &v }
	cases := []struct {
		name string
		in   model.SetChannelBrandingInput
		want entschema.Branding
		bad  bool
	}{
		{name: "all fields", in: model.SetChannelBrandingInput{BrandName: s("Siam Shop"), FromName: s("Siam Shop"),
			FromEmail: s("hello@siam.example"), ReplyTo: s("care@siam.example"), LogoURL: s("https://cdn.siam.example/logo.png"),
			Color: s("#112233"), AccentColor: s("#aaBBcc"), Locale: s("th-TH"), SupportEmail: s("help@siam.example")},
			want: entschema.Branding{BrandName: "Siam Shop", FromName: "Siam Shop", FromEmail: "hello@siam.example",
				ReplyTo: "care@siam.example", LogoURL: "https://cdn.siam.example/logo.png", Color: "#112233",
				AccentColor: "#aaBBcc", Locale: "th", SupportEmail: "help@siam.example"}},
		{name: "nothing: the defaults", in: model.SetChannelBrandingInput{}, want: entschema.Branding{}},
		{name: "blank is unset", in: model.SetChannelBrandingInput{FromEmail: s("  "), Color: s("")}, want: entschema.Branding{}},
		{name: "trimmed", in: model.SetChannelBrandingInput{FromEmail: s(" a@b.example ")}, want: entschema.Branding{FromEmail: "a@b.example"}},
		{name: "http logo", in: model.SetChannelBrandingInput{LogoURL: s("http://cdn.example/l.png")}, want: entschema.Branding{LogoURL: "http://cdn.example/l.png"}},
		{name: "from email with a name", in: model.SetChannelBrandingInput{FromEmail: s("Shop <a@b.example>")}, bad: true},
		{name: "from email not an address", in: model.SetChannelBrandingInput{FromEmail: s("shop")}, bad: true},
		{name: "reply-to not an address", in: model.SetChannelBrandingInput{ReplyTo: s("a@")}, bad: true},
		{name: "support not an address", in: model.SetChannelBrandingInput{SupportEmail: s("@b.example")}, bad: true},
		{name: "logo javascript", in: model.SetChannelBrandingInput{LogoURL: s("javascript:alert(1)")}, bad: true},
		{name: "logo relative", in: model.SetChannelBrandingInput{LogoURL: s("/logo.png")}, bad: true},
		{name: "colour name", in: model.SetChannelBrandingInput{Color: s("red")}, bad: true},
		{name: "colour short", in: model.SetChannelBrandingInput{Color: s("#123")}, bad: true},
		{name: "accent not hex", in: model.SetChannelBrandingInput{AccentColor: s("#12345g")}, bad: true},
		{name: "unsupported locale", in: model.SetChannelBrandingInput{Locale: s("fr")}, bad: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := brandingOf(c.in)
			if c.bad {
				if !fault.Is(err, fault.InvalidArgument) {
					t.Fatalf("err %v, want INVALID_ARGUMENT", err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

func TestBrandingModelIsNullWithoutBranding(t *testing.T) {
	if m := brandingModel(entschema.Branding{}); m != nil {
		t.Fatalf("no branding shown as %+v", m)
	}
	m := brandingModel(entschema.Branding{Color: "#112233"})
	if m == nil || m.Color == nil || *m.Color != "#112233" || m.FromEmail != nil {
		t.Fatalf("branding shown as %+v", m)
	}
}

func TestOwnCustomer(t *testing.T) {
	mine, other := pulid.ID("cus_mine"), pulid.ID("cus_other")
	cases := []struct {
		name string
		v    auth.Viewer
		ok   bool
	}{
		{"staff: anyone", auth.Viewer{Role: auth.Support}, true},
		{"storefront: its customer", auth.Viewer{Role: auth.Storefront, CustomerID: &mine}, true},
		{"storefront: another customer", auth.Viewer{Role: auth.Storefront, CustomerID: &other}, false},
		{"storefront unbound", auth.Viewer{Role: auth.Storefront}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ownCustomer(auth.NewContext(context.Background(), c.v), mine)
			if c.ok != (err == nil) || (err != nil && !fault.Is(err, fault.Forbidden)) {
				t.Fatalf("err %v, want ok=%v", err, c.ok)
			}
		})
	}
}

func TestPreviewLocale(t *testing.T) {
	s := func(v string) *string { return &v }
	for in, want := range map[*string]string{nil: "", s(""): "", s("vi-VN"): "vi", s("EN"): "en"} {
		if got, err := previewLocale(in); err != nil || got != want {
			t.Errorf("%v: %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := previewLocale(s("xx")); !fault.Is(err, fault.InvalidArgument) {
		t.Errorf("xx: %v, want INVALID_ARGUMENT", err)
	}
}
