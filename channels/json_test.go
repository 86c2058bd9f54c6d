package channels

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestScalar(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"abc"`, "abc"},
		{`820982911946154508`, "820982911946154508"},
		{`12.50`, "12.50"},
		{`" 7 "`, "7"},
		{`null`, ""},
		{`true`, "true"},
		{`false`, "false"},
		{`{"a":1}`, ""},
		{`[1,2]`, ""},
	} {
		var s Scalar
		require.NoError(t, json.Unmarshal([]byte(tc.in), &s), tc.in)
		require.Equal(t, tc.want, s.String(), tc.in)
	}
	var s Scalar
	require.Error(t, json.Unmarshal([]byte(`"unterminated`), &s), "malformed JSON is still an error")
	require.True(t, Scalar("1").Truthy())
	require.True(t, Scalar("true").Truthy())
	require.False(t, Scalar("0").Truthy())
}

// TestScalarInStruct shows the class of payloads Scalar exists for: the same fields sent as
// strings, as numbers and in shapes nobody documented, all read alike.
func TestScalarInStruct(t *testing.T) {
	type row struct {
		ID       Scalar `json:"id"`
		Quantity Scalar `json:"quantity"`
		Lat      Scalar `json:"latitude"`
		Extra    Scalar `json:"extra"`
	}
	for _, body := range []string{
		`{"id":"123","quantity":"2","latitude":"13.7563","extra":{"x":1}}`,
		`{"id":123,"quantity":2,"latitude":13.7563,"extra":[1]}`,
		`{"id":123,"quantity":"2.0","latitude":" 13.7563 ","extra":null}`,
	} {
		var r row
		require.NoError(t, json.Unmarshal([]byte(body), &r), body)
		require.Equal(t, "123", r.ID.String(), body)
		q, err := r.Quantity.Int()
		require.NoError(t, err, body)
		require.EqualValues(t, 2, q, body)
		require.NotNil(t, r.Lat.Float(), body)
		require.InDelta(t, 13.7563, *r.Lat.Float(), 1e-9, body)
		require.Empty(t, r.Extra.String(), body)
	}
}

func TestScalarInt(t *testing.T) {
	for _, tc := range []struct {
		in   Scalar
		want int64
		ok   bool
	}{
		{"", 0, true}, {"3", 3, true}, {" 3 ", 3, true}, {"3.0", 3, true}, {"-2", -2, true},
		{"3.5", 0, false}, {"three", 0, false}, {"true", 0, false}, {"1e3", 0, false},
		{"99999999999999999999", 0, false},
	} {
		got, err := tc.in.Int()
		if !tc.ok {
			require.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
}

func TestScalarFloat(t *testing.T) {
	for _, tc := range []struct {
		in   Scalar
		want *float64
	}{
		{"13.75", ptr(13.75)}, {"-6.2088", ptr(-6.2088)}, {"106", ptr(106)}, {"1e2", ptr(100)},
		{"", nil}, {"north", nil}, {"NaN", nil}, {"Inf", nil}, {"1e999", nil}, {"true", nil},
	} {
		got := tc.in.Float()
		if tc.want == nil {
			require.Nil(t, got, tc.in)
			continue
		}
		require.NotNil(t, got, tc.in)
		require.Equal(t, *tc.want, *got, tc.in)
	}
}

func ptr(f float64) *float64 { return &f }
