package idcard_test

import (
	"fmt"
	"testing"

	"github.com/gansu-credit/credit/device/idcard"
)

func TestSexName(t *testing.T) {
	tests := []struct{ code, zh, en string }{
		{"0", "未知的性别", "unknown"}, {"1", "男", "male"}, {"2", "女", "female"}, {"9", "未说明的性别", "unstated"},
	}
	for _, tt := range tests {
		zh, en, ok := idcard.SexName(tt.code)
		if !ok || zh != tt.zh || en != tt.en {
			t.Errorf("SexName(%q) = %q %q %v", tt.code, zh, en, ok)
		}
	}
	for _, bad := range []string{"", "3", "男", "10"} {
		if _, _, ok := idcard.SexName(bad); ok {
			t.Errorf("SexName(%q) accepted", bad)
		}
	}
}

func TestEthnicName(t *testing.T) {
	for code, want := range map[string]string{"01": "汉族", "02": "蒙古族", "05": "维吾尔族", "35": "撒拉族",
		"36": "毛南族", "46": "德昂族", "48": "裕固族", "56": "基诺族", "97": "其他", "98": "外国血统中国籍人士"} {
		if got, ok := idcard.EthnicName(code); !ok || got != want {
			t.Errorf("EthnicName(%q) = %q, %v; want %q", code, got, ok, want)
		}
	}
	n := 0
	for i := range 100 {
		if _, ok := idcard.EthnicName(fmt.Sprintf("%02d", i)); ok {
			n++
		}
	}
	if n != 58 {
		t.Errorf("%d codes known, want 56 groups + 97 + 98", n)
	}
	for _, bad := range []string{"", "00", "57", "99", "1", "  "} {
		if _, ok := idcard.EthnicName(bad); ok {
			t.Errorf("EthnicName(%q) accepted", bad)
		}
	}
}
