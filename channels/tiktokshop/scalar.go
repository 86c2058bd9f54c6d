package tiktokshop

import "github.com/ordo-oms/ordo/channels"

// scalar is the value its payloads are made of: documented as a string, sometimes sent as a number.
type scalar = channels.Scalar
