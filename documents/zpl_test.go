package documents

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden ZPL files in testdata/")

func TestLabelZPLGolden(t *testing.T) {
	prepaid := vietLabel()
	for _, tc := range []struct {
		file string
		data LabelData
	}{
		{"label_thai_cod.zpl", thaiLabel()},
		{"label_vietnamese.zpl", prepaid},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := Label(tc.data, ZPL)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./documents -run ZPLGolden -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("ZPL differs from %s (rerun with -update if the change is meant):\n%s", path, got)
			}
			checkZPL(t, string(got))
		})
	}
}

func TestLabelZPLContent(t *testing.T) {
	d := thaiLabel()
	out, err := Label(d, ZPL)
	if err != nil {
		t.Fatal(err)
	}
	z := string(out)
	for _, want := range []string{
		"^CI28", "^PW812", "^LL1218",
		"^BCN,150,Y,N,N,A^FDTH0123456789AB^FS",
		"^BQN,2,", "^FH^FDMA,https://ordo.test/t/SHP-1001-01^FS",
		"^FDCOD 1,250.00 THB^FS",
		"กรุงเทพมหานคร 10110",
		"สมชาย ใจดี",
		"^FDParcel 1 of 2^FS", "^FDWeight 1.25 kg^FS", "^FDShip by 2026-12-08^FS",
	} {
		if !strings.Contains(z, want) {
			t.Errorf("ZPL lacks %q:\n%s", want, z)
		}
	}
	d.COD = nil
	out, err = Label(d, ZPL)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "COD") {
		t.Errorf("prepaid label prints COD:\n%s", out)
	}
}

func TestZPLEscaping(t *testing.T) {
	d := thaiLabel()
	d.Carrier = "Evil^XZ^XA^FO0,0^GB812,1218,812^FS"
	d.Service = "~JR reset"
	d.To.Name = "Name_with_underscore \\& back\\slash"
	d.To.Lines = []string{"^FS^XZ", "~DGR:X.GRF", "line\nbreak\r^XZ"}
	d.ShipmentRef = "^XZ"
	d.OrderNumber = "ORD~1^2"
	d.QRURL = "https://ordo.test/t/a^XZ~JA_b"
	out, err := Label(d, ZPL)
	if err != nil {
		t.Fatal(err)
	}
	z := string(out)
	checkZPL(t, z)
	for _, want := range []string{
		"^FH^FDEvil_5EXZ_5EXA_5EFO0,0_5EGB812,1218,812_5EFS^FS",
		"^FH^FD_7EJR reset^FS",
		`^FH^FDName_5Fwith_5Funderscore \\& back\\slash^FS`,
		`_5EFS_5EXZ\&_7EDGR:X.GRF\&line break _5EXZ`,
		"^FH^FDMA,https://ordo.test/t/a_5EXZ_7EJA_5Fb^FS",
		"^FH^FDOrder ORD_7E1_5E2^FS",
	} {
		if !strings.Contains(z, want) {
			t.Errorf("ZPL lacks %q:\n%s", want, z)
		}
	}
}

// checkZPL asserts the program's shape: one ^XA first, one ^XZ last, no ~ command anywhere, and every
// field's data free of ^ and ~ (so user text injected nothing) and closed by ^FS.
func checkZPL(t *testing.T, z string) {
	t.Helper()
	if !strings.HasPrefix(z, "^XA\n") || !strings.HasSuffix(z, "^XZ\n") {
		t.Fatalf("ZPL does not run ^XA … ^XZ:\n%s", z)
	}
	if n := strings.Count(z, "^XZ"); n != 1 {
		t.Fatalf("ZPL has %d ^XZ:\n%s", n, z)
	}
	if n := strings.Count(z, "^XA"); n != 1 {
		t.Fatalf("ZPL has %d ^XA:\n%s", n, z)
	}
	if strings.Contains(z, "~") {
		t.Fatalf("ZPL contains a ~ (control command prefix):\n%s", z)
	}
	for _, field := range strings.Split(z, "^FD")[1:] {
		data, _, ok := strings.Cut(field, "^FS")
		if !ok {
			t.Fatalf("field %q is not closed by ^FS", field)
		}
		if strings.ContainsAny(data, "^~\r\n") {
			t.Fatalf("field data %q holds a command prefix or a line break", data)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(z, "\n"), "\n") {
		if !strings.HasPrefix(line, "^") {
			t.Fatalf("line %q does not start with a command", line)
		}
	}
}

func FuzzLabelZPL(f *testing.F) {
	f.Add("Ninja Van", "สมชาย ใจดี", "123 ถนน^XZ", "ORD-1", "https://ordo.test/t/1", "TH0123")
	f.Add("^XZ^XA", "~JA", "\\&_5E", "\xff\x00", "https://x.test/~^_", "A-1.2/3")
	f.Add("Nguyễn 😀", strings.Repeat("ก", 300), "\r\n^FS", "", "", "9")
	f.Fuzz(func(t *testing.T, carrier, name, line, order, qr, tracking string) {
		d := LabelData{
			TrackingNumber: "TH0123", Carrier: carrier, Service: line, ShipmentRef: order,
			From:        Address{Name: name, Lines: []string{line}, City: carrier},
			To:          Address{Name: name, Phone: order, Lines: []string{line, name}, Country: carrier},
			OrderNumber: order,
		}
		// The text fields alone are never refused: they are escaped.
		out, err := Label(d, ZPL)
		if err != nil {
			t.Fatalf("text refused: %v", err)
		}
		checkZPL(t, string(out))
		// A tracking number or QR payload a barcode cannot carry is refused; any other is safe.
		d.TrackingNumber, d.QRURL = tracking, qr
		if out, err = Label(d, ZPL); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			return
		}
		checkZPL(t, string(out))
	})
}
