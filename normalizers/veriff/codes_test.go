package veriff

import (
	"testing"
	"time"
)

func TestDates(t *testing.T) {
	for in, want := range map[string]string{
		"31 de diciembre de 2028": "2028-12-31",
		"1 de Enero de 2030":      "2030-01-01",
		"15 SEPT 2027":            "2027-09-15",
		"30 de setiembre de 2026": "2026-09-30",
		"2029":                    "2029-12-31",
		"2028-06-30":              "2028-06-30",
		"30/06/2028":              "2028-06-30",
		"31 de febrero de 2028":   "",
		"mañana":                  "",
		"de de de":                "",
		"":                        "",
	} {
		got := ""
		if t2, ok := parseSpanishDate(in); ok {
			got = t2.Format("2006-01-02")
		}
		if got != want {
			t.Errorf("parseSpanishDate(%q) = %q, want %q", in, got, want)
		}
	}
	for in, ok := range map[string]bool{
		"2024-01-01T00:07:45Z":        true,
		"2024-01-08":                  true,
		"2024-01-01T00:05:30.000000Z": true,
		"2024-01-01T00:05:30.123":     true,
		"2024-01-01T00:05:30+0100":    true,
		"yesterday":                   false,
	} {
		if _, got := parseTime(in); got != ok {
			t.Errorf("parseTime(%q) ok = %v", in, got)
		}
	}
	for in, ok := range map[string]bool{
		"VISH560427MSRLNL06": true,
		"MERR700812HDFNZB09": true,
		"vish560427msrlnl06": false,
		"VISH560427MSRLNL0":  false,
		"123456789":          false,
		"VISH560427ZSRLNL06": false,
	} {
		if isCURP(in) != ok {
			t.Errorf("isCURP(%q) != %v", in, ok)
		}
	}
}

func TestCodeTables(t *testing.T) {
	for code, want := range map[int][2]string{
		102: {"decline", "document_tampering"}, 103: {"decline", "face_mismatch"},
		105: {"decline", "suspicious_behaviour"}, 106: {"decline", "known_fraud"},
		108: {"decline", "duplicate"}, 109: {"decline", "duplicate"}, 110: {"decline", "duplicate"},
		112: {"decline", "restricted_location"}, 120: {"decline", "face_mismatch"},
		126: {"decline", "pep"}, 530: {"decline", "underage"}, 536: {"decline", "underage"},
		539: {"decline", "resubmission_limit"}, 199: {"decline", "other"},
		201: {"resubmission", "missing_media"}, 202: {"resubmission", "image_quality"},
		203: {"resubmission", "image_quality"}, 204: {"resubmission", "image_quality"},
		205: {"resubmission", "document_damaged"}, 206: {"resubmission", "document_not_supported"},
		207: {"resubmission", "document_expired"}, 620: {"resubmission", "document_expired"},
		700: {"other", "other"}, 0: {"other", "other"},
	} {
		if g, c := reasonGroup(code), reasonCategory(code); g != want[0] || c != want[1] {
			t.Errorf("%d: %s/%s, want %s/%s", code, g, c, want[0], want[1])
		}
	}
	for c := 0; c < 1000; c++ {
		cat := reasonCategory(c)
		if canon(cat, categoryValues) != cat {
			t.Errorf("%d: category %q not among the documented values", c, cat)
		}
	}
}

// TestEqFold: ASCII letters match in either case, at both ends of the
// alphabet, and surrounding blanks of the first argument are ignored;
// nothing else is folded.
func TestEqFold(t *testing.T) {
	for _, tt := range []struct {
		s, t string
		want bool
	}{
		{"approved", "approved", true},
		{"APPROVED", "approved", true},
		{"approved", "APPROVED", true},
		{"A", "a", true}, {"a", "A", true}, {"Z", "z", true}, {"z", "Z", true},
		{"@", "`", false}, {"`", "@", false}, {"[", "{", false}, {"{", "[", false},
		{" \tBR\t ", "br", true},
		{"\tbr", "BR", true},
		{"br \t", "BR", true},
		{"", "", true},
		{" \t", "", true},
		{"", "br", false},
		{"b r", "br", false},
		{"brr", "br", false},
		{"\nbr", "br", false},
	} {
		if got := eqFold(tt.s, tt.t); got != tt.want {
			t.Errorf("eqFold(%q, %q) = %v", tt.s, tt.t, got)
		}
	}
	if trimSpace(" \t\n x y\r\n ") != "x y" || trimSpace("   ") != "" {
		t.Error("trimSpace")
	}
}

func TestSpanishMonth(t *testing.T) {
	for in, want := range map[string]time.Month{
		"enero": time.January, "ene": time.January, "ENE.": time.January, "ener": time.January,
		"febr.": time.February, "mar": time.March, "dic": time.December, "Dic.": time.December,
		"set": time.September, "set.": time.September, "setiembre": time.September, "sept": time.September,
		"di": 0, "en.": 0, "": 0, "eneros": 0, "xyz": 0,
	} {
		if got := spanishMonth(in); got != want {
			t.Errorf("spanishMonth(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestAtoi(t *testing.T) {
	for in, want := range map[string]int{"0": 0, "7": 7, "2028": 2028, "999999999": 999999999} {
		if got, ok := atoi(in); !ok || got != want {
			t.Errorf("atoi(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "1234567890", "12a", "-1", "/", ":"} {
		if _, ok := atoi(in); ok {
			t.Errorf("atoi(%q) ok", in)
		}
	}
}

// TestIsCURPPositions: each position of a CURP takes its class of
// character, at both ends of the class.
func TestIsCURPPositions(t *testing.T) {
	for in, ok := range map[string]bool{
		"AAAA000101HAAAAA09":  true,
		"ZZZZ991231XZZZZZZ9":  true,
		"GARC850101MDFRRLA0":  true,
		"@AAA000101HAAAAA09":  false,
		"[AAA000101HAAAAA09":  false,
		"AAAA/00101HAAAAA09":  false,
		"AAAA00010:HAAAAA09":  false,
		"AAAA000101HAAAAa09":  false,
		"AAAA000101HAAAA@09":  false,
		"AAAA000101HAAAAA#9":  false,
		"AAAA000101HAAAAA0A":  false,
		"AAAA000101HAAAAA0:":  false,
		"AAAA000101GAAAAA09":  false,
		"AAAA000101HAAAAA0":   false,
		"AAAA000101HAAAAA090": false,
	} {
		if isCURP(in) != ok {
			t.Errorf("isCURP(%q) != %v", in, ok)
		}
	}
}

func TestCodeStatus(t *testing.T) {
	for code, want := range map[int][2]string{9001: {"approved", ""}, 9102: {"declined", ""}, 9103: {"resubmission_requested", ""}, 9104: {"expired", "abandoned"}, 9121: {"abandoned", "review"}} {
		if implied, alt, ok := codeStatus(code); !ok || implied != want[0] || alt != want[1] {
			t.Errorf("codeStatus(%d) = %s %s %v", code, implied, alt, ok)
		}
	}
	for _, code := range []int{0, 7001, 9000, 9002, 9122} {
		if _, _, ok := codeStatus(code); ok {
			t.Errorf("codeStatus(%d) ok", code)
		}
	}
	for in, want := range map[string]int8{"MATCH": 6, "partial_match": 5, "NO_MATCH": 4, "INVALID": 3, "NO_DATA": 2, "NO_INPUT": 1, "": 0, "NEARLY": 0} {
		if got := matchRank(in); got != want {
			t.Errorf("matchRank(%q) = %d, want %d", in, got, want)
		}
	}
}
