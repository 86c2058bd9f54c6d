package graph

import (
	"context"
	"testing"

	"github.com/ordo-oms/ordo/auth"
	entschema "github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/ent/schema/pulid"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/graph/model"
	"github.com/ordo-oms/ordo/notifications/message"
)

func TestBrandingOfUnsetsBlankFields(t *testing.T) {
	s := func(v string) *string { return &v }
	got := brandingOf(model.SetChannelBrandingInput{BrandName: s(" Siam Shop "), FromEmail: s("  "), Locale: s("th")})
	if want := (entschema.Branding{BrandName: "Siam Shop", Locale: "th"}); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
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

func TestPreviewShowsTheLocaleAskedFor(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, c := range []struct {
		in   *string
		want string
	}{{nil, ""}, {s(""), ""}, {s("vi-VN"), "vi"}, {s("EN"), "en"}} {
		got := previewModel(message.Rendered{Subject: "x"}, c.in)
		if deref(got.Locale) != c.want || got.Subject != "x" {
			t.Errorf("%v: locale %v, want %q", c.in, got.Locale, c.want)
		}
	}
}
