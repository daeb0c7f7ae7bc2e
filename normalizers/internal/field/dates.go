package field

import (
	"strconv"
	"strings"
	"time"
)

// Order says how a numeric date whose first two parts could be either day
// or month is read: by the field's documented format, never guessed.
type Order uint8

// The orders of a numeric date's day and month.
const (
	DayFirst   Order = iota // 15/03/2030, 15-03-2030, 15.03.2030 (the Mexican registries)
	MonthFirst              // 03/15/2030 (Trully's face-analysis timestamps)
)

// Date reads a calendar date in any form the providers use: ISO dates and
// date-times ("2030-03-15", "2030-03-15T10:00:00Z", "2030-03-15 10:00:00"),
// numeric dates in the field's documented order with /, - or . ("15/03/2030"),
// Spanish long and abbreviated dates ("15 de marzo de 2030", "15-MAR-2030",
// "15/mar./2030", "marzo 15, 2030"), and a bare year ("2030", the INE's
// vigencia, read as the last day of that year). A date-time gives its UTC
// calendar day. ok is false when s is none of these or names a day that
// does not exist (31/02/2030).
func Date(s string, order Order) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, ok := isoDateTime(s); ok {
		return t, true
	}
	if len(s) == 4 {
		if y, ok := digits(s); ok {
			return civil(y, 12, 31)
		}
	}
	parts := splitDate(strings.ToLower(s))
	switch len(parts) {
	case 3:
	case 4:
		// A time after the date ("15/03/2030 10:00"): the date is enough.
		if !strings.Contains(parts[3], ":") {
			return time.Time{}, false
		}
		parts = parts[:3]
	default:
		return time.Time{}, false
	}
	a, b, c := parts[0], parts[1], parts[2]
	if m := Month(b); m != 0 { // 15 mar 2030
		d, ok1 := digits(a)
		y, ok2 := digits(c)
		return dateOf(y, int(m), d, ok1 && ok2 && len(c) == 4)
	}
	if m := Month(a); m != 0 { // marzo 15 2030
		d, ok1 := digits(b)
		y, ok2 := digits(c)
		return dateOf(y, int(m), d, ok1 && ok2 && len(c) == 4)
	}
	x, ok1 := digits(a)
	y, ok2 := digits(b)
	z, ok3 := digits(c)
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, false
	}
	if len(a) == 4 { // 2030/03/15
		return dateOf(x, y, z, len(c) <= 2)
	}
	if len(c) != 4 {
		return time.Time{}, false
	}
	if order == MonthFirst {
		return dateOf(z, x, y, true)
	}
	return dateOf(z, y, x, true)
}

func dateOf(y, m, d int, ok bool) (time.Time, bool) {
	if !ok {
		return time.Time{}, false
	}
	return civil(y, m, d)
}

// isoDateTime reads YYYY-MM-DD, optionally followed by T or a space and a
// time with an optional zone; the result is the UTC calendar day.
func isoDateTime(s string) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	if len(s) > 10 && s[10] != 'T' && s[10] != 't' && s[10] != ' ' {
		return time.Time{}, false
	}
	if len(s) == 10 {
		y, ok1 := digits(s[:4])
		m, ok2 := digits(s[5:7])
		d, ok3 := digits(s[8:10])
		return dateOf(y, m, d, ok1 && ok2 && ok3)
	}
	norm := s[:10] + "T" + s[11:]
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04"} {
		if t, err := time.Parse(l, norm); err == nil {
			y, m, d := t.UTC().Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// splitDate cuts a date at separators (space, /, -, ., comma) and drops
// the Spanish "de" and "del".
func splitDate(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '/' || r == '-' || r == '.' || r == ','
	})
	out := f[:0]
	for _, p := range f {
		if p != "de" && p != "del" {
			out = append(out, p)
		}
	}
	return out
}

var months = [12][]string{
	{"enero", "ene", "january", "jan"},
	{"febrero", "feb", "february"},
	{"marzo", "mar", "march"},
	{"abril", "abr", "april", "apr"},
	{"mayo", "may"},
	{"junio", "jun", "june"},
	{"julio", "jul", "july"},
	{"agosto", "ago", "august", "aug"},
	{"septiembre", "setiembre", "sept", "sep", "set", "september"},
	{"octubre", "oct", "october"},
	{"noviembre", "nov", "november"},
	{"diciembre", "dic", "december", "dec"},
}

// Month reads a month name in Spanish (or English), full or abbreviated,
// in any case, with or without a trailing dot; 0 when s is none.
func Month(s string) time.Month {
	s = strings.TrimSuffix(strings.ToLower(s), ".")
	for i, names := range months {
		for _, n := range names {
			if s == n {
				return time.Month(i + 1)
			}
		}
	}
	return 0
}

func digits(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// civil returns the date y-m-d at midnight UTC when it exists.
func civil(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}
