package engine

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// FactSpec documents one fact: its dotted name, type, meaning and the
// provider that reports it. The catalog of all FactSpecs is the single source
// of truth for what a policy may refer to.
type FactSpec struct {
	Name        string   `json:"name"`
	Kind        Kind     `json:"type"`
	Provider    string   `json:"provider"`
	Description string   `json:"description"`
	Values      []string `json:"values,omitempty"` // the documented values of an enumerated string fact
	// Polarity says which values are adverse; Adverse lists them for an
	// AdverseValues string, and Limit is the documented adverse bound of a
	// number (HigherWorse: adverse at or above it; LowerWorse: at or below).
	Polarity Polarity `json:"polarity"`
	Adverse  []string `json:"adverse,omitempty"`
	Limit    *float64 `json:"limit,omitempty"`
}

// Catalog is an immutable, indexed set of FactSpecs. Each fact has a stable
// slot index; a provider's facts occupy one contiguous range so that a
// normalizer addresses them by its own local index without any lookup.
type Catalog struct {
	specs  []FactSpec
	index  map[string]int
	ranges map[string][2]int
}

// NewCatalog builds a catalog from groups of specs, one group per provider,
// in order. It reports every duplicate or malformed name.
func NewCatalog(groups ...[]FactSpec) (*Catalog, error) {
	c := &Catalog{index: map[string]int{}, ranges: map[string][2]int{}}
	var errs []string
	for _, g := range groups {
		if len(g) == 0 {
			continue
		}
		p := g[0].Provider
		if _, dup := c.ranges[p]; dup {
			errs = append(errs, fmt.Sprintf("provider %q has two groups of facts", p))
		}
		start := len(c.specs)
		for _, s := range g {
			switch {
			case s.Provider != p:
				errs = append(errs, fmt.Sprintf("fact %s: provider %q in the group of %q", s.Name, s.Provider, p))
			case !validFactName(s.Name):
				errs = append(errs, fmt.Sprintf("fact %q: a name is lower-case dotted words", s.Name))
			case s.Kind == Unknown || s.Kind > List:
				errs = append(errs, fmt.Sprintf("fact %s: no type", s.Name))
			case s.Description == "":
				errs = append(errs, fmt.Sprintf("fact %s: no description", s.Name))
			default:
				if msg := polarityProblem(s); msg != "" {
					errs = append(errs, fmt.Sprintf("fact %s: %s", s.Name, msg))
				}
			}
			if _, dup := c.index[s.Name]; dup {
				errs = append(errs, fmt.Sprintf("fact %s declared twice", s.Name))
			}
			c.index[s.Name] = len(c.specs)
			c.specs = append(c.specs, s)
		}
		c.ranges[p] = [2]int{start, len(c.specs)}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("fact catalog: %s", strings.Join(errs, "; "))
	}
	return c, nil
}

// polarityProblem reports a polarity that does not fit the fact's type.
func polarityProblem(s FactSpec) string {
	want := map[Polarity]Kind{AdverseFalse: Bool, AdverseTrue: Bool, AdverseValues: String,
		HigherWorse: Number, LowerWorse: Number, AdverseNonEmpty: List}
	if s.Polarity == Informational {
		if len(s.Adverse) > 0 || s.Limit != nil {
			return "adverse values on an informational fact"
		}
		return ""
	}
	k, ok := want[s.Polarity]
	switch {
	case !ok:
		return "unknown polarity " + s.Polarity.String()
	case k != s.Kind:
		return fmt.Sprintf("polarity %s needs a %s fact", s.Polarity, k)
	case s.Polarity == AdverseValues && len(s.Adverse) == 0:
		return "polarity adverse-values lists no adverse value"
	case s.Polarity != AdverseValues && len(s.Adverse) > 0:
		return "adverse values given for polarity " + s.Polarity.String()
	case s.Limit != nil && s.Kind != Number:
		return "a limit on a fact that is not a number"
	}
	for _, a := range s.Adverse {
		if len(s.Values) > 0 && !slices.Contains(s.Values, a) {
			return fmt.Sprintf("adverse value %q is not one of its values", a)
		}
	}
	return ""
}

func validFactName(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || !strings.Contains(s, ".") {
		return false
	}
	prev := byte('.')
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b == '.':
			if prev == '.' {
				return false
			}
		case b >= 'a' && b <= 'z', b == '_':
		case b >= '0' && b <= '9':
			if prev == '.' {
				return false
			}
		default:
			return false
		}
		prev = b
	}
	return true
}

// Len is the number of facts.
func (c *Catalog) Len() int { return len(c.specs) }

// Spec returns the spec of slot i.
func (c *Catalog) Spec(i int) FactSpec { return c.specs[i] }

// Specs returns all specs in slot order.
func (c *Catalog) Specs() []FactSpec { return append([]FactSpec(nil), c.specs...) }

// Lookup returns the slot of a fact by name.
func (c *Catalog) Lookup(name string) (int, bool) {
	i, ok := c.index[name]
	return i, ok
}

// Base returns the first slot of a provider's facts.
func (c *Catalog) Base(provider string) (int, bool) {
	r, ok := c.ranges[provider]
	return r[0], ok
}

// Namespaces returns the first component of every fact name, sorted.
func (c *Catalog) Namespaces() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range c.specs {
		ns, _, _ := strings.Cut(s.Name, ".")
		if !seen[ns] {
			seen[ns] = true
			out = append(out, ns)
		}
	}
	sort.Strings(out)
	return out
}

// Suggest returns the known name closest to name, or "" when none is close
// enough to be a plausible typo. extra names (such as a policy's derived
// facts) are considered too.
func (c *Catalog) Suggest(name string, extra ...string) string {
	best, bestD := "", len(name)/3+2
	try := func(cand string) {
		if d := editDistance(name, cand, bestD); d < bestD {
			best, bestD = cand, d
		}
	}
	for _, s := range c.specs {
		try(s.Name)
	}
	for _, e := range extra {
		try(e)
	}
	return best
}

// SuggestString returns the entry of values closest to s, or "".
func SuggestString(s string, values []string) string {
	best, bestD := "", len(s)/3+2
	for _, v := range values {
		if d := editDistance(strings.ToLower(s), strings.ToLower(v), bestD); d < bestD {
			best, bestD = v, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, or limit when it is
// at least limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
