package webhooks_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/webhooks"
)

// The spec's test vector (standard-webhooks spec and its reference libraries).
func TestSignMatchesTheSpecVector(t *testing.T) {
	key, err := webhooks.ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	require.NoError(t, err)
	got := webhooks.Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	require.Equal(t, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", got)
}

func TestSecrets(t *testing.T) {
	s := webhooks.NewSecret()
	key, err := webhooks.ParseSecret(s)
	require.NoError(t, err)
	require.Len(t, key, 32)
	_, err = webhooks.ParseSecret("whsec_c2hvcnQ=")
	require.Error(t, err, "5 bytes is too short")
	_, err = webhooks.ParseSecret("whsec_!!!")
	require.Error(t, err)
}
