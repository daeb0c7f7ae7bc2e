package normalizers

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/veredicto/veredicto/engine"
)

// The cross-provider facts, computed once per case from what the providers
// said about who the applicant is (engine.Identity).
const (
	cProviders = iota
	cIdentities
	cCURPSources
	cCURPWellFormed
	cCURPCheckDigit
	cCURPConsistent
	cCURPDOBMatch
	cDOBSources
	cDOBConsistent
	cNameSources
	cNameConsistent
	cAge
	nCaseFacts
)

// adultLimit: an age of 17 or less is adverse (applicants must be adults).
var adultLimit = 17.0

var caseFacts = [nCaseFacts]engine.FactSpec{
	cProviders: {Name: "case.providers", Kind: engine.List, Provider: "case",
		Description: "The providers that contributed results to the case, sorted (always known)."},
	cIdentities: {Name: "case.identity_sources", Kind: engine.Number, Provider: "case",
		Description: "How many provider results reported any identity data (CURP, date of birth or name); 0 when none did."},
	cCURPSources: {Name: "case.curp.sources", Kind: engine.Number, Provider: "case",
		Description: "How many provider results reported a CURP (0 when none did)."},
	cCURPWellFormed: {Name: "case.curp.well_formed", Kind: engine.Bool, Provider: "case", Polarity: engine.AdverseFalse,
		Description: "Every reported CURP has the official 18-character layout (4 letters, a valid date YYMMDD, sex H/M/X, a state code, 3 consonants, the homonym character and a digit), its first four letters are not one of RENAPO's inconvenient words (which RENAPO never issues: it replaces the second letter with X), and its birth date is not after the evaluation time. Unknown when no provider reported a CURP."},
	cCURPCheckDigit: {Name: "case.curp.check_digit_valid", Kind: engine.Bool, Provider: "case", Polarity: engine.AdverseFalse,
		Description: "Every reported CURP's last digit is its check digit (RENAPO algorithm: alphabet 0-9A-NÑO-Z, sum of value×(18−i) over the first 17 characters, check = (10 − sum mod 10) mod 10). Unknown when no provider reported a CURP."},
	cCURPConsistent: {Name: "case.curp.consistent", Kind: engine.Bool, Provider: "case", Polarity: engine.AdverseFalse,
		Description: "All reported CURPs are the same. Unknown when fewer than two results reported one."},
	cCURPDOBMatch: {Name: "case.curp.dob_match", Kind: engine.Bool, Provider: "case", Polarity: engine.AdverseFalse,
		Description: "The date of birth encoded in the CURP (YYMMDD, century from the 17th character) equals every reported date of birth. Unknown without both a CURP and a date of birth."},
	cDOBSources: {Name: "case.dob.sources", Kind: engine.Number, Provider: "case",
		Description: "How many provider results reported a date of birth (0 when none did)."},
	cDOBConsistent: {Name: "case.dob.consistent", Kind: engine.Bool, Provider: "case", Polarity: engine.AdverseFalse,
		Description: "All reported dates of birth are the same day. Unknown when fewer than two results reported one."},
	cNameSources: {Name: "case.name.sources", Kind: engine.Number, Provider: "case",
		Description: "How many provider results reported the applicant's full name (0 when none did)."},
	cNameConsistent: {Name: "case.name.consistent", Kind: engine.Bool, Provider: "case", Polarity: engine.AdverseFalse,
		Description: "All reported names have the same words, in any order, ignoring case, accents and punctuation (\"MENDOZA GARCIA SOFIA ELENA\" equals \"Sofía Elena Mendoza García\"). Unknown when fewer than two results reported one."},
	cAge: {Name: "case.age", Kind: engine.Number, Provider: "case", Polarity: engine.LowerWorse, Limit: &adultLimit,
		Description: "The applicant's age in whole years at the evaluation time, from the first reported date of birth, else from the CURP. Unknown when neither was reported; unreadable when the birth date lies after the evaluation time."},
}

func crossCheck(cat *engine.Catalog, f *engine.Facts) {
	base, _ := cat.Base("case")
	set := func(i int, v engine.Value) { f.Set(base+i, v) }
	providers := slices.Clone(f.Providers)
	slices.Sort(providers)
	set(cProviders, engine.ListValue(providers))
	set(cIdentities, engine.NumberValue(float64(len(f.Identities))))

	var curps, dobs, names int
	wellFormed, checkDigit, curpSame, dobSame, nameSame, curpDOB := true, true, true, true, true, true
	var firstCURP, firstDOB string
	var firstName []string
	var curpBirth string
	for _, id := range f.Identities {
		if c := strings.ToUpper(strings.TrimSpace(id.CURP)); c != "" {
			curps++
			wellFormed = wellFormed && CURPWellFormed(c) && !curpAfter(c, f.AsOf)
			checkDigit = checkDigit && CURPCheckDigitValid(c)
			if firstCURP == "" {
				firstCURP = c
				curpBirth = curpDate(c)
			} else if c != firstCURP {
				curpSame = false
			}
		}
		if id.DOB != "" {
			dobs++
			if firstDOB == "" {
				firstDOB = id.DOB
			} else if id.DOB != firstDOB {
				dobSame = false
			}
		}
		if id.Name != "" {
			names++
			words := nameWords(id.Name)
			if firstName == nil {
				firstName = words
			} else if !slices.Equal(words, firstName) {
				nameSame = false
			}
		}
	}
	set(cCURPSources, engine.NumberValue(float64(curps)))
	set(cDOBSources, engine.NumberValue(float64(dobs)))
	set(cNameSources, engine.NumberValue(float64(names)))
	if curps > 0 {
		set(cCURPWellFormed, engine.BoolValue(wellFormed))
		set(cCURPCheckDigit, engine.BoolValue(checkDigit))
	}
	if curps > 1 {
		set(cCURPConsistent, engine.BoolValue(curpSame))
	}
	if dobs > 1 {
		set(cDOBConsistent, engine.BoolValue(dobSame))
	}
	if names > 1 {
		set(cNameConsistent, engine.BoolValue(nameSame))
	}
	if curpBirth != "" && dobs > 0 {
		for _, id := range f.Identities {
			if id.DOB != "" && id.DOB != curpBirth {
				curpDOB = false
			}
		}
		set(cCURPDOBMatch, engine.BoolValue(curpDOB))
	}
	birth := firstDOB
	if birth == "" {
		birth = curpBirth
	}
	if t, err := time.Parse("2006-01-02", birth); err == nil {
		if t.After(f.AsOf) {
			f.Mark(base+cAge, engine.EvidenceNote{State: engine.Unreadable, Provider: "case", Offset: -1,
				Field: "date of birth", Message: "the birth date lies after the evaluation time"})
		} else {
			set(cAge, engine.NumberValue(age(t, f.AsOf)))
		}
	}
}

// curpAfter reports whether the birth date a CURP encodes lies after asOf:
// such a CURP was never issued.
func curpAfter(curp string, asOf time.Time) bool {
	t, err := time.Parse("2006-01-02", curpDate(curp))
	return err == nil && t.After(asOf)
}

func age(dob, asOf time.Time) float64 {
	y := asOf.Year() - dob.Year()
	if asOf.Month() < dob.Month() || (asOf.Month() == dob.Month() && asOf.Day() < dob.Day()) {
		y--
	}
	return float64(y)
}

// CURPCheckDigitValid reports whether the 18th character of a CURP is the
// check digit of the first 17.
func CURPCheckDigitValid(curp string) bool {
	sum, i := 0, 0
	for _, r := range curp {
		if i == 17 {
			if r != rune('0'+(10-sum%10)%10) {
				return false
			}
			i++
			continue
		}
		v := curpValue(r)
		if v < 0 || i > 17 {
			return false
		}
		sum += v * (18 - i)
		i++
	}
	return i == 18
}

// curpValue is a character's position in the CURP alphabet
// 0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ, or -1.
func curpValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= 'A' && r <= 'N':
		return int(r-'A') + 10
	case r == 'Ñ':
		return 24
	case r >= 'O' && r <= 'Z':
		return int(r-'O') + 25
	}
	return -1
}

var curpStates = map[string]bool{
	"AS": true, "BC": true, "BS": true, "CC": true, "CL": true, "CM": true, "CS": true, "CH": true,
	"DF": true, "DG": true, "GT": true, "GR": true, "HG": true, "JC": true, "MC": true, "MN": true,
	"MS": true, "NT": true, "NL": true, "OC": true, "PL": true, "QT": true, "QR": true, "SP": true,
	"SL": true, "SR": true, "TC": true, "TS": true, "TL": true, "VZ": true, "YN": true, "ZS": true,
	"NE": true, // born abroad
}

// inconvenientWords are the four-letter starts that RENAPO never issues
// (Instructivo normativo para la asignación de la CURP, anexo 2): it
// replaces their second letter with X (BUEY becomes BXEY).
var inconvenientWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE
		COJI COJO COLA CULO FALO FETO GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI
		KOJA KOJE KOJI KOJO KOLA KULO LILO LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO
		MOKO MULA MULO NACA NACO PEDA PEDO PENE PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN
		SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY`) {
		m[w] = true
	}
	return m
}()

// CURPWellFormed reports whether s has the layout of a CURP and does not
// start with one of RENAPO's inconvenient words. Whether its birth date
// lies in the future depends on the evaluation time; the case facts check
// that too.
func CURPWellFormed(s string) bool {
	if len(s) != 18 || inconvenientWords[s[:4]] {
		return false
	}
	letter := func(b byte) bool { return b >= 'A' && b <= 'Z' }
	digit := func(b byte) bool { return b >= '0' && b <= '9' }
	for i := 0; i < 4; i++ {
		if !letter(s[i]) {
			return false
		}
	}
	for i := 4; i < 10; i++ {
		if !digit(s[i]) {
			return false
		}
	}
	if curpDate(s) == "" {
		return false
	}
	if s[10] != 'H' && s[10] != 'M' && s[10] != 'X' {
		return false
	}
	if !curpStates[s[11:13]] {
		return false
	}
	for i := 13; i < 16; i++ {
		if !letter(s[i]) || strings.IndexByte("AEIOU", s[i]) >= 0 {
			return false
		}
	}
	return (letter(s[16]) || digit(s[16])) && digit(s[17])
}

// curpDate returns the birth date a CURP encodes as YYYY-MM-DD, or "".
func curpDate(s string) string {
	if len(s) < 17 {
		return ""
	}
	century := "19"
	if s[16] >= 'A' && s[16] <= 'Z' {
		century = "20"
	}
	d := century + s[4:6] + "-" + s[6:8] + "-" + s[8:10]
	if _, err := time.Parse("2006-01-02", d); err != nil {
		return ""
	}
	return d
}

// nameWords returns the words of a name, upper case, without accents or
// punctuation, sorted.
func nameWords(name string) []string {
	decomposed := name
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			decomposed = norm.NFD.String(name) // accents become separate marks
			break
		}
	}
	var b strings.Builder
	for _, r := range decomposed {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r):
			b.WriteRune(unicode.ToUpper(r))
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	slices.Sort(words)
	return words
}
