package policytest

import (
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/rules"
)

// The keys each mapping of a suite may have.
var (
	suiteKeys   = []string{"policy", "as_of", "description", "tests"}
	testKeys    = []string{"name", "description", "case", "fixture", "results", "as_of", "facts", "expect"}
	resultKeys  = []string{"provider", "kind", "payload", "fixture"}
	factsKeys   = []string{"set", "unset", "unreadable", "conflicting"}
	expectKeys  = []string{"outcome", "fired", "not_fired", "undecided", "shadow", "missing", "scores"}
	scoreKeys   = []string{"points", "outcome"}
	caseSources = []string{"case", "fixture", "results"}
)

// Parse reads a suite from src and binds it to the compiled policy p: every
// rule, requirement and score id the suite names is checked against p, and
// every case is read, normalized and edited. file names the suite in
// positions, and relative fixture paths are resolved against its directory.
// The error, when not nil, is an engine.ErrorList with every problem found.
func (h *Harness) Parse(file string, src []byte, p *engine.Policy) (*Suite, error) {
	if err := h.check(); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errors.New("policytest: Parse needs a compiled policy")
	}
	if p.Catalog != h.Catalog {
		return nil, errors.New("policytest: the policy was not compiled against the harness's fact catalog")
	}
	l := h.newLoader(file, src)
	top := l.root(src)
	if top == nil {
		return nil, l.errs
	}
	l.bind(p)
	s := l.suite(top, p.File)
	if len(l.errs) > 0 {
		l.errs.Sort()
		return nil, l.errs
	}
	return s, nil
}

// Loader loads suite files and the policies they name, compiling each
// policy once however many suites test it.
type Loader struct {
	h        *Harness
	policies map[string]*loadedPolicy
}

type loadedPolicy struct {
	p        *engine.Policy
	errs     engine.ErrorList
	err      error
	reported bool
}

// NewLoader returns a Loader with no policy compiled yet.
func (h *Harness) NewLoader() *Loader { return &Loader{h: h, policies: map[string]*loadedPolicy{}} }

// Load reads the suite file at path and the policy it names. The error is an
// engine.ErrorList when the suite or its policy has problems; the policy's
// own problems are in the list of the first suite that names it only.
func (ld *Loader) Load(path string) (*Suite, error) {
	if err := ld.h.check(); err != nil {
		return nil, err
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	l := ld.h.newLoader(path, src)
	top := l.root(src)
	if top == nil {
		return nil, l.errs
	}
	policyFile, at := DefaultPolicyFile(path), top
	if f, ok := l.mapping(top, "suite", suiteKeys); ok && f.has("policy") {
		if name, ok := l.text(f.val("policy"), "policy"); ok {
			policyFile, at = l.rel(name), f.val("policy")
		}
	}
	lp := ld.policy(policyFile)
	switch {
	case lp.p != nil:
		l.bind(lp.p)
	case errors.Is(lp.err, os.ErrNotExist):
		msg := fmt.Sprintf("policy file %s not found", policyFile)
		if at == top {
			msg += " (name the policy with the key policy:)"
		}
		l.add(l.pos(at), engine.CodeMissing, msg)
	case lp.err != nil:
		l.add(l.pos(at), engine.CodeInvalid, fmt.Sprintf("policy %s: %v", policyFile, lp.err))
	default:
		l.add(l.pos(at), engine.CodeInvalid, fmt.Sprintf("the policy %s does not load (%s)", policyFile, plural(len(lp.errs), "problem")))
		if !lp.reported {
			lp.reported = true
			l.errs = append(l.errs, lp.errs...)
		}
	}
	s := l.suite(top, policyFile)
	if len(l.errs) > 0 {
		l.errs.Sort()
		return nil, l.errs
	}
	return s, nil
}

func (ld *Loader) policy(file string) *loadedPolicy {
	if lp, ok := ld.policies[file]; ok {
		return lp
	}
	lp := &loadedPolicy{}
	p, err := rules.Load(file, ld.h.Catalog)
	if !errors.As(err, &lp.errs) {
		lp.p, lp.err = p, err
	}
	ld.policies[file] = lp
	return lp
}

// loader reads one suite file, collecting every problem.
type loader struct {
	h     *Harness
	file  string
	dir   string
	lines []string
	errs  engine.ErrorList
	cat   *engine.Catalog

	// Set by bind; without a policy the checks of ids are skipped.
	p       *engine.Policy
	ids     map[string]idKind
	allIDs  []string
	derived []string
}

func (h *Harness) newLoader(file string, src []byte) *loader {
	return &loader{h: h, file: file, dir: dirOf(file), lines: strings.Split(string(src), "\n"), cat: h.Catalog}
}

func (l *loader) bind(p *engine.Policy) {
	l.p = p
	l.ids, l.allIDs = policyIDs(p)
	for _, d := range p.Derived {
		l.derived = append(l.derived, d.Name)
	}
}

func (l *loader) pos(n *yaml.Node) engine.Position {
	return engine.Position{File: l.file, Line: n.Line, Column: n.Column}
}

func (l *loader) add(p engine.Position, code, msg string) {
	line := ""
	if p.Line >= 1 && p.Line <= len(l.lines) {
		line = strings.TrimRight(l.lines[p.Line-1], "\r")
	}
	l.errs.Add(p, code, msg, line)
}

func (l *loader) errorf(n *yaml.Node, code, format string, args ...any) {
	l.add(l.pos(n), code, fmt.Sprintf(format, args...))
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// root parses the YAML and returns the top mapping, or nil after reporting
// why there is none.
func (l *loader) root(src []byte) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		msg, line := err.Error(), 1
		if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		l.add(engine.Position{File: l.file, Line: line, Column: 1}, engine.CodeSyntax, "YAML: "+strings.TrimPrefix(msg, "yaml: "))
		return nil
	}
	if len(doc.Content) == 0 {
		l.add(engine.Position{File: l.file, Line: 1, Column: 1}, engine.CodeMissing, "empty suite: it needs a list of tests")
		return nil
	}
	top := resolve(doc.Content[0])
	if top.Kind != yaml.MappingNode {
		l.errorf(top, engine.CodeInvalid, "a suite is a mapping of %s", strings.Join(suiteKeys, ", "))
		return nil
	}
	return top
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// fields are the entries of a YAML mapping by key.
type fields struct {
	node *yaml.Node
	keys map[string]*yaml.Node
	vals map[string]*yaml.Node
}

func (f fields) has(k string) bool       { _, ok := f.vals[k]; return ok }
func (f fields) val(k string) *yaml.Node { return f.vals[k] }
func (f fields) key(k string) *yaml.Node { return f.keys[k] }

// mapping reads a mapping whose keys must be among allowed, reporting unknown
// and repeated keys. Merge keys (<<: *anchor) are expanded; the mapping's own
// keys win over merged ones.
func (l *loader) mapping(n *yaml.Node, what string, allowed []string) (fields, bool) {
	n = resolve(n)
	f := fields{node: n, keys: map[string]*yaml.Node{}, vals: map[string]*yaml.Node{}}
	if n.Kind != yaml.MappingNode {
		l.errorf(n, engine.CodeInvalid, "%s: expected a mapping of %s", what, strings.Join(allowed, ", "))
		return f, false
	}
	pairs, merged := l.pairs(n, 0)
	for i, pr := range pairs {
		k := pr[0]
		if !slices.Contains(allowed, k.Value) {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, what)
			if s := engine.SuggestString(k.Value, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			} else {
				msg += " (want one of " + strings.Join(allowed, ", ") + ")"
			}
			l.errorf(k, engine.CodeUnknownKey, "%s", msg)
			continue
		}
		if _, dup := f.vals[k.Value]; dup {
			if i < merged {
				l.errorf(k, engine.CodeDuplicate, "key %q given twice", k.Value)
			}
			continue
		}
		f.keys[k.Value], f.vals[k.Value] = k, resolve(pr[1])
	}
	return f, true
}

// pairs returns a mapping's key/value pairs: its own first, then those of
// merged mappings; merged is how many are its own.
func (l *loader) pairs(n *yaml.Node, depth int) (out [][2]*yaml.Node, own int) {
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "" || k.ShortTag() == "!!merge") {
			merges = append(merges, v)
			continue
		}
		out = append(out, [2]*yaml.Node{k, v})
	}
	own = len(out)
	if depth > 16 {
		l.errorf(n, engine.CodeInvalid, "merge keys (<<) nested too deep")
		return out, own
	}
	for _, m := range merges {
		m = resolve(m)
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			s = resolve(s)
			if s.Kind != yaml.MappingNode {
				l.errorf(s, engine.CodeInvalid, "<<: expected an alias of a mapping")
				continue
			}
			more, _ := l.pairs(s, depth+1)
			out = append(out, more...)
		}
	}
	return out, own
}

// text reads a scalar as text.
func (l *loader) text(n *yaml.Node, what string) (string, bool) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" || n.Value == "" {
		l.errorf(n, engine.CodeInvalid, "%s: expected text", what)
		return "", false
	}
	return n.Value, true
}

// list reads a sequence of scalars; an absent key is a nil list and an empty
// sequence a non-nil empty one.
func (l *loader) list(n *yaml.Node, what string) ([]string, []*yaml.Node, bool) {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		l.errorf(n, engine.CodeInvalid, "%s: expected a list (write [] for none)", what)
		return nil, nil, false
	}
	out := make([]string, 0, len(n.Content))
	nodes := make([]*yaml.Node, 0, len(n.Content))
	ok := true
	for _, el := range n.Content {
		el = resolve(el)
		s, good := l.text(el, what)
		if !good {
			ok = false
			continue
		}
		if i := slices.Index(out, s); i >= 0 {
			l.errorf(el, engine.CodeDuplicate, "%s: %s listed twice", what, s)
			ok = false
			continue
		}
		out = append(out, s)
		nodes = append(nodes, el)
	}
	return out, nodes, ok
}

// asOf reads an evaluation time: RFC 3339, or a date (midnight UTC).
func (l *loader) asOf(n *yaml.Node) (time.Time, bool) {
	s, ok := l.text(n, "as_of")
	if !ok {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	l.errorf(n, engine.CodeInvalid, "as_of %q: want an RFC 3339 time (2025-06-17T12:00:00Z) or a date (2025-06-17)", s)
	return time.Time{}, false
}

func (l *loader) suite(top *yaml.Node, policyFile string) *Suite {
	s := &Suite{File: l.file, PolicyFile: policyFile, Policy: l.p}
	f, _ := l.mapping(top, "suite", suiteKeys)
	if f.has("description") {
		s.Description, _ = l.text(f.val("description"), "description")
	}
	st := suiteTime{asOfOK: true}
	if f.has("as_of") {
		st.asOf, st.asOfOK = l.asOf(f.val("as_of"))
	}
	if !f.has("tests") {
		l.errorf(top, engine.CodeMissing, "missing tests: a suite needs a list of tests")
		return s
	}
	tests := f.val("tests")
	if tests.Kind != yaml.SequenceNode || len(tests.Content) == 0 {
		l.errorf(tests, engine.CodeMissing, "tests: expected a list of at least one test")
		return s
	}
	names := map[string]*yaml.Node{}
	for i, tn := range tests.Content {
		if t := l.test(resolve(tn), i, names, st); t != nil {
			s.Tests = append(s.Tests, t)
		}
	}
	return s
}

// suiteTime is a suite's own evaluation time; asOfOK is false when it was
// given and is wrong.
type suiteTime struct {
	asOf   time.Time
	asOfOK bool
}

func (l *loader) test(n *yaml.Node, i int, names map[string]*yaml.Node, suite suiteTime) *Test {
	what := fmt.Sprintf("tests[%d]", i)
	if n.Kind == yaml.MappingNode {
		for _, pr := range pairsOf(n) {
			if pr[0].Value == "name" && resolve(pr[1]).Kind == yaml.ScalarNode && resolve(pr[1]).Value != "" {
				what = fmt.Sprintf("test %q", resolve(pr[1]).Value)
			}
		}
	}
	f, ok := l.mapping(n, what, testKeys)
	if !ok {
		return nil
	}
	t := &Test{Pos: l.pos(n)}
	good := true
	if !f.has("name") {
		l.errorf(n, engine.CodeMissing, "%s: missing name", what)
		good = false
	} else if t.Name, ok = l.text(f.val("name"), "name"); ok {
		if prev, dup := names[t.Name]; dup {
			l.errorf(f.val("name"), engine.CodeDuplicate, "test name %q already used at line %d", t.Name, prev.Line)
			good = false
		}
		names[t.Name] = f.val("name")
	} else {
		good = false
	}
	if f.has("description") {
		t.Description, _ = l.text(f.val("description"), "description")
	}

	timeOK := suite.asOfOK
	t.AsOf = suite.asOf
	if f.has("as_of") {
		t.AsOf, timeOK = l.asOf(f.val("as_of"))
		good = good && timeOK
	}

	// A test with facts and no case starts from an empty fact set.
	factsOnly := f.has("facts") && !slices.ContainsFunc(caseSources, f.has)
	var doc []byte
	var spans []span
	if !factsOnly {
		doc, spans = l.caseOf(f, n, what)
	}
	if !timeOK {
		doc, factsOnly = nil, false // reported
	} else if (doc != nil && !envelopeAsOf(doc) || factsOnly) && t.AsOf.IsZero() {
		l.errorf(n, engine.CodeMissing, "%s: no evaluation time: give as_of on the test or at the top of the suite (decisions depend on it: expiry, age)", what)
		doc, factsOnly = nil, false
	}

	var edits []edit
	if f.has("facts") {
		edits, ok = l.edits(f.val("facts"))
		good = good && ok
	}

	if !f.has("expect") {
		l.errorf(n, engine.CodeMissing, "%s: missing expect (at least expect: {outcome: ...})", what)
		good = false
	} else {
		t.Expect, ok = l.expect(f.val("expect"))
		good = good && ok
	}

	if doc == nil && !factsOnly {
		return nil
	}
	t.facts = engine.NewFacts(l.cat)
	switch {
	case factsOnly:
		t.facts.AsOf = t.AsOf
	case l.h.Normalize == nil:
		l.errorf(n, engine.CodeInvalid, "%s: this harness cannot read cases: give facts only", what)
		return nil
	default:
		if err := l.h.Normalize(doc, t.facts, t.AsOf); err != nil {
			l.caseError(err, spans, f)
			return nil
		}
	}
	if !good {
		return nil
	}
	applyEdits(t.facts, edits)
	return t
}

// applyEdits applies a test's fact edits: each edited fact loses what
// normalization said about it, value and evidence note, and takes the
// edit's value and state.
func applyEdits(f *engine.Facts, edits []edit) {
	if len(edits) == 0 {
		return
	}
	cat := f.Catalog()
	edited := make(map[string]bool, len(edits))
	for _, e := range edits {
		edited[cat.Spec(e.slot).Name] = true
	}
	f.Evidence = slices.DeleteFunc(f.Evidence, func(n engine.EvidenceNote) bool { return edited[n.Fact] })
	for _, e := range edits {
		f.Set(e.slot, e.v)
		if e.state != engine.Clean {
			f.Mark(e.slot, engine.EvidenceNote{State: e.state, Provider: "test", Offset: -1,
				Field: "facts." + e.state.String(), Message: "set by the test"})
		}
	}
}

// edit sets one fact of a case after normalization, and its evidence
// state (unreadable: no value; conflicting: the value given).
type edit struct {
	slot  int
	v     engine.Value
	state engine.Evidence
}

func (l *loader) edits(n *yaml.Node) ([]edit, bool) {
	f, ok := l.mapping(n, "facts", factsKeys)
	if !ok {
		return nil, false
	}
	var out []edit
	given := map[string]string{} // fact → the key that edits it
	for _, key := range []string{"set", "conflicting"} {
		if !f.has(key) {
			continue
		}
		what := "facts." + key
		if f.val(key).Kind != yaml.MappingNode {
			l.errorf(f.val(key), engine.CodeInvalid, "%s: expected a mapping of fact name to value", what)
			ok = false
			continue
		}
		state := engine.Clean
		if key == "conflicting" {
			state = engine.Conflicting
		}
		for _, pr := range pairsOf(f.val(key)) {
			k, v := pr[0], resolve(pr[1])
			slot, kok := l.factName(k, what)
			if !kok {
				ok = false
				continue
			}
			if prev, dup := given[k.Value]; dup {
				if prev == key {
					l.errorf(k, engine.CodeDuplicate, "%s: %s given twice", what, k.Value)
				} else {
					l.errorf(k, engine.CodeInvalid, "%s: %s is also under %s", what, k.Value, prev)
				}
				ok = false
				continue
			}
			given[k.Value] = key
			val, vok := l.factValue(l.cat.Spec(slot), v, what)
			if !vok {
				ok = false
				continue
			}
			out = append(out, edit{slot, val, state})
		}
	}
	for _, key := range []string{"unset", "unreadable"} {
		if !f.has(key) {
			continue
		}
		what := "facts." + key
		names, nodes, lok := l.list(f.val(key), what)
		ok = ok && lok
		state := engine.Clean
		if key == "unreadable" {
			state = engine.Unreadable
		}
		for i, name := range names {
			slot, kok := l.factName(nodes[i], what)
			if !kok {
				ok = false
				continue
			}
			if prev, dup := given[name]; dup {
				l.errorf(nodes[i], engine.CodeInvalid, "%s: %s is also under %s", what, name, prev)
				ok = false
				continue
			}
			given[name] = key
			out = append(out, edit{slot: slot, state: state})
		}
	}
	return out, ok
}

// pairsOf returns a mapping's pairs without checking keys; merge keys are not
// expanded (a fact name is never <<).
func pairsOf(n *yaml.Node) [][2]*yaml.Node {
	n = resolve(n)
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, [2]*yaml.Node{n.Content[i], n.Content[i+1]})
	}
	return out
}

// factName resolves a catalog fact named by a node.
func (l *loader) factName(n *yaml.Node, what string) (int, bool) {
	name := n.Value
	if slot, ok := l.cat.Lookup(name); ok {
		return slot, true
	}
	if slices.Contains(l.derived, name) {
		var from []string
		for _, d := range l.p.Derived {
			if d.Name == name {
				for _, r := range d.Refs {
					from = append(from, r.Name)
				}
			}
		}
		l.errorf(n, engine.CodeUnknownFact, "%s: %s is derived by the policy from %s; edit those facts instead", what, name, strings.Join(from, ", "))
		return 0, false
	}
	msg := fmt.Sprintf("%s: unknown fact %q", what, name)
	if s := l.cat.Suggest(name); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	} else {
		msg += " (veredicto facts lists them)"
	}
	l.errorf(n, engine.CodeUnknownFact, "%s", msg)
	return 0, false
}

// factValue reads the value of a fact edit by the fact's kind.
func (l *loader) factValue(spec engine.FactSpec, n *yaml.Node, what string) (engine.Value, bool) {
	bad := func(want string) (engine.Value, bool) {
		l.errorf(n, engine.CodeType, "%s: %s is a %s fact: expected %s", what, spec.Name, spec.Kind, want)
		return engine.Value{}, false
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		l.errorf(n, engine.CodeInvalid, "%s: %s: a fact is made unknown with unset, not null", what, spec.Name)
		return engine.Value{}, false
	}
	tag := n.ShortTag()
	switch spec.Kind {
	case engine.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || tag != "!!bool" || n.Decode(&b) != nil {
			return bad("true or false")
		}
		return engine.BoolValue(b), true
	case engine.Number:
		var x float64
		if n.Kind != yaml.ScalarNode || (tag != "!!int" && tag != "!!float") || n.Decode(&x) != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("a number")
		}
		return engine.NumberValue(x), true
	case engine.String:
		if n.Kind != yaml.ScalarNode || (tag != "!!str" && tag != "!!timestamp") {
			return bad("text (quote it)")
		}
		if len(spec.Values) > 0 && !slices.Contains(spec.Values, n.Value) {
			msg := fmt.Sprintf("%s: %s: %q is not one of its values (%s)", what, spec.Name, n.Value, strings.Join(spec.Values, ", "))
			if s := engine.SuggestString(n.Value, spec.Values); s != "" {
				msg = fmt.Sprintf("%s: %s: %q is not one of its values (did you mean %s?)", what, spec.Name, n.Value, s)
			}
			l.errorf(n, engine.CodeInvalid, "%s", msg)
			return engine.Value{}, false
		}
		return engine.StringValue(n.Value), true
	case engine.List:
		if n.Kind != yaml.SequenceNode {
			return bad("a list of text")
		}
		items := make([]string, 0, len(n.Content))
		for _, el := range n.Content {
			el = resolve(el)
			if el.Kind != yaml.ScalarNode || el.ShortTag() == "!!null" {
				return bad("a list of text")
			}
			items = append(items, el.Value)
		}
		return engine.ListValue(items), true
	}
	return bad("a known kind")
}

func (l *loader) expect(n *yaml.Node) (Expect, bool) {
	var e Expect
	f, ok := l.mapping(n, "expect", expectKeys)
	if !ok {
		return e, false
	}
	if !f.has("outcome") {
		l.errorf(f.node, engine.CodeMissing, "expect: missing outcome (approve, review or reject)")
		ok = false
	} else {
		e.Outcome, ok = l.outcome(f.val("outcome"), false)
	}
	ids := func(key string) ([]string, []*yaml.Node) {
		if !f.has(key) {
			return nil, nil
		}
		list, nodes, lok := l.list(f.val(key), key)
		if !lok {
			ok = false
		}
		if list == nil {
			return nil, nil
		}
		return list, nodes
	}
	var firedN, notFiredN, undecidedN, shadowN, missingN []*yaml.Node
	e.Fired, firedN = ids("fired")
	e.NotFired, notFiredN = ids("not_fired")
	e.Undecided, undecidedN = ids("undecided")
	e.Shadow, shadowN = ids("shadow")
	e.Missing, missingN = ids("missing")
	for _, key := range []string{"not_fired", "undecided"} {
		if f.has(key) && f.val(key).Kind == yaml.SequenceNode && len(f.val(key).Content) == 0 {
			l.errorf(f.val(key), engine.CodeInvalid, "%s: an empty list checks nothing; list rule ids or drop the key", key)
			ok = false
		}
	}

	if l.p != nil {
		for i, id := range e.Fired {
			k, kok := l.id(firedN[i], "fired")
			switch {
			case !kok:
				ok = false
			case k.shadow():
				l.errorf(firedN[i], engine.CodeInvalid, "fired: %s is a %s: list it under shadow (shadow rules never decide)", id, k)
				ok = false
			}
		}
		for i, id := range e.Shadow {
			k, kok := l.id(shadowN[i], "shadow")
			switch {
			case !kok:
				ok = false
			case !k.shadow():
				l.errorf(shadowN[i], engine.CodeInvalid, "shadow: %s is a %s, not a shadow one: list it under fired", id, k)
				ok = false
			}
		}
		for i, id := range e.NotFired {
			if _, kok := l.id(notFiredN[i], "not_fired"); !kok {
				ok = false
				continue
			}
			if slices.Contains(e.Fired, id) || slices.Contains(e.Shadow, id) {
				l.errorf(notFiredN[i], engine.CodeInvalid, "not_fired: %s is also expected to fire", id)
				ok = false
			}
		}
		for i, id := range e.Undecided {
			k, kok := l.id(undecidedN[i], "undecided")
			switch {
			case !kok:
				ok = false
			case k == idRequirement:
				l.errorf(undecidedN[i], engine.CodeInvalid, "undecided: %s is a requirement: it is met or unmet, never undecided (list it under fired)", id)
				ok = false
			case slices.Contains(e.Fired, id) || slices.Contains(e.Shadow, id):
				l.errorf(undecidedN[i], engine.CodeInvalid, "undecided: %s is also expected to fire", id)
				ok = false
			}
		}
	}
	for _, n := range missingN {
		if _, kok := l.factName(n, "missing"); !kok {
			ok = false
		}
	}
	if f.has("scores") {
		var sok bool
		e.Scores, sok = l.scores(f.val("scores"))
		ok = ok && sok
	}
	return e, ok
}

// id checks a rule, requirement or score id against the policy.
func (l *loader) id(n *yaml.Node, what string) (idKind, bool) {
	k, ok := l.ids[n.Value]
	if ok {
		return k, true
	}
	msg := fmt.Sprintf("%s: the policy %s has no rule, requirement or score %q", what, l.p.Name, n.Value)
	if s := engine.SuggestString(n.Value, l.allIDs); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	l.errorf(n, engine.CodeInvalid, "%s", msg)
	return 0, false
}

func (l *loader) outcome(n *yaml.Node, none bool) (engine.Outcome, bool) {
	s, ok := l.text(n, "outcome")
	if !ok {
		return engine.None, false
	}
	names := []string{"approve", "review", "reject"}
	if none {
		if s == "none" {
			return engine.None, true
		}
		names = append(names, "none")
	}
	o, err := engine.ParseOutcome(s)
	if err == nil {
		return o, true
	}
	msg := fmt.Sprintf("outcome %q: want %s", s, strings.Join(names, ", "))
	if sug := engine.SuggestString(s, names); sug != "" {
		msg = fmt.Sprintf("outcome %q: did you mean %s?", s, sug)
	}
	l.errorf(n, engine.CodeInvalid, "%s", msg)
	return engine.None, false
}

func (l *loader) scores(n *yaml.Node) ([]ScoreExpect, bool) {
	if n.Kind != yaml.MappingNode {
		l.errorf(n, engine.CodeInvalid, "scores: expected a mapping of score id to {points, outcome}")
		return nil, false
	}
	ok := true
	var out []ScoreExpect
	seen := map[string]bool{}
	for _, pr := range pairsOf(n) {
		k, v := pr[0], resolve(pr[1])
		se := ScoreExpect{ID: k.Value}
		if seen[k.Value] {
			l.errorf(k, engine.CodeDuplicate, "scores: %s given twice", k.Value)
			ok = false
			continue
		}
		seen[k.Value] = true
		if l.p != nil {
			kind, kok := l.id(k, "scores")
			if !kok {
				ok = false
				continue
			}
			if kind != idScore && kind != idShadowScore {
				l.errorf(k, engine.CodeInvalid, "scores: %s is a %s, not a score", k.Value, kind)
				ok = false
				continue
			}
		}
		f, fok := l.mapping(v, "scores."+k.Value, scoreKeys)
		if !fok {
			ok = false
			continue
		}
		if !f.has("points") && !f.has("outcome") {
			l.errorf(v, engine.CodeMissing, "scores.%s: give points, outcome or both", k.Value)
			ok = false
		}
		if f.has("points") {
			pn := f.val("points")
			t := pn.ShortTag()
			if pn.Kind != yaml.ScalarNode || (t != "!!int" && t != "!!float") || pn.Decode(&se.Points) != nil {
				l.errorf(pn, engine.CodeInvalid, "scores.%s.points: expected a number", k.Value)
				ok = false
			}
			se.HasPoints = true
		}
		if f.has("outcome") {
			var ook bool
			se.Outcome, ook = l.outcome(f.val("outcome"), true)
			ok = ok && ook
			se.HasOutcome = true
		}
		out = append(out, se)
	}
	return out, ok
}
