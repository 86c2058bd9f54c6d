package graph

import (
	"github.com/ordo-oms/ordo/ent"
	"github.com/ordo-oms/ordo/graph/model"
	"github.com/ordo-oms/ordo/returns"
)

// refundLines is a refund's lines as the returns package takes them.
func refundLines(in []*model.RefundLineInput) []returns.RefundLineInput {
	out := make([]returns.RefundLineInput, len(in))
	for i, l := range in {
		out[i] = returns.RefundLineInput{OrderLineID: l.OrderLineID, Quantity: int64(l.Quantity)}
	}
	return out
}

// refundPayload is a refund command's answer.
func refundPayload(rf *ent.Refund, replayed bool, err error) (*model.RefundPayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.RefundPayload{Refund: rf, Replayed: replayed}, nil
}
