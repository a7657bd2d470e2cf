package credit

import "testing"

func TestClerkValidate(t *testing.T) {
	tests := []struct {
		name string
		c    Clerk
		ok   bool
	}{
		{"clerk", Clerk{ID: "C001", Name: "王芳", Role: RoleClerk}, true},
		{"supervisor", Clerk{ID: "s-01_a", Name: "李强", Role: RoleSupervisor}, true},
		{"empty id", Clerk{Name: "王芳", Role: RoleClerk}, false},
		{"id with space", Clerk{ID: "C 001", Name: "王芳", Role: RoleClerk}, false},
		{"chinese id", Clerk{ID: "王", Name: "王芳", Role: RoleClerk}, false},
		{"long id", Clerk{ID: "C0000000000000000000000000000000001", Name: "王芳", Role: RoleClerk}, false},
		{"blank name", Clerk{ID: "C001", Name: "  ", Role: RoleClerk}, false},
		{"bad role", Clerk{ID: "C001", Name: "王芳", Role: "admin"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok %v", err, tt.ok)
			}
			if err != nil && (ErrorCode(err) != EINVALID || ErrorMessage(err) == "" || ErrorMessageEN(err) == "") {
				t.Errorf("error %v is not a bilingual EINVALID", err)
			}
		})
	}
}

func TestArt25Purposes(t *testing.T) {
	if len(Art25Purposes) != 6 {
		t.Fatalf("Art. 25 has six items, the table %d", len(Art25Purposes))
	}
	seen := map[string]bool{}
	for _, p := range Art25Purposes {
		zh, en := p.Label()
		if !p.Valid() || zh == string(p) || en == string(p) || seen[zh] {
			t.Errorf("purpose %q: valid %v, labels %q / %q", p, p.Valid(), zh, en)
		}
		seen[zh] = true
	}
	for _, p := range []InquiryPurpose{"", PurposeSelf, PurposePublic, "art25_"} {
		if p.Valid() {
			t.Errorf("%q accepted as an Art. 25 purpose", p)
		}
	}
}
