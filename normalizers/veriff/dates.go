package veriff

import (
	"strings"
	"time"

	"github.com/veredicto/veredicto/normalizers/internal/field"
)

// Layouts of Veriff's timestamps: "2024-01-01T00:07:45Z", fractional seconds
// with or without a zone, or a bare date ("2024-01-08").
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	field.ISODate,
}

func parseTime(s string) (time.Time, bool) {
	if t, ok := parseDate(s); ok {
		return t, true
	}
	return field.Time(s, timeLayouts...)
}

// parseDate reads a calendar date: YYYY-MM-DD (what Veriff documents), with
// DD/MM/YYYY accepted as well (the registries' format). It does not allocate.
func parseDate(s string) (time.Time, bool) {
	s = trimSpace(s)
	if len(s) != 10 {
		return time.Time{}, false
	}
	var y, m, d int
	var ok1, ok2, ok3 bool
	switch {
	case s[4] == '-' && s[7] == '-':
		y, ok1 = atoi(s[:4])
		m, ok2 = atoi(s[5:7])
		d, ok3 = atoi(s[8:])
	case s[2] == '/' && s[5] == '/':
		d, ok1 = atoi(s[:2])
		m, ok2 = atoi(s[3:5])
		y, ok3 = atoi(s[6:])
	default:
		return time.Time{}, false
	}
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	return civil(y, m, d)
}

// civil returns the date y-m-d at midnight UTC when it exists.
func civil(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// day returns the calendar day of t as midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

var spanishMonths = [12]string{
	"enero", "febrero", "marzo", "abril", "mayo", "junio",
	"julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
}

// spanishMonth reads a Spanish month name, full or abbreviated to at least
// three letters ("dic", "sept"), and the "setiembre" spelling.
func spanishMonth(s string) time.Month {
	s = strings.TrimSuffix(s, ".")
	if len(s) < 3 {
		return 0
	}
	if eqFold(s, "setiembre") || eqFold(s, "set") {
		return time.September
	}
	for i, m := range spanishMonths {
		if len(s) <= len(m) && eqFold(s, m[:len(s)]) {
			return time.Month(i + 1)
		}
	}
	return 0
}

// parseSpanishDate reads the INE registry's validity: a Spanish long date
// ("31 de diciembre de 2028"), a bare year ("2028", valid to the end of that
// year, as printed on the credential), or an ISO or DD/MM/YYYY date.
func parseSpanishDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, ok := parseDate(s); ok {
		return t, true
	}
	if y, ok := atoi(s); ok && len(s) == 4 {
		return time.Date(y, time.December, 31, 0, 0, 0, 0, time.UTC), true
	}
	var parts [3]string
	n := 0
	for rest := s; rest != ""; {
		var tok string
		tok, rest, _ = strings.Cut(rest, " ")
		tok = strings.Trim(tok, ",")
		if tok == "" || eqFold(tok, "de") || eqFold(tok, "del") {
			continue
		}
		if n == len(parts) {
			return time.Time{}, false
		}
		parts[n] = tok
		n++
	}
	if n != 3 {
		return time.Time{}, false
	}
	d, ok1 := atoi(parts[0])
	m := spanishMonth(parts[1])
	y, ok2 := atoi(parts[2])
	if !ok1 || !ok2 || m == 0 || len(parts[2]) != 4 {
		return time.Time{}, false
	}
	return civil(y, int(m), d)
}

// atoi reads a short run of ASCII digits.
func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// isCURP reports whether s has the shape of a Mexican CURP: four letters, six
// digits of birth date, H/M/X, five letters, a letter or digit, a digit.
func isCURP(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 18; i++ {
		c := s[i]
		upper := 'A' <= c && c <= 'Z'
		digit := '0' <= c && c <= '9'
		switch {
		case i < 4, i >= 11 && i < 16:
			if !upper {
				return false
			}
		case i < 10, i == 17:
			if !digit {
				return false
			}
		case i == 10:
			if c != 'H' && c != 'M' && c != 'X' {
				return false
			}
		case i == 16:
			if !upper && !digit {
				return false
			}
		}
	}
	return true
}
