package orders_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/database"
	"github.com/ordo-oms/ordo/database/dbtest"
	"github.com/ordo-oms/ordo/ent/staffuser"
	"github.com/ordo-oms/ordo/fault"
	"github.com/ordo-oms/ordo/orders"
)

func TestSavedViews(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		svc := &orders.Service{DB: db}
		u := db.Client.StaffUser.Create().SetEmail("agent@example.com").SetRole(staffuser.RoleSUPPORT).SetPasswordHash("x").SaveX(ctx)
		staff := auth.NewContext(ctx, auth.Viewer{KeyID: "ses_1", Role: auth.Support, StaffID: u.ID})
		key := auth.NewContext(ctx, auth.Viewer{KeyID: "key_1", Role: auth.Support})

		_, err := svc.Views(key)
		require.Equal(t, fault.Forbidden, fault.CodeOf(err), "an API key has no views")
		_, err = svc.SaveView(key, "late", map[string]any{"lateRisk": true})
		require.Equal(t, fault.Forbidden, fault.CodeOf(err))

		vs, err := svc.Views(staff)
		require.NoError(t, err)
		require.Empty(t, vs)
		vs, err = svc.SaveView(staff, "Late Shopee", map[string]any{"lateRisk": true, "statuses": []any{"SHIPPED"}})
		require.NoError(t, err)
		require.Len(t, vs, 1)
		vs, err = svc.SaveView(staff, "COD", map[string]any{"paymentMethods": []any{"COD"}})
		require.NoError(t, err)
		require.Len(t, vs, 2)
		vs, err = svc.SaveView(staff, "Late Shopee", map[string]any{"lateRisk": false})
		require.NoError(t, err)
		require.Equal(t, []string{"Late Shopee", "COD"}, []string{vs[0].Name, vs[1].Name}, "same name replaces in place")
		require.Equal(t, map[string]any{"lateRisk": false}, vs[0].Filter)

		bad := map[string]map[string]any{
			"unknown field":   {"colour": "red"},
			"bad status":      {"statuses": []any{"LOST"}},
			"bad id":          {"channelIDs": []any{"loc_1"}},
			"too large":       {"search": strings.Repeat("x", 5000)},
			"search too long": {"search": strings.Repeat("x", 101)},
		}
		for name, f := range bad {
			_, err := svc.SaveView(staff, "bad", f)
			require.Equal(t, fault.InvalidArgument, fault.CodeOf(err), name)
		}
		for _, name := range []string{"", "   ", strings.Repeat("n", 61)} {
			_, err := svc.SaveView(staff, name, map[string]any{})
			require.Equal(t, fault.InvalidArgument, fault.CodeOf(err), "name %q", name)
		}
		for i := len(vs); i < orders.MaxViews; i++ {
			_, err := svc.SaveView(staff, fmt.Sprint("view ", i), map[string]any{})
			require.NoError(t, err)
		}
		_, err = svc.SaveView(staff, "one too many", map[string]any{})
		require.Equal(t, fault.InvalidArgument, fault.CodeOf(err))
		_, err = svc.SaveView(staff, "COD", map[string]any{"exceptions": true})
		require.NoError(t, err, "replacing needs no room")

		vs, err = svc.DeleteView(staff, "COD")
		require.NoError(t, err)
		require.Len(t, vs, orders.MaxViews-1)
		vs, err = svc.DeleteView(staff, "no such view")
		require.NoError(t, err)
		require.Len(t, vs, orders.MaxViews-1)
		got, err := svc.Views(staff)
		require.NoError(t, err)
		require.Equal(t, vs, got)
	})
}
