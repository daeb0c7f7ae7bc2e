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
	// Any letter A-Z as the 17th character marks the 2000s; 17 characters
	// are enough to tell the date.
	if d := curpDate("GOMZ000229HDFRRNZ1"); d != "2000-02-29" {
		t.Errorf("curpDate with Z = %q", d)
	}
	if d := curpDate("GOMZ000229HDFRRNA"); d != "2000-02-29" {
		t.Errorf("curpDate of 17 characters = %q", d)
	}
	if d := curpDate("GOMZ000229HDFRRN"); d != "" {
		t.Errorf("curpDate of 16 characters = %q", d)
	}
}

func TestNameWords(t *testing.T) {
	a := nameWords("MENDOZA GARCIA SOFIA ELENA")
	b := nameWords("Sofía  Elena Mendoza-García")
	if !slices.Equal(a, b) {
		t.Errorf("%v != %v", a, b)
	}
	if got := nameWords("ÀÉÎ"); !slices.Equal(got, []string{"AEI"}) {
		t.Errorf("a name of accented letters only: %v", got)
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

// TestCrossCheckIdentities: what the case facts say for the identities the
// providers reported. A fact compared across sources is unknown until two
// sources report it; a count is always known.
func TestCrossCheckIdentities(t *testing.T) {
	cat, err := engine.NewCatalog(caseFacts[:])
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	const curp, otherCURP = "MEGA950415MDFRRN02", "GOMZ890415HDFRRN09" // both valid
	u := engine.Value{}
	b, n := engine.BoolValue, func(x float64) engine.Value { return engine.NumberValue(x) }
	for _, tt := range []struct {
		name string
		ids  []engine.Identity
		// sources (identities, curp, dob, name), then well_formed,
		// check_digit_valid, curp.consistent, dob_match, dob.consistent,
		// name.consistent, age
		sources                                          [4]float64
		wf, cd, curpSame, curpDOB, dobSame, nameSame, ag engine.Value
	}{
		{"nothing reported", nil, [4]float64{0, 0, 0, 0}, u, u, u, u, u, u, u},
		{"an identity without data", []engine.Identity{{Source: "x"}}, [4]float64{1, 0, 0, 0}, u, u, u, u, u, u, u},
		{"one CURP", []engine.Identity{{CURP: curp}}, [4]float64{1, 1, 0, 0}, b(true), b(true), u, u, u, u, n(31)},
		{"one CURP in lower case, padded", []engine.Identity{{CURP: " mega950415mdfrrn02 "}}, [4]float64{1, 1, 0, 0}, b(true), b(true), u, u, u, u, n(31)},
		{"two equal CURPs", []engine.Identity{{CURP: curp}, {CURP: curp}}, [4]float64{2, 2, 0, 0}, b(true), b(true), b(true), u, u, u, n(31)},
		{"two CURPs differ", []engine.Identity{{CURP: curp}, {CURP: otherCURP}}, [4]float64{2, 2, 0, 0}, b(true), b(true), b(false), u, u, u, n(31)},
		{"a bad check digit among two", []engine.Identity{{CURP: curp}, {CURP: "MEGA950415MDFRRN07"}}, [4]float64{2, 2, 0, 0}, b(true), b(false), b(false), u, u, u, n(31)},
		{"a malformed CURP among two", []engine.Identity{{CURP: "BUEY950415MDFRRN08"}, {CURP: curp}}, [4]float64{2, 2, 0, 0}, b(false), b(true), b(false), u, u, u, n(31)},
		{"one date of birth", []engine.Identity{{DOB: "1990-01-01"}}, [4]float64{1, 0, 1, 0}, u, u, u, u, u, u, n(36)},
		{"two equal dates of birth", []engine.Identity{{DOB: "1990-01-01"}, {DOB: "1990-01-01"}}, [4]float64{2, 0, 2, 0}, u, u, u, u, b(true), u, n(36)},
		{"two dates of birth differ: the first gives the age", []engine.Identity{{DOB: "1990-01-01"}, {DOB: "1980-01-01"}}, [4]float64{2, 0, 2, 0}, u, u, u, u, b(false), u, n(36)},
		{"the CURP's date is the date of birth", []engine.Identity{{CURP: curp}, {DOB: "1995-04-15"}}, [4]float64{2, 1, 1, 0}, b(true), b(true), u, b(true), u, u, n(31)},
		{"the CURP's date is not the date of birth", []engine.Identity{{CURP: curp, DOB: "1995-04-16"}}, [4]float64{1, 1, 1, 0}, b(true), b(true), u, b(false), u, u, n(31)},
		{"one of two dates of birth is not the CURP's", []engine.Identity{{CURP: curp, DOB: "1995-04-15"}, {DOB: "1995-05-15"}}, [4]float64{2, 1, 2, 0}, b(true), b(true), u, b(false), b(false), u, n(31)},
		{"one name", []engine.Identity{{Name: "Sofía Mendoza"}}, [4]float64{1, 0, 0, 1}, u, u, u, u, u, u, u},
		{"two names alike", []engine.Identity{{Name: "Sofía Mendoza"}, {Name: "MENDOZA SOFIA"}}, [4]float64{2, 0, 0, 2}, u, u, u, u, u, b(true), u},
		{"two names differ", []engine.Identity{{Name: "Sofía Mendoza"}, {Name: "Sofía Mendoza Ruiz"}}, [4]float64{2, 0, 0, 2}, u, u, u, u, u, b(false), u},
		{"three names, the third differs", []engine.Identity{{Name: "A B"}, {Name: "B A"}, {Name: "A C"}}, [4]float64{3, 0, 0, 3}, u, u, u, u, u, b(false), u},
	} {
		f := engine.NewFacts(cat)
		f.AsOf = asOf
		f.Providers = []string{"veriff", "jaak"}
		f.Identities = tt.ids
		crossCheck(cat, f)
		get := func(name string) engine.Value { v, _ := f.Lookup(name); return v }
		if v := get("case.providers"); !slices.Equal(v.L, []string{"jaak", "veriff"}) {
			t.Errorf("%s: case.providers = %v, want sorted", tt.name, v)
		}
		if !slices.Equal(f.Providers, []string{"veriff", "jaak"}) {
			t.Errorf("%s: Facts.Providers reordered to %v", tt.name, f.Providers)
		}
		for i, name := range []string{"case.identity_sources", "case.curp.sources", "case.dob.sources", "case.name.sources"} {
			if v := get(name); !v.Equal(n(tt.sources[i])) {
				t.Errorf("%s: %s = %v, want %v", tt.name, name, v, tt.sources[i])
			}
		}
		for _, c := range []struct {
			name string
			want engine.Value
		}{
			{"case.curp.well_formed", tt.wf}, {"case.curp.check_digit_valid", tt.cd}, {"case.curp.consistent", tt.curpSame},
			{"case.curp.dob_match", tt.curpDOB}, {"case.dob.consistent", tt.dobSame}, {"case.name.consistent", tt.nameSame},
			{"case.age", tt.ag},
		} {
			if v := get(c.name); !v.Equal(c.want) || v.Known() != c.want.Known() {
				t.Errorf("%s: %s = %v, want %v", tt.name, c.name, v, c.want)
			}
		}
	}
}

// The age of a birth date after the evaluation time is unreadable, and
// its note says no input byte holds it (it is computed, not read).
func TestCrossCheckFutureBirthNote(t *testing.T) {
	cat, _ := engine.NewCatalog(caseFacts[:])
	f := engine.NewFacts(cat)
	f.AsOf = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	f.Identities = []engine.Identity{{DOB: "2027-01-01"}}
	crossCheck(cat, f)
	if len(f.Evidence) != 1 {
		t.Fatalf("evidence %v, want one note", f.Evidence)
	}
	if e := f.Evidence[0]; e.Fact != "case.age" || e.State != engine.Unreadable || e.Offset != -1 || e.Provider != "case" {
		t.Errorf("note %+v", e)
	}
}

// A character outside the CURP alphabet is never a valid check digit's
// input, even where a letter's value would have made the sum come out.
func TestCURPCheckDigitRejectsForeignCharacters(t *testing.T) {
	// MEGA950415MDFRRN02 is valid; its '1' has value 1. A foreign character
	// in its place must not count as any value.
	for _, c := range []string{"MEGA9504#5MDFRRN02", "MEGA9504 5MDFRRN02", "MEGA9504ä5MDFRRN02"} {
		if CURPCheckDigitValid(c) {
			t.Errorf("CURPCheckDigitValid(%q) = true", c)
		}
	}
}
