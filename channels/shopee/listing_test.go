package shopee

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestListingID(t *testing.T) {
	tests := []struct{ item, model, want string }{
		{"23620853561", "221404189791", "23620853561:221404189791"},
		{"1000", "", "1000:0"},
		{" 1000 ", "0", "1000:0"},
		{"", "5", ""},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, ListingID(tt.item, tt.model), "%q %q", tt.item, tt.model)
	}
}

func TestParseListingID(t *testing.T) {
	tests := []struct {
		id          string
		item, model string
		ok          bool
	}{
		{"23620853561:221404189791", "23620853561", "221404189791", true},
		{"1000:0", "1000", "0", true},
		{"1000", "", "", false},
		{"1000:", "", "", false},
		{":5", "", "", false},
		{"a:1", "", "", false},
		{"+1:2", "", "", false},
		{"1:2:3", "", "", false},
		{"99999999999999999999:1", "", "", false},
	}
	for _, tt := range tests {
		item, model, ok := ParseListingID(tt.id)
		require.Equal(t, tt.ok, ok, tt.id)
		require.Equal(t, tt.item, item, tt.id)
		require.Equal(t, tt.model, model, tt.id)
	}
}
