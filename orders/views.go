package orders

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ordo-oms/ordo/auth"
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/fault"
)

// The bounds of a staff user's saved board views.
const (
	MaxViews          = 50
	MaxViewName       = 60
	MaxViewFilterSize = 4 << 10 // bytes of the filter's JSON
)

// SavedView is a named board view: a BoardFilter as a JSON object.
type SavedView struct {
	Name   string
	Filter map[string]any
}

// Views are the saved board views of the staff user signed in (auth.Viewer.StaffID), in the order
// they were first saved. Any other viewer (an API key) is FORBIDDEN.
func (s *Service) Views(ctx context.Context) ([]*SavedView, error) {
	u, err := s.staffUser(ctx, s.DB.Client, "savedViews")
	if err != nil {
		return nil, err
	}
	return views(u.SavedViews), nil
}

// SaveView saves a board view of the signed-in staff user, replacing one of the same name, and
// returns the views. The name is 1 to MaxViewName characters; the filter is at most
// MaxViewFilterSize bytes of JSON and must read as a valid BoardFilter; a user keeps at most
// MaxViews views. Anything else is INVALID_ARGUMENT and changes nothing.
func (s *Service) SaveView(ctx context.Context, name string, filter map[string]any) ([]*SavedView, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxViewName {
		return nil, fault.New(fault.InvalidArgument, "name: 1 to %d characters", MaxViewName)
	}
	if err := checkViewFilter(filter); err != nil {
		return nil, err
	}
	return s.editViews(ctx, "saveView", func(vs []schema.SavedView) ([]schema.SavedView, error) {
		if i := slices.IndexFunc(vs, func(v schema.SavedView) bool { return v.Name == name }); i >= 0 {
			vs[i].Filter = filter
			return vs, nil
		}
		if len(vs) >= MaxViews {
			return nil, fault.New(fault.InvalidArgument, "a user keeps at most %d views; delete one first", MaxViews)
		}
		return append(vs, schema.SavedView{Name: name, Filter: filter}), nil
	})
}

// DeleteView deletes the signed-in staff user's view of that name, if there is one, and returns
// the views.
func (s *Service) DeleteView(ctx context.Context, name string) ([]*SavedView, error) {
	name = strings.TrimSpace(name)
	return s.editViews(ctx, "deleteView", func(vs []schema.SavedView) ([]schema.SavedView, error) {
		return slices.DeleteFunc(vs, func(v schema.SavedView) bool { return v.Name == name }), nil
	})
}

// checkViewFilter checks that filter is a BoardFilter of at most MaxViewFilterSize bytes.
func checkViewFilter(filter map[string]any) error {
	b, err := json.Marshal(filter)
	if err != nil {
		return fault.New(fault.InvalidArgument, "filter: not JSON: %v", err)
	}
	if len(b) > MaxViewFilterSize {
		return fault.New(fault.InvalidArgument, "filter: %d bytes, more than %d", len(b), MaxViewFilterSize)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f BoardFilter
	if err := dec.Decode(&f); err != nil {
		return fault.New(fault.InvalidArgument, "filter: not an OrderBoardFilter: %v", err)
	}
	return f.Validate()
}

// editViews changes the signed-in staff user's views with edit, in a transaction; op names the
// operation in a refusal.
func (s *Service) editViews(ctx context.Context, op string, edit func([]schema.SavedView) ([]schema.SavedView, error)) ([]*SavedView, error) {
	var out []*SavedView
	err := s.DB.Tx(ctx, func(tx *ent.Tx) error {
		u, err := s.staffUser(ctx, tx.Client(), op)
		if err != nil {
			return err
		}
		vs, err := edit(slices.Clone(u.SavedViews))
		if err != nil {
			return err
		}
		if err := tx.StaffUser.UpdateOne(u).SetSavedViews(vs).Exec(ctx); err != nil {
			return err
		}
		out = views(vs)
		return nil
	})
	return out, err
}

// staffUser is the staff user signed in, or FORBIDDEN naming op.
func (s *Service) staffUser(ctx context.Context, c *ent.Client, op string) (*ent.StaffUser, error) {
	v, _ := auth.FromContext(ctx)
	if v.StaffID == "" {
		return nil, fault.New(fault.Forbidden, "%s: saved views belong to a signed-in staff user", op)
	}
	u, err := c.StaffUser.Get(ctx, v.StaffID)
	if ent.IsNotFound(err) {
		return nil, fault.New(fault.Forbidden, "%s: saved views belong to a signed-in staff user", op)
	}
	return u, err
}

func views(vs []schema.SavedView) []*SavedView {
	out := make([]*SavedView, 0, len(vs))
	for _, v := range vs {
		f := v.Filter
		if f == nil {
			f = map[string]any{}
		}
		out = append(out, &SavedView{Name: v.Name, Filter: f})
	}
	return out
}
