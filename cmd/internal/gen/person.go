package gen

import (
	"math/rand/v2"
	"strings"
	"time"
)

// person is a synthetic applicant. Every provider of a case reports the same
// person, except where a scenario makes them disagree.
type person struct {
	given     *nameEntry // given names, e.g. MARIA DEL CARMEN
	pat, mat  *nameEntry
	names     []string // the given names' words
	paternal  string
	maternal  string
	male      bool
	dob       time.Time
	state     int // index into states
	curp      string
	electoral string // INE clave de elector
}

func (p *person) givenNames() string { return p.given.text }

// fullName is "GIVEN NAMES PATERNAL MATERNAL".
func (p *person) fullName() string {
	return p.givenNames() + " " + p.paternal + " " + p.maternal
}

// surnameFirst is "PATERNAL MATERNAL GIVEN NAMES", as INE cards print it.
func (p *person) surnameFirst() string {
	return p.paternal + " " + p.maternal + " " + p.givenNames()
}

var maleNames = []string{"JUAN", "JOSE LUIS", "CARLOS", "LUIS", "MIGUEL ANGEL", "JORGE", "FRANCISCO", "ALEJANDRO", "ROBERTO",
	"FERNANDO", "RICARDO", "EDUARDO", "DAVID", "JAVIER", "ANTONIO", "DANIEL", "RAUL", "SERGIO", "ARTURO", "MARIO",
	"JESUS", "PEDRO", "OSCAR", "HECTOR", "ENRIQUE", "RAFAEL", "MANUEL", "JOSE", "JUAN CARLOS", "EMILIANO", "SANTIAGO",
	"DIEGO", "IVAN", "ANDRES", "GERARDO", "ÁNGEL", "RAMÓN", "JOSÉ MARÍA"}

var femaleNames = []string{"MARIA", "GUADALUPE", "MARIA DEL CARMEN", "ANA MARIA", "LAURA", "SOFIA", "VERONICA", "PATRICIA",
	"ALEJANDRA", "GABRIELA", "ADRIANA", "CLAUDIA", "DANIELA", "FERNANDA", "MONICA", "SILVIA", "ROSA", "LETICIA",
	"ELIZABETH", "ANDREA", "XIMENA", "VALERIA", "CAROLINA", "GLORIA", "ISABEL", "MARIANA", "LUCIA", "YOLANDA",
	"MA. GUADALUPE", "SOFÍA ELENA", "MÓNICA", "ITZEL", "NAYELI", "REGINA", "CAMILA"}

var surnames = []string{"HERNANDEZ", "GARCIA", "MARTINEZ", "LOPEZ", "GONZALEZ", "RODRIGUEZ", "PEREZ", "SANCHEZ", "RAMIREZ",
	"CRUZ", "FLORES", "GOMEZ", "MORALES", "VAZQUEZ", "REYES", "JIMENEZ", "TORRES", "DIAZ", "GUTIERREZ", "RUIZ",
	"MENDOZA", "AGUILAR", "ORTIZ", "MORENO", "CASTILLO", "ROMERO", "ALVAREZ", "MENDEZ", "CHAVEZ", "RIVERA", "JUAREZ",
	"RAMOS", "DOMINGUEZ", "HERRERA", "MEDINA", "CASTRO", "VARGAS", "GUZMAN", "VELAZQUEZ", "MUÑOZ", "ROJAS", "DE LA CRUZ",
	"CONTRERAS", "SALAZAR", "LUNA", "ORTEGA", "SANTIAGO", "GUERRERO", "ESTRADA", "BAUTISTA", "CORTES", "SOTO",
	"NUÑEZ", "PEÑA", "IBARRA", "VEGA", "DEL VALLE", "OCHOA", "NAVARRO", "CAMPOS", "YAÑEZ", "ÁVILA", "DE LEÓN", "QUINTERO"}

// states are the CURP state codes with the names the registries print.
var states = []struct{ code, name string }{
	{"AS", "AGUASCALIENTES"}, {"BC", "BAJA CALIFORNIA"}, {"BS", "BAJA CALIFORNIA SUR"}, {"CC", "CAMPECHE"},
	{"CL", "COAHUILA"}, {"CM", "COLIMA"}, {"CS", "CHIAPAS"}, {"CH", "CHIHUAHUA"}, {"DF", "CIUDAD DE MEXICO"},
	{"DG", "DURANGO"}, {"GT", "GUANAJUATO"}, {"GR", "GUERRERO"}, {"HG", "HIDALGO"}, {"JC", "JALISCO"},
	{"MC", "MEXICO"}, {"MN", "MICHOACAN"}, {"MS", "MORELOS"}, {"NT", "NAYARIT"}, {"NL", "NUEVO LEON"},
	{"OC", "OAXACA"}, {"PL", "PUEBLA"}, {"QT", "QUERETARO"}, {"QR", "QUINTANA ROO"}, {"SP", "SAN LUIS POTOSI"},
	{"SL", "SINALOA"}, {"SR", "SONORA"}, {"TC", "TABASCO"}, {"TS", "TAMAULIPAS"}, {"TL", "TLAXCALA"},
	{"VZ", "VERACRUZ"}, {"YN", "YUCATAN"}, {"ZS", "ZACATECAS"},
}

// stateWeights skews births towards the populous states (DF, MC, JC, VZ,
// NL, PL, GT).
func pickState(r *rand.Rand) int {
	if r.IntN(2) == 0 {
		popular := []int{8, 14, 13, 29, 18, 20, 10}
		return popular[r.IntN(len(popular))]
	}
	return r.IntN(len(states))
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// newPerson draws a person born so as to be age years old at at. A share
// of the CURPs get a wrong check digit (badCheck), as mistyped or forged
// CURPs have.
func newPerson(r *rand.Rand, at time.Time, age int, badCheck bool) person {
	var p person
	p.male = r.IntN(2) == 0
	if p.male {
		p.given = &maleEntries[r.IntN(len(maleEntries))]
	} else {
		p.given = &femaleEntries[r.IntN(len(femaleEntries))]
	}
	p.pat = &surnameEntries[r.IntN(len(surnameEntries))]
	for p.mat = p.pat; p.mat == p.pat; p.mat = &surnameEntries[r.IntN(len(surnameEntries))] {
	}
	p.names, p.paternal, p.maternal = p.given.words, p.pat.text, p.mat.text
	// Born age years and 0-364 days before at.
	p.dob = time.Date(at.Year()-age, at.Month(), at.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -r.IntN(365))
	p.state = pickState(r)
	p.curp = curpOf(&p, r, badCheck)
	p.electoral = electoralKey(&p, r)
	return p
}

// nameEntry is a name with what CURPs and INE keys take from it, worked
// out once.
type nameEntry struct {
	text  string
	words []string
	plain string // the whole name as a CURP reads it
	curp  string // the word a CURP takes its letters from
	key   string // the word an electoral key takes its letters from
}

func entries(names []string, given bool) []nameEntry {
	out := make([]nameEntry, len(names))
	for i, n := range names {
		out[i] = nameEntry{text: n, words: strings.Fields(n), plain: plain(n), curp: curpWord(n, given), key: curpWord(n, false)}
	}
	return out
}

var (
	maleEntries    = entries(maleNames, true)
	femaleEntries  = entries(femaleNames, true)
	surnameEntries = entries(surnames, false)
)

// particles are skipped when a CURP takes letters from a name.
var particles = map[string]bool{"DA": true, "DAS": true, "DE": true, "DEL": true, "DER": true, "DI": true, "DIE": true,
	"DD": true, "EL": true, "LA": true, "LAS": true, "LE": true, "LES": true, "LOS": true, "MAC": true, "MC": true,
	"VAN": true, "VON": true, "Y": true}

var plainer = strings.NewReplacer("Á", "A", "É", "E", "Í", "I", "Ó", "O", "Ú", "U", "Ü", "U", "Ñ", "X", ".", "")

// plain writes a name as a CURP reads it: accents dropped, Ñ as X.
func plain(s string) string { return plainer.Replace(s) }

// curpWord is the word of a compound name a CURP takes its letters from.
func curpWord(name string, skipCommon bool) string {
	words := strings.Fields(plain(name))
	var kept []string
	for _, w := range words {
		if !particles[w] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return "X"
	}
	// RENAPO skips MARIA and JOSE (and their abbreviations) in compound
	// given names.
	if skipCommon && len(kept) > 1 {
		switch kept[0] {
		case "MARIA", "MA", "JOSE", "J":
			return kept[1]
		}
	}
	return kept[0]
}

func isVowel(c byte) bool { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' }

// internal returns the first letter after the first one that is a vowel
// (vowel true) or a consonant, or 'X'.
func internal(w string, vowel bool) byte {
	for i := 1; i < len(w); i++ {
		c := w[i]
		if c < 'A' || c > 'Z' {
			continue
		}
		if isVowel(c) == vowel {
			return c
		}
	}
	return 'X'
}

// badWords are the four-letter starts RENAPO will not issue; their second
// letter becomes X.
var badWords = map[string]bool{"BACA": true, "BAKA": true, "BUEI": true, "BUEY": true, "CACA": true, "CACO": true,
	"CAGA": true, "CAGO": true, "CAKA": true, "CAKO": true, "COGE": true, "COGI": true, "COJA": true, "COJE": true,
	"COJI": true, "COJO": true, "COLA": true, "CULO": true, "FALO": true, "FETO": true, "GETA": true, "GUEI": true,
	"GUEY": true, "JETA": true, "JOTO": true, "KACA": true, "KACO": true, "KAGA": true, "KAGO": true, "KAKA": true,
	"KAKO": true, "KOGE": true, "KOGI": true, "KOJA": true, "KOJE": true, "KOJI": true, "KOJO": true, "KOLA": true,
	"KULO": true, "LILO": true, "LOCA": true, "LOCO": true, "LOKA": true, "LOKO": true, "MAME": true, "MAMO": true,
	"MEAR": true, "MEAS": true, "MEON": true, "MIAR": true, "MION": true, "MOCO": true, "MOKO": true, "MULA": true,
	"MULO": true, "NACA": true, "NACO": true, "PEDA": true, "PEDO": true, "PENE": true, "PIPI": true, "PITO": true,
	"POPO": true, "PUTA": true, "PUTO": true, "QULO": true, "RATA": true, "ROBA": true, "ROBE": true, "ROBO": true,
	"RUIN": true, "SENO": true, "TETA": true, "VACA": true, "VAGA": true, "VAGO": true, "VAKA": true, "VUEI": true,
	"VUEY": true, "WUEI": true, "WUEY": true}

// curpOf builds the person's CURP by RENAPO's rules: letters of the names,
// date of birth, sex, state, internal consonants, the homonym character
// (a digit for births before 2000, a letter after) and the check digit.
func curpOf(p *person, r *rand.Rand, badCheck bool) string {
	pat, mat, giv := p.pat.curp, p.mat.curp, p.given.curp
	var buf [18]byte
	b := buf[:0]
	b = append(b, pat[0], internal(pat, true), mat[0], giv[0])
	if badWords[string(b)] {
		b[1] = 'X'
	}
	b = p.dob.AppendFormat(b, "060102")
	if p.male {
		b = append(b, 'H')
	} else {
		b = append(b, 'M')
	}
	b = append(b, states[p.state].code...)
	b = append(b, internal(pat, false), internal(mat, false), internal(giv, false))
	if p.dob.Year() < 2000 {
		b = append(b, byte('0'+r.IntN(2)))
	} else {
		b = append(b, byte('A'+r.IntN(2)))
	}
	d := curpCheckDigit(b)
	if badCheck {
		d = (d + 1 + r.IntN(9)) % 10
	}
	return string(append(b, byte('0'+d)))
}

// curpCheckDigit is RENAPO's check digit of the first 17 characters:
// alphabet 0-9A-NÑO-Z (Ñ written as X here never occurs), sum of
// value×(18−i), check = (10 − sum mod 10) mod 10.
func curpCheckDigit(first17 []byte) int {
	sum := 0
	for i, c := range first17[:17] {
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'N':
			v = int(c-'A') + 10
		default: // O-Z come after Ñ
			v = int(c-'O') + 25
		}
		sum += v * (18 - i)
	}
	return (10 - sum%10) % 10
}

// electoralKey is an INE clave de elector: consonant-vowel pairs of the
// surnames and name, the date of birth, state number, sex and homoclave.
func electoralKey(p *person, r *rand.Rand) string {
	pat, mat, giv := p.pat.plain, p.mat.plain, p.given.key
	var buf [18]byte
	b := buf[:0]
	b = append(b, pat[0], internal(pat, false), mat[0], internal(mat, false), giv[0], internal(giv, false))
	b = p.dob.AppendFormat(b, "060102")
	st := p.state + 1
	b = append(b, byte('0'+st/10), byte('0'+st%10))
	if p.male {
		b = append(b, 'H')
	} else {
		b = append(b, 'M')
	}
	n := r.IntN(1000)
	return string(append(b, byte('0'+n/100), byte('0'+n/10%10), byte('0'+n%10)))
}
