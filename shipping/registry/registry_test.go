package registry

import (
	"errors"
	"net/http"
	"testing"

	"github.com/ordo-oms/ordo/shipping"
	"github.com/ordo-oms/ordo/shipping/aftership"
	"github.com/ordo-oms/ordo/shipping/easypost"
	"github.com/ordo-oms/ordo/shipping/jnt"
	"github.com/ordo-oms/ordo/shipping/ninjavan"
)

func TestOpen(t *testing.T) {
	ep, err := Open(shipping.Account{Kind: shipping.EasyPost, APIKey: "k"}, nil)
	if _, ok := ep.(*easypost.Client); err != nil || !ok {
		t.Errorf("EASYPOST: %T %v", ep, err)
	}
	nv, err := Open(shipping.Account{Kind: shipping.NinjaVan, ClientID: "i", ClientSecret: "s", CountryCode: "my"}, nil)
	if _, ok := nv.(*ninjavan.Client); err != nil || !ok {
		t.Errorf("NINJAVAN: %T %v", nv, err)
	}
	for _, a := range []shipping.Account{{Kind: shipping.AfterShip, APIKey: "k"}, {Kind: "DHL"}, {Kind: shipping.EasyPost}, {Kind: shipping.NinjaVan, ClientID: "i"}} {
		if _, err := Open(a, nil); !errors.Is(err, shipping.ErrAccount) {
			t.Errorf("Open(%+v) = %v", a, err)
		}
	}
}

func TestTracker(t *testing.T) {
	as, err := Tracker(shipping.Account{Kind: shipping.AfterShip, APIKey: "k"}, nil)
	if _, ok := as.(*aftership.Client); err != nil || !ok {
		t.Errorf("AFTERSHIP: %T %v", as, err)
	}
	if _, err := Tracker(shipping.Account{Kind: shipping.EasyPost, APIKey: "k"}, nil); err != nil {
		t.Errorf("EASYPOST: %v", err)
	}
	if _, err := Tracker(shipping.Account{Kind: shipping.NinjaVan, ClientID: "i", ClientSecret: "s", CountryCode: "sg"}, nil); !errors.Is(err, shipping.ErrAccount) {
		t.Errorf("NINJAVAN pulls nothing: %v", err)
	}
}

func TestSource(t *testing.T) {
	body := []byte(`{"tracking_id":"NV1","event":"Pending Pickup","timestamp":"2026-12-01T00:00:00Z"}`)
	for _, c := range []struct {
		account shipping.Account
		header  string
		sig     string
	}{
		{shipping.Account{Kind: shipping.EasyPost, WebhookSecret: "e"}, easypost.HeaderSignature, easypost.Sign("e", body)},
		{shipping.Account{Kind: shipping.AfterShip, WebhookSecret: "a"}, aftership.HeaderSignature, aftership.Sign("a", body)},
		{shipping.Account{Kind: shipping.NinjaVan, ClientSecret: "n", WebhookSecret: "ignored"}, ninjavan.HeaderSignature, ninjavan.Sign("n", body)},
	} {
		src, err := Source(c.account)
		if err != nil {
			t.Fatalf("%s: %v", c.account.Kind, err)
		}
		if err := src.Verify(http.Header{c.header: {c.sig}}, body); err != nil {
			t.Errorf("%s: its own signature: %v", c.account.Kind, err)
		}
		if err := src.Verify(http.Header{}, body); !errors.Is(err, shipping.ErrUnsigned) {
			t.Errorf("%s: unsigned: %v", c.account.Kind, err)
		}
	}
	biz := `[{"billCode":"1","details":[]}]`
	src, err := Source(shipping.Account{Kind: shipping.JNT, WebhookSecret: "pk"})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Verify(http.Header{jnt.HeaderDigest: {jnt.Digest(biz, "pk")}}, jnt.Form(biz)); err != nil {
		t.Errorf("JNT: %v", err)
	}
	if _, ok := src.(shipping.Acknowledger); !ok {
		t.Error("the J&T source has no acknowledgement")
	}
	for _, a := range []shipping.Account{{Kind: shipping.EasyPost}, {Kind: shipping.JNT}, {Kind: shipping.NinjaVan, WebhookSecret: "w"}, {Kind: "GHN", WebhookSecret: "w"}} {
		if _, err := Source(a); !errors.Is(err, shipping.ErrAccount) {
			t.Errorf("Source(%+v) = %v", a, err)
		}
	}
}
