package catalog_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/location"
	"github.com/ordo-oms/ordo/fault"
)

func TestLocationCalendarIsValidated(t *testing.T) {
	s := &catalog.Service{DB: dbtest.SQLite(t)}
	ctx := context.Background()
	str := func(v string) *string { return &v }
	base := func() ent.CreateLocationInput {
		return ent.CreateLocationInput{Code: "BKK", Name: "Bangkok", Kind: location.KindWAREHOUSE}
	}
	for name, mutate := range map[string]func(*ent.CreateLocationInput){
		"time zone":  func(in *ent.CreateLocationInput) { in.Timezone = str("Mars/Olympus") },
		"holiday":    func(in *ent.CreateLocationInput) { in.Holidays = []string{"25/12/2026"} },
		"ships to":   func(in *ent.CreateLocationInput) { in.ShipsTo = []string{"Thailand"} },
		"cut-off":    func(in *ent.CreateLocationInput) { in.CutoffTime = str("25:00") },
		"empty code": func(in *ent.CreateLocationInput) { in.Code = "" },
	} {
		t.Run(name, func(t *testing.T) {
			in := base()
			mutate(&in)
			_, err := s.CreateLocation(ctx, in)
			require.True(t, fault.Is(err, fault.InvalidArgument), "%v", err)
		})
	}
	in := base()
	in.Timezone, in.Holidays, in.ShipsTo = str("Asia/Bangkok"), []string{"2026-04-13"}, []string{"TH", "LA"}
	l, err := s.CreateLocation(ctx, in)
	require.NoError(t, err)
	require.Equal(t, []string{"2026-04-13"}, l.Holidays)
	_, err = s.CreateLocation(ctx, base())
	require.True(t, fault.Is(err, fault.Conflict), "a second BKK: %v", err)
}
