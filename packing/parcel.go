package packing

// content is some units of one group placed in a parcel.
type content struct {
	group group
	count int
}

// holds reports whether box c takes all of contents: each unit fits it, their weight stays within
// its capacity, and their volume within its fill limit unless there is a single unit.
func (c *carton) holds(contents []content) bool {
	units, weight, volume := 0, 0, int64(0)
	for i := range contents {
		g := &contents[i].group
		if !c.fits(g) {
			return false
		}
		units += contents[i].count
		weight += contents[i].count * g.weight
		volume += int64(contents[i].count) * g.volume
	}
	return weight <= c.capacity && (volume <= c.limit || units == 1)
}

// downsize returns the smallest box in cartons (sorted smallest first) that holds contents. Pack
// passes the box the contents were packed in last, so that one always qualifies.
func downsize(cartons []carton, contents []content) *carton {
	for i := range cartons[:len(cartons)-1] {
		if cartons[i].holds(contents) {
			return &cartons[i]
		}
	}
	return &cartons[len(cartons)-1]
}

// parcel describes contents packed in box c.
func parcel(c *carton, contents []content) Parcel {
	p := Parcel{Box: c.box.Code, Items: make([]Packed, 0, len(contents)), WeightGrams: c.box.TareGrams}
	volume := int64(0)
	for _, ct := range contents {
		p.Items = append(p.Items, Packed{Ref: ct.group.ref, SKU: ct.group.sku, Quantity: ct.count})
		p.WeightGrams += ct.count * ct.group.weight
		volume += int64(ct.count) * ct.group.volume
	}
	p.Items = merge(p.Items)
	p.FillRatio = float64(volume) / float64(c.volume)
	return p
}
