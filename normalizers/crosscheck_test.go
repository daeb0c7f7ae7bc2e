package normalizers

import (
	"slices"
	"testing"
)

// Check digits computed independently of this code (a Python one-liner over
// the alphabet 0-9A-NÑO-Z).
func TestCURPCheckDigit(t *testing.T) {
	tests := []struct {
		curp string
		want bool
	}{
		{"MEGA950415MDFRRN02", true},
		{"MEGA950415MDFRRN07", false}, // the Trully seed's CURP: its check digit is wrong
		{"VISH560427MSRLNL07", true},
		{"VISH560427MSRLNL06", false}, // the Veriff seed's CURP
		{"GOMZ890415HDFRRN09", true},
		{"PEÑA800101HDFXXX03", true}, // Ñ counts as 24
		{"PEÑA800101HDFXXX04", false},
		{"HEGG560427MVZRRL04", true},
		{"HEGG560427MVZRRL0", false},   // too short
		{"HEGG560427MVZRRL045", false}, // too long
		{"hegg560427mvzrrl04", false},  // lower case is not in the alphabet
		{"", false},
	}
	for _, tt := range tests {
		if got := CURPCheckDigitValid(tt.curp); got != tt.want {
			t.Errorf("CURPCheckDigitValid(%q) = %v, want %v", tt.curp, got, tt.want)
		}
	}
}

func TestCURPWellFormed(t *testing.T) {
	tests := []struct {
		curp string
		want bool
	}{
		{"MEGA950415MDFRRN02", true},
		{"GOMZ000229HDFRRNA1", true},  // 2000-02-29 exists; A marks the 2000s
		{"GOMZ010229HDFRRNA1", false}, // 2001-02-29 does not
		{"GOMZ891315HDFRRN09", false}, // month 13
		{"GOMZ890415QDFRRN09", false}, // sex Q
		{"GOMZ890415HXXRRN09", false}, // state XX
		{"GOMZ890415HDFRAN09", false}, // vowel among the inner consonants
		{"GOMZ890415HNERRN09", true},  // born abroad
		{"G0MZ890415HDFRRN09", false},
	}
	for _, tt := range tests {
		if got := CURPWellFormed(tt.curp); got != tt.want {
			t.Errorf("CURPWellFormed(%q) = %v, want %v", tt.curp, got, tt.want)
		}
	}
	if d := curpDate("GOMZ000229HDFRRNA1"); d != "2000-02-29" {
		t.Errorf("curpDate = %q", d)
	}
	if d := curpDate("VISH560427MSRLNL07"); d != "1956-04-27" {
		t.Errorf("curpDate = %q", d)
	}
}

func TestNameWords(t *testing.T) {
	a := nameWords("MENDOZA GARCIA SOFIA ELENA")
	b := nameWords("Sofía  Elena Mendoza-García")
	if !slices.Equal(a, b) {
		t.Errorf("%v != %v", a, b)
	}
	if slices.Equal(nameWords("SOFIA MENDOZA"), a) {
		t.Error("a shorter name must not match")
	}
}
