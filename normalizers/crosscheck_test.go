package normalizers

import (
	"slices"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
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
		{"BUEY950415MDFRRN02", false}, // an inconvenient word: RENAPO issues BXEY
		{"BXEY950415MDFRRN02", true},
		{"PUTO800101HDFXXX03", false},
		{"PXTO800101HDFXXX03", true},
		{"WUEY800101HDFXXX03", false},
		{"BACA800101HDFXXX03", false},
		{"BACO800101HDFXXX03", true},
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

// TestCrossCheckFutureBirth: a CURP whose encoded birth date lies after the
// evaluation time was never issued, and an age from a future birth date is
// unreadable rather than negative.
func TestCrossCheckFutureBirth(t *testing.T) {
	cat, err := engine.NewCatalog(caseFacts[:])
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name       string
		id         engine.Identity
		wellFormed bool
		age        engine.Value
		ageState   engine.Evidence
	}{
		// 2089-04-15 (17th character a letter: born 2000 or later).
		{"CURP born in 2089", engine.Identity{CURP: "MEGA890415MDFRRNA1"}, false, engine.Value{}, engine.Unreadable},
		// Born the day after the evaluation.
		{"date of birth tomorrow", engine.Identity{DOB: "2026-12-03"}, false, engine.Value{}, engine.Unreadable},
		// Born on the evaluation day, 18 years earlier: 18, not 17.
		{"eighteenth birthday", engine.Identity{DOB: "2008-12-02"}, false, engine.NumberValue(18), engine.Clean},
		{"day before the eighteenth birthday", engine.Identity{DOB: "2008-12-03"}, false, engine.NumberValue(17), engine.Clean},
		{"a real CURP", engine.Identity{CURP: "MEGA950415MDFRRN02"}, true, engine.NumberValue(31), engine.Clean},
	} {
		f := engine.NewFacts(cat)
		f.AsOf = asOf
		f.Identities = []engine.Identity{tt.id}
		crossCheck(cat, f)
		wf, _ := f.Lookup("case.curp.well_formed")
		if tt.id.CURP != "" && wf.True() != tt.wellFormed {
			t.Errorf("%s: well_formed = %v, want %v", tt.name, wf, tt.wellFormed)
		}
		age, _ := f.Lookup("case.age")
		if age.Kind != tt.age.Kind || age.N != tt.age.N || age.E != tt.ageState {
			t.Errorf("%s: age = %v (%v), want %v (%v)", tt.name, age, age.E, tt.age, tt.ageState)
		}
		if spec := cat.Spec(base(cat) + cAge); age.Known() && spec.IsAdverse(age) != (age.N < 18) {
			t.Errorf("%s: age %v adverse = %v", tt.name, age, spec.IsAdverse(age))
		}
	}
}

func base(cat *engine.Catalog) int { b, _ := cat.Base("case"); return b }
