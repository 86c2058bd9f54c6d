package webhooks

// Chains plans the sending of a batch: keys are the batch's events' orders in log order ("" for an
// event about no order), done marks those already delivered (by an earlier pass over the same
// events). Each chain is the indexes of one order's events still to send, in log order, to be sent
// one after the other; chains are independent of each other, so they may run concurrently. An
// event about no order is a chain of its own. Chains come in the order of their first event. It
// is pure.
func Chains(keys []string, done []bool) [][]int {
	var out [][]int
	at := map[string]int{}
	for i, k := range keys {
		if done[i] {
			continue
		}
		if k == "" {
			out = append(out, []int{i})
			continue
		}
		if c, ok := at[k]; ok {
			out[c] = append(out[c], i)
			continue
		}
		at[k] = len(out)
		out = append(out, []int{i})
	}
	return out
}

// Advance is how many leading events of a batch are behind the endpoint, given which were
// delivered (now or before): the cursor moves past them and stops just before the first that was
// not (failed, or not tried because another failed first). It is pure.
func Advance(delivered []bool) int {
	for i, d := range delivered {
		if !d {
			return i
		}
	}
	return len(delivered)
}
