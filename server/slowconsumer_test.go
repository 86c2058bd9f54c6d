package server

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestIsSlowConsumer(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want bool
	}{
		{`{"type":"next","id":"1","payload":{"errors":[{"message":"fell behind","extensions":{"code":"SLOW_CONSUMER","cursor":"c"}}],"data":null}}`, true},
		{`{"type":"data","id":"1","payload":{"errors":[{"message":"fell behind","extensions":{"code":"SLOW_CONSUMER"}}]}}`, true},
		{`{"type":"next","id":"1","payload":{"data":{"orderUpdated":{"attrs":{"code":"SLOW_CONSUMER"}}}}}`, false},
		{`{"type":"next","id":"1","payload":{"errors":[{"message":"x","extensions":{"code":"INTERNAL"}}],"data":{"a":{"code":"SLOW_CONSUMER"}}}}`, false},
	} {
		require.Equal(t, tc.want, isSlowConsumer([]byte(tc.msg)), tc.msg)
	}
}
