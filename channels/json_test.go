package channels

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestScalarAndText(t *testing.T) {
	for in, want := range map[string]string{`"abc"`: "abc", `820982911946154508`: "820982911946154508", `12.50`: "12.50", `null`: "", `true`: "true"} {
		var s Scalar
		require.NoError(t, json.Unmarshal([]byte(in), &s), in)
		require.Equal(t, want, s.String(), in)
	}
	var s Scalar
	require.Error(t, json.Unmarshal([]byte(`{"a":1}`), &s), "an object is not a scalar")
	require.True(t, Scalar("1").Truthy())
	require.False(t, Scalar("0").Truthy())

	for in, want := range map[string]Text{`"abc"`: "abc", `820982911946154508`: "820982911946154508", `null`: "", `true`: "", `{"a":1}`: "", `[1]`: ""} {
		var x Text
		require.NoError(t, json.Unmarshal([]byte(in), &x), in)
		require.Equal(t, want, x, in)
	}
}
