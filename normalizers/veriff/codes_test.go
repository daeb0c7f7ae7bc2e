package veriff

import (
	"testing"
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
