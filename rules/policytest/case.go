package policytest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
	"gopkg.in/yaml.v3"

	"github.com/veredicto/veredicto/engine"
)

// Bounds on the JSON of one inline case, whatever YAML aliases expand to.
const (
	maxCaseBytes = 1 << 20
	maxCaseNodes = 100_000
	maxCaseDepth = 64
)

// span marks where the JSON of a suite node, or the bytes of a fixture,
// start in a case document, so that a normalizer's error offset leads back
// to the suite line that caused it.
type span struct {
	off     int
	node    *yaml.Node
	fixture string // the fixture's name when the bytes are a fixture's
}

func dirOf(file string) string { return filepath.Dir(file) }

// rel resolves a path named in the suite against the suite's directory.
func (l *loader) rel(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(l.dir, filepath.FromSlash(name))
}

// caseOf builds the JSON case document of a test from its case, fixture or
// results. It returns nil after reporting a problem.
func (l *loader) caseOf(f fields, n *yaml.Node, what string) ([]byte, []span) {
	var given []string
	for _, k := range caseSources {
		if f.has(k) {
			given = append(given, k)
		}
	}
	switch len(given) {
	case 0:
		l.errorf(n, engine.CodeMissing, "%s: no case: give one of case, fixture or results, or facts alone", what)
		return nil, nil
	case 1:
	default:
		l.errorf(f.key(given[1]), engine.CodeInvalid, "%s: give only one of case, fixture or results (%s is given too)", what, given[0])
		return nil, nil
	}
	b := &docBuilder{l: l}
	switch given[0] {
	case "case":
		v := f.val("case")
		if v.Kind != yaml.MappingNode {
			l.errorf(v, engine.CodeInvalid, "case: expected a mapping: a provider payload or an envelope, in YAML or JSON")
			return nil, nil
		}
		b.value(v, 0)
	case "fixture":
		b.fixture(f.val("fixture"))
	case "results":
		b.results(f.val("results"))
	}
	if !b.ok() {
		return nil, nil
	}
	return b.buf, b.spans
}

// envelopeAsOf reports whether a case document is an envelope with its own
// evaluation time.
func envelopeAsOf(doc []byte) bool {
	top := gjson.ParseBytes(doc)
	return top.Get("results").Exists() && top.Get("as_of").Type == gjson.String
}

// caseError reports a normalizer's error at the suite node (or fixture) whose
// JSON holds the offending byte.
func (l *loader) caseError(err error, spans []span, f fields) {
	var off int
	var provider, msg string
	ok := false
	if l.h.Locate != nil {
		off, provider, msg, ok = l.h.Locate(err)
	}
	if !ok || len(spans) == 0 {
		at := f.node
		for _, k := range caseSources {
			if f.has(k) {
				at = f.val(k)
			}
		}
		l.errorf(at, engine.CodeInvalid, "case: %s", strings.ReplaceAll(err.Error(), "\n", " "))
		return
	}
	// The last span that starts at or before the offset.
	after := sort.Search(len(spans), func(i int) bool { return spans[i].off > off })
	sp := spans[max(after-1, 0)]
	prefix := ""
	if provider != "" {
		prefix = provider + ": "
	}
	if sp.fixture != "" {
		l.errorf(sp.node, engine.CodeInvalid, "fixture %s: %sbyte %d: %s", sp.fixture, prefix, off-sp.off, msg)
		return
	}
	l.errorf(sp.node, engine.CodeInvalid, "case: %s%s", prefix, msg)
}

// docBuilder writes JSON from suite nodes and fixtures, recording spans.
type docBuilder struct {
	l     *loader
	buf   []byte
	spans []span
	bad   bool // a problem was reported
	// stopped: the case is too deep or too large; nothing more is written.
	stopped bool
}

func (b *docBuilder) ok() bool { return !b.bad }

func (b *docBuilder) fail(n *yaml.Node, format string, args ...any) {
	b.l.errorf(n, engine.CodeInvalid, format, args...)
	b.bad = true
}

func (b *docBuilder) mark(n *yaml.Node) {
	b.spans = append(b.spans, span{off: len(b.buf), node: n})
}

// value writes a YAML node as JSON.
func (b *docBuilder) value(n *yaml.Node, depth int) {
	n = resolve(n)
	switch {
	case b.stopped:
		return
	case depth > maxCaseDepth:
		b.fail(n, "case: nested deeper than %d levels", maxCaseDepth)
		b.stopped = true
		return
	case len(b.buf) > maxCaseBytes || len(b.spans) > maxCaseNodes:
		b.fail(n, "case: larger than %d bytes or %d values as JSON", maxCaseBytes, maxCaseNodes)
		b.stopped = true
		return
	}
	b.mark(n)
	switch n.Kind {
	case yaml.MappingNode:
		pairs, _ := b.l.pairs(n, 0)
		seen := make(map[string]bool, len(pairs))
		b.buf = append(b.buf, '{')
		for i, pr := range pairs {
			k := resolve(pr[0])
			if k.Kind != yaml.ScalarNode {
				b.fail(k, "case: a key must be text")
				return
			}
			if seen[k.Value] {
				continue // a merged key that the mapping gives itself
			}
			seen[k.Value] = true
			if i > 0 {
				b.buf = append(b.buf, ',')
			}
			b.mark(k)
			b.buf = appendString(b.buf, k.Value)
			b.buf = append(b.buf, ':')
			b.value(pr[1], depth+1)
		}
		b.buf = append(b.buf, '}')
	case yaml.SequenceNode:
		b.buf = append(b.buf, '[')
		for i, el := range n.Content {
			if i > 0 {
				b.buf = append(b.buf, ',')
			}
			b.value(el, depth+1)
		}
		b.buf = append(b.buf, ']')
	case yaml.ScalarNode:
		b.scalar(n)
	default:
		b.fail(n, "case: unexpected YAML node")
	}
}

func (b *docBuilder) scalar(n *yaml.Node) {
	switch n.ShortTag() {
	case "!!null":
		b.buf = append(b.buf, "null"...)
	case "!!bool":
		var v bool
		if n.Decode(&v) != nil {
			b.fail(n, "case: %q is not true or false", n.Value)
			return
		}
		b.buf = strconv.AppendBool(b.buf, v)
	case "!!int", "!!float":
		if json.Valid([]byte(n.Value)) && isNumber(n.Value) {
			b.buf = append(b.buf, n.Value...)
			return
		}
		var v float64
		if n.Decode(&v) != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			b.fail(n, "case: %s is not a JSON number", n.Value)
			return
		}
		b.buf = strconv.AppendFloat(b.buf, v, 'g', -1, 64)
	default: // strings, timestamps and binary stay the text written
		b.buf = appendString(b.buf, n.Value)
	}
}

func isNumber(s string) bool {
	return s != "" && (s[0] == '-' || s[0] >= '0' && s[0] <= '9')
}

func appendString(buf []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(buf, q...)
}

// fixture writes a fixture's bytes.
func (b *docBuilder) fixture(n *yaml.Node) {
	name, ok := b.l.text(n, "fixture")
	if !ok {
		b.bad = true
		return
	}
	data, err := b.l.readFixture(name)
	if err != nil {
		b.fail(n, "%s", err.Error())
		return
	}
	b.spans = append(b.spans, span{off: len(b.buf), node: n, fixture: name})
	b.buf = append(b.buf, data...)
}

// results writes an envelope of provider results.
func (b *docBuilder) results(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		b.fail(n, "results: expected a list of at least one {provider, kind, payload | fixture}")
		return
	}
	b.mark(n)
	b.buf = append(b.buf, `{"results":[`...)
	for i, el := range n.Content {
		f, ok := b.l.mapping(el, fmt.Sprintf("results[%d]", i), resultKeys)
		if !ok {
			b.bad = true
			continue
		}
		if i > 0 {
			b.buf = append(b.buf, ',')
		}
		b.mark(f.node)
		b.buf = append(b.buf, '{')
		for _, k := range []string{"provider", "kind"} {
			if !f.has(k) {
				continue
			}
			v, ok := b.l.text(f.val(k), k)
			if !ok {
				b.bad = true
				continue
			}
			b.mark(f.val(k))
			b.buf = appendString(b.buf, k)
			b.buf = append(b.buf, ':')
			b.buf = appendString(b.buf, v)
			b.buf = append(b.buf, ',')
		}
		b.buf = append(b.buf, `"payload":`...)
		switch {
		case f.has("payload") && f.has("fixture"):
			b.fail(f.key("fixture"), "results[%d]: give payload or fixture, not both", i)
		case f.has("payload"):
			if p := f.val("payload"); p.Kind != yaml.MappingNode {
				b.fail(p, "results[%d].payload: expected a mapping (the provider's JSON object)", i)
			} else {
				b.value(p, 1)
			}
		case f.has("fixture"):
			b.fixture(f.val("fixture"))
		default:
			b.fail(f.node, "results[%d]: give payload or fixture", i)
		}
		b.buf = append(b.buf, '}')
	}
	b.buf = append(b.buf, "]}"...)
}

// readFixture reads a fixture named in a suite: a file relative to the
// suite's directory, else a fixture built into veredicto.
func (l *loader) readFixture(name string) ([]byte, error) {
	data, err := os.ReadFile(l.rel(name))
	if err == nil {
		return data, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("fixture %s: %v", name, err)
	}
	clean := path.Clean(filepath.ToSlash(name))
	if l.h.Fixtures == nil {
		return nil, fmt.Errorf("fixture %s not found in %s", name, l.dir)
	}
	if data, err := fs.ReadFile(l.h.Fixtures, clean); err == nil {
		return data, nil
	}
	msg := fmt.Sprintf("fixture %s not found: neither in %s nor among the built-in fixtures", name, l.dir)
	if s := engine.SuggestString(clean, builtinFixtures(l.h.Fixtures)); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return nil, errors.New(msg)
}

func builtinFixtures(fsys fs.FS) []string {
	var out []string
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}
