// Package registry opens the connector of any channel kind: the one place that knows every
// connector package, so that the rest of Ordo depends on the channels.Connector contract only.
package registry

import (
	"fmt"
	"net/http"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/channels/facebook"
	"github.com/ordo-oms/ordo/channels/lazada"
	"github.com/ordo-oms/ordo/channels/pos"
	"github.com/ordo-oms/ordo/channels/shopee"
	"github.com/ordo-oms/ordo/channels/shopify"
	"github.com/ordo-oms/ordo/channels/tiktokshop"
)

// Every connector lists its shop's catalogue.
var (
	_ channels.CatalogReader = (*shopify.Client)(nil)
	_ channels.CatalogReader = (*shopee.Client)(nil)
	_ channels.CatalogReader = (*lazada.Client)(nil)
	_ channels.CatalogReader = (*tiktokshop.Client)(nil)
	_ channels.CatalogReader = (*facebook.Client)(nil)
	_ channels.CatalogReader = (*pos.Client)(nil)
)

// Open returns the connector for an account, calling the channel through hc (nil: the default
// client). An account missing what its channel needs is an error wrapping channels.ErrAccount.
func Open(a channels.Account, hc *http.Client) (channels.Connector, error) {
	switch a.Kind {
	case channels.Shopify:
		return shopify.NewClient(a, hc)
	case channels.Shopee:
		return shopee.NewClient(a, hc)
	case channels.POS:
		return pos.NewClient(a, hc)
	case channels.Lazada:
		return lazada.NewClient(a, hc)
	case channels.Facebook:
		return facebook.NewClient(a, hc)
	case channels.TikTokShop:
		return tiktokshop.NewClient(a, hc)
	}
	return nil, fmt.Errorf("%w: no connector for channel kind %q", channels.ErrAccount, a.Kind)
}
