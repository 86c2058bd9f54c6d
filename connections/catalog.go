package connections

import (
	"context"

	"github.com/ordo-oms/ordo/channels"
	"github.com/ordo-oms/ordo/ent"
)

// CatalogReader opens the catalogue (channels.CatalogReader) of a channel's connector; ok is false
// when its connector lists none. As with Connector, a page the channel refuses for an expired
// access token is asked once more after the token is refreshed.
func (s *Service) CatalogReader(ch *ent.Channel) (r channels.CatalogReader, ok bool, err error) {
	conn, err := s.open(ch)
	if err != nil {
		return nil, false, err
	}
	r, ok = conn.(channels.CatalogReader)
	if !ok {
		return nil, false, nil
	}
	if _, refreshes := conn.(channels.Refresher); !refreshes || s.Queue == nil {
		return r, true, nil
	}
	return &refreshingCatalog{r: &refreshing{Connector: conn, s: s, ch: ch}}, true, nil
}

// refreshingCatalog is a connector's catalogue, read again after a token refresh.
type refreshingCatalog struct{ r *refreshing }

// Catalog implements channels.CatalogReader.
func (c *refreshingCatalog) Catalog(ctx context.Context, cursor string) (page channels.CatalogPage, err error) {
	err = c.r.retry(ctx, func(conn channels.Connector) error {
		page, err = conn.(channels.CatalogReader).Catalog(ctx, cursor)
		return err
	})
	return page, err
}
