package credit_test

import (
	"log/slog"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
)

func TestParseIDNumber(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        string // substring of the English message; "" = valid
	}{
		{"GB 11643 example, female", "11010519491231002X", "11010519491231002X", ""},
		{"male", "440524188001010014", "440524188001010014", ""},
		{"X check", "11010119900307803X", "11010119900307803X", ""},
		{"digit check", "110101199003074514", "110101199003074514", ""},
		{"lower-case x normalised", "11010519491231002x", "11010519491231002X", ""},
		{"full-width digits and Ｘ", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", ""},
		{"surrounding spaces", "  110101199003074514 ", "110101199003074514", ""},
		{"check should be X", "110105194912310021", "", "check character is wrong (expected X)"},
		{"wrong check digit", "110105194912310029", "", "check character is wrong"},
		{"too short", "11010519491231002", "", "18 characters; got 17"},
		{"empty", "", "", "18 characters; got 0"},
		{"letter inside", "1101051949123100AX", "", "Character 17"},
		{"impossible date", "110105194902300021", "", "not a real date"},
		{"year 1700", "110105170001010011", "", "birth year"},
		{"bad last char", "11010519491231002Y", "", "last character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := credit.ParseIDNumber(tt.in)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseIDNumber(%q): %v", tt.in, err)
				}
				if string(got) != tt.want {
					t.Fatalf("got %q, want %q", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseIDNumber(%q) = %q, want error", tt.in, got)
			}
			if credit.ErrorCode(err) != credit.EINVALID {
				t.Errorf("code = %q, want invalid", credit.ErrorCode(err))
			}
			if !strings.Contains(credit.ErrorMessageEN(err), tt.wantErr) {
				t.Errorf("message %q lacks %q", credit.ErrorMessageEN(err), tt.wantErr)
			}
			if credit.ErrorMessage(err) == "" || credit.ErrorMessage(err) == credit.ErrorMessageEN(err) {
				t.Errorf("Chinese message missing: %q", credit.ErrorMessage(err))
			}
		})
	}
}

func TestIDNumberParts(t *testing.T) {
	n, err := credit.ParseIDNumber("11010519491231002X")
	if err != nil {
		t.Fatal(err)
	}
	if n.Region() != "110105" || n.Birth().Format("2006-01-02") != "1949-12-31" || n.Male() {
		t.Errorf("parts: region %s birth %s male %v", n.Region(), n.Birth(), n.Male())
	}
	if got := n.Masked(); got != "1101**********002X" {
		t.Errorf("Masked = %q", got)
	}
	m, _ := credit.ParseIDNumber("440524188001010014")
	if !m.Male() {
		t.Error("440524188001010014 should be male (odd sequence)")
	}
}

func TestIDCheckCharMatchesParser(t *testing.T) {
	for _, first := range []string{"62010219850312002", "62290119700101001", "11010519491231002"} {
		id := first + string(credit.IDCheckChar(first))
		if _, err := credit.ParseIDNumber(id); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
}

func TestIDNumberNeverLogsInFull(t *testing.T) {
	var b strings.Builder
	log := slog.New(slog.NewJSONHandler(&b, nil))
	n, _ := credit.ParseIDNumber("11010519491231002X")
	log.Info("card read", "id", n, "name", credit.PersonName("张三丰"))
	out := b.String()
	if strings.Contains(out, "11010519491231002X") || strings.Contains(out, "三丰") {
		t.Fatalf("log leaks personal data: %s", out)
	}
	if !strings.Contains(out, "1101**********002X") || !strings.Contains(out, "张**") {
		t.Fatalf("log lacks the masked values: %s", out)
	}
}

func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "110105194912310021", "", "x", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := credit.ParseIDNumber(s)
		if err != nil {
			if credit.ErrorCode(err) != credit.EINVALID {
				t.Fatalf("error code %q for %q", credit.ErrorCode(err), s)
			}
			return
		}
		// A valid number re-parses to itself and its check char agrees.
		again, err := credit.ParseIDNumber(string(n))
		if err != nil || again != n {
			t.Fatalf("re-parse of %q: %q, %v", n, again, err)
		}
		if credit.IDCheckChar(string(n)[:17]) != n[17] {
			t.Fatalf("check char mismatch for %q", n)
		}
	})
}
