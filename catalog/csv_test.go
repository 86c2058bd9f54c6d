package catalog_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ordo-oms/ordo/catalog"
)

func TestParseProductsRowErrors(t *testing.T) {
	const header = "sku,name,price,currency,weight_g,options,components,hs_code,country_of_origin,returnable,barcode\n"
	for _, tc := range []struct {
		name, row string
		field     string
		msg       string
	}{
		{"weight not whole", "A,Tee,1.00,USD,1.5,,,,,,", "weight_g", "not a whole number of grams"},
		{"weight negative", "A,Tee,1.00,USD,-3,,,,,,", "weight_g", "not a whole number of grams"},
		{"price not decimal", "A,Tee,abc,USD,1,,,,,,", "price", "not a decimal amount"},
		{"price negative", "A,Tee,-1,USD,1,,,,,,", "price", "must not be negative"},
		{"price exponent", "A,Tee,1e3,USD,1,,,,,,", "price", "not a decimal amount"},
		{"currency", "A,Tee,1,dollars,1,,,,,,", "currency", "not a currency code"},
		{"options", "A,Tee,1,USD,1,Color,,,,,", "options", "is not Name=Value"},
		{"option twice", "A,Tee,1,USD,1,Color=Red;Color=Blue,,,,,", "options", "given twice"},
		{"component quantity", "A,Tee,1,USD,1,,B*0,,,,", "components", "whole number from 1"},
		{"component twice", "A,Tee,1,USD,1,,B|B*2,,,,", "components", "listed twice"},
		{"bundle of itself", "A,Tee,1,USD,1,,A*2,,,,", "components", "cannot contain itself"},
		{"hs code", "A,Tee,1,USD,1,,,61,,,", "hs_code", "not an HS code"},
		{"origin", "A,Tee,1,USD,1,,,,Thailand,,", "country_of_origin", "not an ISO 3166"},
		{"returnable", "A,Tee,1,USD,1,,,,,maybe,", "returnable", "not true or false"},
		{"barcode", "A,Tee,1,USD,1,,,,,,12 ab!", "barcode", "not a barcode"},
		{"empty sku", ",Tee,1,USD,1,,,,,,", "sku", "every row needs its SKU"},
		{"sku with separator", "A|B,Tee,1,USD,1,,,,,,", "sku", "one of * | ; = ,"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, errs, err := catalog.ParseProducts(strings.NewReader(header + "OK,Fine,1,USD,1,,,,,,\n" + tc.row + "\n"))
			require.NoError(t, err)
			require.Len(t, errs, 1, "%v", errs)
			require.Equal(t, 3, errs[0].Row, "the header is row 1, the good row 2")
			require.Equal(t, tc.field, errs[0].Field)
			require.Contains(t, errs[0].Message, tc.msg)
			require.Len(t, f.Rows, 1, "the bad row is left out")
			require.Equal(t, 2, f.Total)
		})
	}
}

func TestParseProductsFile(t *testing.T) {
	t.Run("BOM, CRLF, any column order, options and components", func(t *testing.T) {
		in := "\xef\xbb\xbfcomponents,SKU,Options,price,currency,name\r\n" +
			",TEE-M,Color=Red; Size=M,19.90,usd,Tee M\r\n" +
			"\r\n" +
			`"TEE-M*2|CAP",PACK,,35,USD,Pack` + "\r\n"
		f, errs, err := catalog.ParseProducts(strings.NewReader(in))
		require.NoError(t, err)
		require.Empty(t, errs)
		require.Len(t, f.Rows, 2)
		require.Equal(t, map[string]string{"Color": "Red", "Size": "M"}, f.Rows[0].Options)
		require.Equal(t, "USD", f.Rows[0].Currency)
		require.False(t, f.Rows[0].SetComponents)
		require.Equal(t, []catalog.Component{{SKU: "TEE-M", Quantity: 2}, {SKU: "CAP", Quantity: 1}}, f.Rows[1].Components)
		require.Equal(t, 4, f.Rows[1].Row, "a blank row still counts")
	})
	t.Run("duplicate SKU", func(t *testing.T) {
		_, errs, err := catalog.ParseProducts(strings.NewReader("sku,name\nA,x\nB,y\nA,z\n"))
		require.NoError(t, err)
		require.Equal(t, []catalog.RowError{{Row: 4, Field: "sku", Message: "A is already on row 2"}}, errs)
	})
	t.Run("dash clears", func(t *testing.T) {
		f, _, err := catalog.ParseProducts(strings.NewReader("sku,brand,barcode,components\nA,-,-,-\n"))
		require.NoError(t, err)
		require.True(t, f.Rows[0].Clear["brand"] && f.Rows[0].Clear["barcode"])
		require.True(t, f.Rows[0].SetComponents)
		require.False(t, f.Rows[0].Bundle())
	})
	for name, in := range map[string]string{
		"unknown column": "sku,name,colour\nA,x,red\n",
		"no sku column":  "name\nx\n",
		"column twice":   "sku,name,Name\nA,x,y\n",
		"empty":          "",
		"not UTF-8":      "sku,name\nA,\xff\xfe\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := catalog.ParseProducts(strings.NewReader(in))
			require.ErrorIs(t, err, catalog.ErrFile)
		})
	}
	t.Run("the template parses", func(t *testing.T) {
		f, errs, err := catalog.ParseProducts(strings.NewReader(catalog.Template()))
		require.NoError(t, err)
		require.Empty(t, errs)
		require.Len(t, f.Rows, 2)
		require.True(t, f.Rows[1].Bundle())
	})
}

func TestPrices(t *testing.T) {
	for _, tc := range []struct {
		price, currency string
		minor           int64
		text            string
	}{
		{"19.90", "USD", 1990, "19.90"},
		{"19.9", "USD", 1990, "19.90"},
		{"48000", "VND", 48000, "48000"},
		{"1.5", "KWD", 1500, "1.500"},
		{"0.05", "THB", 5, "0.05"},
	} {
		got, err := catalog.PriceMinor(tc.price, tc.currency)
		require.NoError(t, err)
		require.Equal(t, tc.minor, got)
		require.Equal(t, tc.text, catalog.FormatPrice(got, tc.currency))
	}
	for _, bad := range [][2]string{{"19.999", "USD"}, {"10.5", "JPY"}} {
		_, err := catalog.PriceMinor(bad[0], bad[1])
		require.Error(t, err, "%v", bad)
	}
}

func TestRejectsCSV(t *testing.T) {
	in := []byte("\xef\xbb\xbfsku,name\r\nA,x\r\nB\r\nC,z\r\n")
	out, err := catalog.RejectsCSV(in, []catalog.RowError{{Row: 3, Field: "name", Message: "required"}, {Row: 3, Message: "also"}, {Row: 4, Field: "sku", Message: "bad"}})
	require.NoError(t, err)
	require.Equal(t, "sku,name,error\r\nB,,name: required; also\r\nC,z,sku: bad\r\n", string(out))
}
