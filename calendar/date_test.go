package calendar

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2026-12-25", want: Date{2026, time.December, 25}},
		{in: "2028-02-29", want: Date{2028, time.February, 29}},
		{in: "2026-02-29", wantErr: true},
		{in: "2026-13-01", wantErr: true},
		{in: "26-1-1", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.in, got.String())
		})
	}
}

func TestDateContainsReadsTheZone(t *testing.T) {
	christmas := MustParseDate("2026-12-25")
	instant := time.Date(2026, 12, 24, 17, 30, 0, 0, time.UTC) // 00:30 on the 25th in Bangkok
	require.True(t, christmas.Contains(instant, bangkok))
	require.False(t, christmas.Contains(instant, time.UTC))
	require.False(t, christmas.Contains(instant, nil), "nil zone is UTC")
}

func TestDateJSON(t *testing.T) {
	b, err := json.Marshal([]Date{MustParseDate("2026-04-13")})
	require.NoError(t, err)
	require.JSONEq(t, `["2026-04-13"]`, string(b))

	var back []Date
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, []Date{{2026, time.April, 13}}, back)
	require.Error(t, json.Unmarshal([]byte(`["13/04/2026"]`), &back))
}
