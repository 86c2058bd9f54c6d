package documents

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// needTools skips the test when poppler-utils or zbar-tools are missing, and fails it instead when
// ORDO_TEST_REQUIRE_TOOLS=1 (CI installs them and sets it).
func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "pdftotext", "pdfinfo", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := tool + " not found: install poppler-utils and zbar-tools (apt-get install poppler-utils zbar-tools)"
			if os.Getenv("ORDO_TEST_REQUIRE_TOOLS") == "1" {
				t.Fatal(msg + "; ORDO_TEST_REQUIRE_TOOLS=1 requires them")
			}
			t.Skip(msg)
		}
	}
}

// writePDF stores pdf in a temporary file and returns its path.
func writePDF(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s %v: %v %s", name, args, err, stderr)
	}
	return string(out)
}

// pdfText is the text poppler extracts from the PDF.
func pdfText(t *testing.T, path string) string {
	return tool(t, "pdftotext", "-enc", "UTF-8", path, "-")
}

// pageSizes are the pages' sizes in points as pdfinfo reports them, and the page count.
func pageSizes(t *testing.T, path string) (sizes [][2]float64) {
	out := tool(t, "pdfinfo", "-f", "1", "-l", "1000", path)
	re := regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([0-9.]+) x ([0-9.]+) pts`)
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		sizes = append(sizes, [2]float64{w, h})
	}
	if len(sizes) == 0 {
		t.Fatalf("pdfinfo reported no page size:\n%s", out)
	}
	return sizes
}

// zbarFlags are zbarimg's options: quiet, and without D-Bus where zbarimg has the switch (it
// otherwise waits on a system bus that test machines lack).
var zbarFlags = sync.OnceValue(func() []string {
	help, _ := exec.Command("zbarimg", "--help").CombinedOutput()
	if strings.Contains(string(help), "--nodbus") {
		return []string{"-q", "--nodbus"}
	}
	return []string{"-q"}
})

// symbols rasterises every page at 300 dpi and decodes its barcodes with zbarimg; the result is
// sorted "TYPE:value" strings (QR-Code:..., CODE-128:...).
func symbols(t *testing.T, path string) []string {
	dir := t.TempDir()
	tool(t, "pdftoppm", "-r", "300", "-png", path, filepath.Join(dir, "page"))
	pngs, err := filepath.Glob(filepath.Join(dir, "page*.png"))
	if err != nil || len(pngs) == 0 {
		t.Fatalf("pdftoppm wrote no pages (%v)", err)
	}
	var all []string
	for _, png := range pngs {
		cmd := exec.Command("zbarimg", append(zbarFlags(), png)...)
		out, err := cmd.Output()
		// zbarimg exits 4 when it finds no symbol: that is an empty result, not a failure.
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 4 {
			continue
		} else if err != nil {
			t.Fatalf("zbarimg %s: %v", png, err)
		}
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l != "" {
				all = append(all, l)
			}
		}
	}
	sort.Strings(all)
	return all
}
