// Package gen generates synthetic stored KYC cases for demos, tests and
// benchmarks: JSONL lines of bare provider payloads and case envelopes of
// the five providers (Veriff, Veriff INE, Trully, Preventor, JAAK), shaped
// like the providers' documented payloads, awkward shapes included (nulls,
// additionalVerifiedData as an object or an array, numbers as strings,
// pending decisions, API error bodies, in-progress webhooks), and a share
// of malformed lines.
//
// Each case is a synthetic Mexican applicant (a CURP built by RENAPO's rules,
// with a valid check digit except for a few) and a scenario: most cases are
// clean, the others carry one or two flaws (a declined session, a sanctions
// hit, a CURP RENAPO does not know, an inactive INE credential...) that lead
// a policy to review or reject them. The output depends only on the
// configuration: the same seed gives the same bytes.
package gen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"time"
)

// Mix says what a line holds.
type Mix uint8

// The mixes.
const (
	// MixMixed: about 60% bare payloads of one provider, 40% envelopes, of
	// which most are full cases and some partial ones.
	MixMixed Mix = iota
	// MixSingle: every line is one bare provider payload.
	MixSingle
	// MixFull: every line is a full Mexican case: an envelope with results
	// of all five providers.
	MixFull
)

var mixNames = []string{"mixed", "single", "full"}

func (m Mix) String() string { return mixNames[m] }

// ParseMix reads single, full or mixed.
func ParseMix(s string) (Mix, error) {
	for i, n := range mixNames {
		if s == n {
			return Mix(i), nil
		}
	}
	return 0, fmt.Errorf("--mix %q: want single, full or mixed", s)
}

// Config is what Generate produces.
type Config struct {
	Seed  uint64
	Count int
	Mix   Mix
	// Malformed is the share of lines, 0 to 1, that are broken: trailing
	// commas, truncated lines, wrong top-level types, empty lines, binary
	// garbage, unknown providers.
	Malformed float64
}

// epoch is the start of the year the generated decisions fall in; a fixed
// date keeps the output independent of when it is generated.
var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Generator produces the lines of a Config one at a time.
type Generator struct {
	cfg Config
	r   *rand.Rand
	n   int
	sc  scenario
	// Counts tallies what was generated, by kind of line: "veriff",
	// "trully", ..., "full", "partial", and "malformed".
	Counts map[string]int
}

// New returns a generator for cfg.
func New(cfg Config) *Generator {
	return &Generator{cfg: cfg, r: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), Counts: map[string]int{}}
}

// Line appends the next line, without its newline, to dst.
func (g *Generator) Line(dst []byte) []byte {
	g.n++
	r := g.r
	start := len(dst)
	kind := ""
	switch mix := g.cfg.Mix; {
	case mix == MixFull:
		kind = "full"
	case mix == MixSingle:
		kind = pickProvider(r)
	default:
		switch x := r.IntN(100); {
		case x < 60:
			kind = pickProvider(r)
		case x < 92:
			kind = "full"
		default:
			kind = "partial"
		}
	}
	g.sc.draw(r, g.n, kind)
	switch kind {
	case "full", "partial":
		dst = g.sc.envelope(dst, r, kind == "partial")
	default:
		dst = g.sc.payload(dst, r, kind)
	}
	if g.cfg.Malformed > 0 && r.Float64() < g.cfg.Malformed {
		dst = malform(dst, start, r)
		kind = "malformed"
	}
	g.Counts[kind]++
	return dst
}

// Generate writes cfg.Count lines to w.
func Generate(w io.Writer, cfg Config) (*Generator, error) {
	g := New(cfg)
	bw := bufio.NewWriterSize(w, 1<<20)
	var line []byte
	for range cfg.Count {
		line = g.Line(line[:0])
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return g, err
		}
	}
	return g, bw.Flush()
}

// providerWeights: how often each provider's payload is a line of its own.
var providerWeights = []struct {
	name   string
	weight int
}{{"veriff", 34}, {"trully", 20}, {"jaak", 22}, {"preventor", 14}, {"veriff_ine", 10}}

func pickProvider(r *rand.Rand) string {
	x := r.IntN(100)
	for _, p := range providerWeights {
		if x < p.weight {
			return p.name
		}
		x -= p.weight
	}
	return "veriff"
}

// malform breaks the line that starts at dst[start:].
func malform(dst []byte, start int, r *rand.Rand) []byte {
	line := dst[start:]
	switch x := r.IntN(100); {
	case x < 30: // a trailing comma before the last closing brace
		i := len(line) - 1
		for i > 0 && line[i] != '}' {
			i--
		}
		if i <= 0 {
			return append(dst[:start], '{', ',', '}')
		}
		dst = append(dst, 0)
		copy(dst[start+i+1:], dst[start+i:])
		dst[start+i] = ','
		return dst
	case x < 60: // truncated, as by a full disk or a cut-off transfer
		return dst[:start+1+r.IntN(max(1, len(line)-1))]
	case x < 80: // a wrong top-level type
		switch r.IntN(4) {
		case 0:
			wrapped := append([]byte{'['}, line...)
			return append(append(dst[:start], wrapped...), ']')
		case 1:
			return append(dst[:start], `"pending"`...)
		case 2:
			return append(dst[:start], `42`...)
		default:
			return append(dst[:start], `null`...)
		}
	case x < 88: // an empty line
		return dst[:start]
	case x < 94: // binary garbage
		dst = dst[:start]
		for range 8 + r.IntN(40) {
			dst = append(dst, byte(r.IntN(256)))
		}
		for i := start; i < len(dst); i++ {
			if dst[i] == '\n' || dst[i] == '\r' {
				dst[i] = 0
			}
		}
		return dst
	default: // an envelope naming a provider that does not exist
		return append(dst[:start], `{"case_id":"app-unknown","results":[{"provider":"veriff_v2","payload":{"status":"success"}}]}`...)
	}
}
