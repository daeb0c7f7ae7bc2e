package field

import (
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	for _, c := range []struct {
		in    string
		order Order
		want  string // "" when not a date
	}{
		{"2030-03-15", DayFirst, "2030-03-15"},
		{"2020-01-01T00:00:00Z", DayFirst, "2020-01-01"},
		{"2020-01-01T23:30:00-06:00", DayFirst, "2020-01-02"},
		{"2020-01-01 10:00:00", DayFirst, "2020-01-01"},
		{"2020-01-01T10:00:00.123", DayFirst, "2020-01-01"},
		{"15/03/2030", DayFirst, "2030-03-15"},
		{"03/15/2030", MonthFirst, "2030-03-15"},
		{"03/04/2030", DayFirst, "2030-04-03"},
		{"03/04/2030", MonthFirst, "2030-03-04"},
		{"15-03-2030", DayFirst, "2030-03-15"},
		{"15.03.2030", DayFirst, "2030-03-15"},
		{"15/03/2030 10:20", DayFirst, "2030-03-15"},
		{"15 de marzo de 2030", DayFirst, "2030-03-15"},
		{"15 DE MARZO DEL 2030", DayFirst, "2030-03-15"},
		{"15-MAR-2030", DayFirst, "2030-03-15"},
		{"15/mar./2030", DayFirst, "2030-03-15"},
		{"1 sept 2030", DayFirst, "2030-09-01"},
		{"1 set 2030", DayFirst, "2030-09-01"},
		{"marzo 15, 2030", DayFirst, "2030-03-15"},
		{"31 dic 2029", DayFirst, "2029-12-31"},
		{"2030", DayFirst, "2030-12-31"},
		{"2030/03/15", DayFirst, "2030-03-15"},
		{"31/02/2030", DayFirst, ""},
		{"15/13/2030", DayFirst, ""},
		{"13/15/2030", MonthFirst, ""},
		{"15/03/30", DayFirst, ""},
		{"mañana", DayFirst, ""},
		{"15 foo 2030", DayFirst, ""},
		{"", DayFirst, ""},
		{"2030-02-30", DayFirst, ""},
		{"20300315", DayFirst, ""},
		{"15/03/2030 extra", DayFirst, ""},
	} {
		got, ok := Date(c.in, c.order)
		if c.want == "" {
			if ok {
				t.Errorf("Date(%q) = %s, want not a date", c.in, got.Format(ISODate))
			}
			continue
		}
		if !ok || got.Format(ISODate) != c.want || got.Location() != time.UTC {
			t.Errorf("Date(%q, %d) = %s, %v; want %s", c.in, c.order, got.Format(ISODate), ok, c.want)
		}
	}
}

func TestMonth(t *testing.T) {
	for s, want := range map[string]time.Month{"Enero": 1, "ENE.": 1, "dic": 12, "Setiembre": 9, "may": 5, "xyz": 0, "": 0} {
		if got := Month(s); got != want {
			t.Errorf("Month(%q) = %d, want %d", s, got, want)
		}
	}
}

// The edges of the forms Date reads: January and day 1 are dates; a time
// after the ISO date is introduced by T, t or a space and nothing else; a
// number is digits only (no sign).
func TestDateEdges(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // "" when not a date
	}{
		{"15/01/2030", "2030-01-15"},
		{"01/12/2030", "2030-12-01"},
		{"31/12/2030", "2030-12-31"},
		{"2020-01-01t10:00:00Z", "2020-01-01"},
		{"2020-01-01x10:00:00Z", ""},
		{"2020-01-01_10:00:00", ""},
		{"+5/03/2030", ""},
		{"15/+3/2030", ""},
		{"00/03/2030", ""},
		{"15/00/2030", ""},
		{"32/01/2030", ""},
	} {
		got, ok := Date(c.in, DayFirst)
		if c.want == "" {
			if ok {
				t.Errorf("Date(%q) = %s, want not a date", c.in, got.Format(ISODate))
			}
			continue
		}
		if !ok || got.Format(ISODate) != c.want {
			t.Errorf("Date(%q) = %s, %v; want %s", c.in, got.Format(ISODate), ok, c.want)
		}
	}
}
