package idcard

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	credit "github.com/gansu-credit/credit"
)

// demoCard is a valid Gansu resident card (number checked by MOD 11-2).
var demoCard = credit.IDCard{
	Kind: credit.CardResident, Name: "张晓燕", Sex: "2", Ethnic: "01", Birth: "19850312",
	Address: "甘肃省兰州市城关区庆阳路 100 号", Number: "620102198503120021",
	Authority: "兰州市公安局城关分局", ValidFrom: "20150601", ValidTo: "20350601",
}

// handText lays out a resident block by hand from §2.1's offsets, without
// EncodeText, so the parser is checked against the table, not itself.
func handText(fields map[int]string, flag uint16) []byte {
	b := make([]byte, TextLen)
	for i := 0; i < TextLen; i += 2 {
		b[i] = ' '
	}
	for off, s := range fields {
		for i, u := range utf16.Encode([]rune(s)) {
			binary.LittleEndian.PutUint16(b[off+2*i:], u)
		}
	}
	if flag != 0 {
		binary.LittleEndian.PutUint16(b[248:], flag)
	}
	return b
}

func TestParseTextResidentOffsets(t *testing.T) {
	b := handText(map[int]string{
		0: "阿依古丽·买买提", 30: "2", 32: "05", 36: "19900307", 52: "新疆乌鲁木齐市 天山区  1号",
		122: "11010119900307803X", 158: "乌鲁木齐市公安局", 188: "20100101", 204: "长期",
	}, 0)
	// NUL padding after the end date must be trimmed too.
	binary.LittleEndian.PutUint16(b[204+4:], 0)
	got, err := ParseText(b)
	if err != nil {
		t.Fatal(err)
	}
	want := credit.IDCard{Kind: credit.CardResident, Name: "阿依古丽·买买提", Sex: "2", Ethnic: "05",
		Birth: "19900307", Address: "新疆乌鲁木齐市 天山区  1号", Number: "11010119900307803X",
		Authority: "乌鲁木齐市公安局", ValidFrom: "20100101", ValidTo: credit.LongTerm}
	if got != want {
		t.Fatalf("ParseText =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseTextKinds(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		want credit.IDCard
	}{
		{"gat J", handText(map[int]string{0: "陈大文", 30: "1", 32: "  ", 36: "19900101", 52: "香港",
			122: "810000199001010019", 158: "公安局", 188: "20200101", 204: "20250101", 220: "H12345678", 238: "01"}, 'J'),
			credit.IDCard{Kind: credit.CardGAT, Name: "陈大文", Sex: "1", Birth: "19900101", Address: "香港",
				Number: "810000199001010019", Authority: "公安局", ValidFrom: "20200101", ValidTo: "20250101"}},
		{"foreign 2017 I with Chinese name", handText(map[int]string{0: "SMITH, JOHN PAUL", 120: "1",
			122: "USA110099120001", 152: "USA", 158: "史密斯", 188: "20170101", 204: "20270101", 220: "19800101"}, 'I'),
			credit.IDCard{Kind: credit.CardForeign2017, Name: "史密斯", Sex: "1", Birth: "19800101",
				Number: "USA110099120001", ValidFrom: "20170101", ValidTo: "20270101"}},
		{"foreign 2017 I English only", handText(map[int]string{0: "SMITH, JOHN PAUL", 120: "2",
			122: "USA110099120001", 188: "20170101", 204: "20270101", 220: "19800101"}, 'I'),
			credit.IDCard{Kind: credit.CardForeign2017, Name: "SMITH, JOHN PAUL", Sex: "2", Birth: "19800101",
				Number: "USA110099120001", ValidFrom: "20170101", ValidTo: "20270101"}},
		{"foreign 2023 Y long English name", handText(map[int]string{30: "2", 36: "19851201",
			52: "VANDERBILT-MONTGOMERY, ALEXANDRA C", 122: "911840198512010013", 188: "20230101", 204: "20330101",
			220: "HARLOTTE", 242: "USA"}, 'Y'),
			credit.IDCard{Kind: credit.CardForeign2023, Name: "VANDERBILT-MONTGOMERY, ALEXANDRA C HARLOTTE", Sex: "2",
				Birth: "19851201", Number: "911840198512010013", ValidFrom: "20230101", ValidTo: "20330101"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseText(tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("ParseText =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseTextLength(t *testing.T) {
	for _, n := range []int{0, 1, 255, 257, 1024} {
		if _, err := ParseText(make([]byte, n)); !errors.Is(err, ErrBadFrame) || credit.ErrorCode(err) != credit.EDEVICE {
			t.Errorf("%d bytes: err %v", n, err)
		}
	}
}

func TestEncodeTextRoundTrip(t *testing.T) {
	longTerm := demoCard
	longTerm.ValidTo = credit.LongTerm
	tests := []credit.IDCard{
		demoCard,
		longTerm,
		{Kind: credit.CardGAT, Name: "陈大文", Sex: "1", Birth: "19900101", Address: "香港", Number: "810000199001010019",
			Authority: "公安局", ValidFrom: "20200101", ValidTo: "20250101"},
		{Kind: credit.CardForeign2017, Name: "SMITH, JOHN", Sex: "1", Number: "USA110099120001", Birth: "19800101",
			ValidFrom: "20170101", ValidTo: "20270101"},
		{Kind: credit.CardForeign2017, Name: "史密斯", Sex: "1", Number: "USA110099120001", Birth: "19800101"},
		{Kind: credit.CardForeign2023, Name: strings.Repeat("AB ", 15) + "C", Sex: "2", Number: "911840198512010013",
			Birth: "19851201", ValidFrom: "20230101", ValidTo: "20330101"},
		{Kind: credit.CardForeign2023, Name: "玛丽", Sex: "2", Number: "911840198512010013"},
	}
	for _, c := range tests {
		t.Run(string(c.Kind)+" "+c.Name, func(t *testing.T) {
			b, err := EncodeText(c)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) != TextLen {
				t.Fatalf("%d bytes", len(b))
			}
			got, err := ParseText(b)
			if err != nil {
				t.Fatal(err)
			}
			if got != c {
				t.Fatalf("round trip =\n%+v\nwant\n%+v", got, c)
			}
		})
	}
}

func TestEncodeTextErrors(t *testing.T) {
	tooLong := demoCard
	tooLong.Name = strings.Repeat("张", 16)
	badKind := demoCard
	badKind.Kind = "passport"
	longEN := credit.IDCard{Kind: credit.CardForeign2023, Name: strings.Repeat("A", 47)}
	for _, c := range []credit.IDCard{tooLong, badKind, longEN} {
		if _, err := EncodeText(c); err == nil {
			t.Errorf("EncodeText(%+v) succeeded", c)
		}
	}
}

func TestCheckCard(t *testing.T) {
	lower := demoCard
	lower.Number = "11010119900307803x"
	lower.Birth = "19900307"
	tests := []struct {
		name       string
		mod        func(*credit.IDCard)
		wantErr    string // part of the Chinese message; "" = valid
		wantNumber string
	}{
		{"valid", func(*credit.IDCard) {}, "", demoCard.Number},
		{"lower-case x normalised", func(c *credit.IDCard) { *c = lower }, "", "11010119900307803X"},
		{"bad check digit", func(c *credit.IDCard) { c.Number = "620102198503120022" }, "校验位错误", ""},
		{"short", func(c *credit.IDCard) { c.Number = "62010219850312" }, "应为18位", ""},
		{"birth mismatch", func(c *credit.IDCard) { c.Birth = "19850313" }, "出生日期与号码不符", ""},
		{"expired is fine", func(c *credit.IDCard) { c.ValidTo = "20000101" }, "", demoCard.Number},
		{"gat", func(c *credit.IDCard) {
			c.Kind, c.Number, c.Birth = credit.CardGAT, "810000199001010019", "19900101"
		}, "", "810000199001010019"},
		{"foreign 2017", func(c *credit.IDCard) { c.Kind, c.Number = credit.CardForeign2017, "USA110099120001" }, "", "USA110099120001"},
		{"foreign 2017 bad", func(c *credit.IDCard) { c.Kind, c.Number = credit.CardForeign2017, "US1110099120001" }, "3个字母", ""},
		{"foreign 2023", func(c *credit.IDCard) { c.Kind, c.Number = credit.CardForeign2023, "911840198512010013" }, "", "911840198512010013"},
		{"foreign 2023 bad", func(c *credit.IDCard) { c.Kind, c.Number = credit.CardForeign2023, "9118401985120100" }, "18位", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := demoCard
			tt.mod(&c)
			got, err := CheckCard(c)
			if tt.wantErr == "" {
				if err != nil || got.Number != tt.wantNumber {
					t.Fatalf("CheckCard = %q, %v", got.Number, err)
				}
				return
			}
			if credit.ErrorCode(err) != credit.EDEVICE || !strings.Contains(credit.ErrorMessage(err), tt.wantErr) ||
				!strings.Contains(credit.ErrorMessageEN(err), "invalid") {
				t.Fatalf("err %v (%q), want EDEVICE containing %q", err, credit.ErrorMessage(err), tt.wantErr)
			}
		})
	}
}
