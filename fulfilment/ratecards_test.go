package fulfilment

import (
	"strings"
	"testing"

	"github.com/ordo-oms/ordo/ent/schema"
	"github.com/ordo-oms/ordo/fault"
)

func TestCheckRateCard(t *testing.T) {
	valid := func() RateCardInput {
		return RateCardInput{Carrier: "NINJAVAN", Service: "Standard", Currency: "THB", Bands: []schema.RateBand{
			{Zone: "SAME_CITY", MaxGrams: 1000, Amount: 3500}, {Zone: "SAME_CITY", MaxGrams: 5000, Amount: 6000}, {Zone: "SAME_REGION", MaxGrams: 1000, Amount: 0},
		}}
	}
	if err := CheckRateCard(valid()); err != nil {
		t.Fatalf("valid card refused: %v", err)
	}
	many := valid()
	many.Bands = nil
	for i := range MaxRateBands + 1 {
		many.Bands = append(many.Bands, schema.RateBand{Zone: "SAME_CITY", MaxGrams: i + 1, Amount: int64(i)})
	}
	for name, tc := range map[string]struct {
		change func(*RateCardInput)
		field  string
	}{
		"no carrier":       {func(c *RateCardInput) { c.Carrier = "" }, "carrier"},
		"no service":       {func(c *RateCardInput) { c.Service = "" }, "service"},
		"lower-case ISO":   {func(c *RateCardInput) { c.Currency = "thb" }, "currency"},
		"negative divisor": {func(c *RateCardInput) { c.DimDivisor = -1 }, "dimDivisor"},
		"no bands":         {func(c *RateCardInput) { c.Bands = nil }, "bands"},
		"too many bands":   {func(c *RateCardInput) { c.Bands = many.Bands }, "bands"},
		"zero grams":       {func(c *RateCardInput) { c.Bands[0].MaxGrams = 0 }, "bands[0].maxGrams"},
		"negative amount":  {func(c *RateCardInput) { c.Bands[2].Amount = -1 }, "bands[2].amount"},
		"empty zone":       {func(c *RateCardInput) { c.Bands[0].Zone = " " }, "bands[0].zone"},
		"grams descending": {func(c *RateCardInput) { c.Bands[1].MaxGrams = 900 }, "bands[1]"},
		"grams repeated":   {func(c *RateCardInput) { c.Bands[1].MaxGrams = 1000 }, "bands[1]"},
		"zones unsorted":   {func(c *RateCardInput) { c.Bands[2].Zone = "AAA_FIRST" }, "bands[2]"},
		"unknown zone": {func(c *RateCardInput) {
			c.Bands = c.Bands[:2]
			c.Bands[0].Zone, c.Bands[1].Zone = "MOON", "MOON"
		}, "shipping"},
		"heavier is cheaper": {func(c *RateCardInput) { c.Bands[1].Amount = 100 }, "shipping"},
	} {
		t.Run(name, func(t *testing.T) {
			c := valid()
			tc.change(&c)
			err := CheckRateCard(c)
			if !fault.Is(err, fault.InvalidArgument) || !strings.HasPrefix(err.(*fault.Error).Message, tc.field) {
				t.Errorf("err = %v, want INVALID_ARGUMENT about %s", err, tc.field)
			}
		})
	}
	if len(many.Bands) != MaxRateBands+1 {
		t.Fatal("fixture")
	}
	many.Bands = many.Bands[:MaxRateBands]
	if err := CheckRateCard(many); err != nil {
		t.Errorf("%d bands refused: %v", MaxRateBands, err)
	}
}
