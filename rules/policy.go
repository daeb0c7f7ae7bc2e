package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/go-playground/validator/v10"
	"gopkg.in/yaml.v3"

	"github.com/veredicto/veredicto/engine"
)

// The YAML documents. Field tags give the YAML key and the validation rule.
type policyDoc struct {
	Policy      string       `yaml:"policy" validate:"required,max=100"`
	Version     string       `yaml:"version" validate:"required,max=50"`
	Description string       `yaml:"description"`
	Default     string       `yaml:"default" validate:"required,oneof=approve review reject"`
	Require     []requireDoc `yaml:"require" validate:"dive"`
	Derive      []deriveDoc  `yaml:"derive" validate:"dive"`
	Rules       []ruleDoc    `yaml:"rules" validate:"required,min=1,dive"`
	Scores      []scoreDoc   `yaml:"scores" validate:"dive"`
	// Informational lists the facts the policy deliberately does not act
	// on, each group with the reason: accepted risks an auditor reads.
	Informational []informationalDoc `yaml:"informational" validate:"dive"`
}

type informationalDoc struct {
	Facts  []string `yaml:"facts" validate:"required,min=1"`
	Reason string   `yaml:"reason" validate:"required"`
}

type requireDoc struct {
	ID          string   `yaml:"id" validate:"required,ident"`
	Description string   `yaml:"description" validate:"required"`
	Facts       []string `yaml:"facts" validate:"required,min=1"`
	Outcome     string   `yaml:"outcome" validate:"omitempty,oneof=review reject"`
	Reason      string   `yaml:"reason"`
}

type deriveDoc struct {
	Name        string `yaml:"name" validate:"required,derivedname"`
	Description string `yaml:"description" validate:"required"`
	Expr        string `yaml:"expr" validate:"required"`
}

type ruleDoc struct {
	ID          string `yaml:"id" validate:"required,ident"`
	Description string `yaml:"description" validate:"required"`
	When        string `yaml:"when" validate:"required"`
	Outcome     string `yaml:"outcome" validate:"required,oneof=approve review reject"`
	Reason      string `yaml:"reason" validate:"required"`
	Unknown     string `yaml:"unknown" validate:"omitempty,oneof=review ignore"`
	Shadow      bool   `yaml:"shadow"`
}

type scoreDoc struct {
	ID          string         `yaml:"id" validate:"required,ident"`
	Description string         `yaml:"description" validate:"required"`
	Unknown     string         `yaml:"unknown" validate:"omitempty,oneof=review ignore"`
	Shadow      bool           `yaml:"shadow"`
	Terms       []termDoc      `yaml:"terms" validate:"required,min=1,dive"`
	Thresholds  []thresholdDoc `yaml:"thresholds" validate:"required,min=1,dive"`
}

type termDoc struct {
	Description string  `yaml:"description"`
	When        string  `yaml:"when" validate:"required"`
	Points      float64 `yaml:"points" validate:"required"`
}

type thresholdDoc struct {
	Min     float64 `yaml:"min"`
	Outcome string  `yaml:"outcome" validate:"required,oneof=approve review reject"`
	Reason  string  `yaml:"reason" validate:"required"`
}

var (
	identRe   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	derivedRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	validate  = func() *validator.Validate {
		v := validator.New(validator.WithRequiredStructEnabled())
		v.RegisterTagNameFunc(func(f reflect.StructField) string { return f.Tag.Get("yaml") })
		_ = v.RegisterValidation("ident", func(fl validator.FieldLevel) bool { return identRe.MatchString(fl.Field().String()) })
		_ = v.RegisterValidation("derivedname", func(fl validator.FieldLevel) bool { return derivedRe.MatchString(fl.Field().String()) })
		return v
	}()
)

// The limits that Compile enforces, so that a policy that loads cannot
// exhaust the machine that evaluates it: compiling costs time and memory
// linear in the policy's size, and evaluating one case costs at most the
// size of the compiled policy times the longest string an expression can
// build. A policy beyond a limit is refused with a problem of code
// CodeLimit at the file position of the part that exceeds it. The limits are
// far above real policies: the standard policy has 13 KB, 25 rules, 6
// derived facts and expressions of at most 51 nodes.
const (
	// MaxSourceBytes bounds the policy source, and the text its YAML
	// aliases expand to (an alias counts its text at every use).
	MaxSourceBytes = 4 << 20
	// MaxYAMLNodes bounds the YAML nodes of the policy, an alias counting
	// the nodes it stands for at every use.
	MaxYAMLNodes = 1 << 20
	// MaxRules, MaxRequirements, MaxDerived and MaxTerms bound the number of
	// rules, requirements, derived facts and score terms (of all scores).
	MaxRules        = 10_000
	MaxRequirements = 10_000
	MaxDerived      = 10_000
	MaxTerms        = 10_000
	// MaxInformational bounds the fact names and patterns of the
	// informational list.
	MaxInformational = 10_000
	// MaxExprBytes bounds the source of one expression, and MaxExprNodes its
	// syntax tree (a fact name, a literal, an operator or a call is a node).
	MaxExprBytes = 64 << 10
	MaxExprNodes = 2_000
	// MaxDerivedDepth bounds the chains of derived facts: a derived fact
	// that reads only catalog facts has depth 1, one that reads it depth 2.
	MaxDerivedDepth = 64
	// MaxStringBytes bounds the length, in bytes, that any string
	// expression can reach: + adds the bounds of its sides, lower and upper
	// triple it (invalid UTF-8 becomes U+FFFD), a literal counts its
	// length, a derived fact its own bound and a catalog fact (or a list
	// element, #) AssumedFactBytes.
	MaxStringBytes = 64 << 10
	// AssumedFactBytes is the length assumed for a catalog fact's string
	// when bounding string expressions. Providers' strings are statuses,
	// codes and names, far shorter; a longer one makes an expression
	// longer in proportion, never by more than MaxStringBytes/AssumedFactBytes
	// times.
	AssumedFactBytes = 4 << 10
	// MaxPatternBytes bounds the pattern of matches, MaxPatternInsts the
	// instructions of its compiled program, and MaxPolicyPatternInsts those
	// of all the policy's patterns together. Go's regular expressions run
	// in time linear in the input.
	MaxPatternBytes       = 1_000
	MaxPatternInsts       = 10_000
	MaxPolicyPatternInsts = 200_000
	// MaxProblems is how many problems Compile reports before it stops
	// looking for more.
	MaxProblems = 1_000
)

// CodeLimit is the code of a problem that a policy exceeds one of the limits.
const CodeLimit = "limit"

// Load reads and compiles the policy file at path. A file larger than
// MaxSourceBytes is refused without being read whole.
func Load(path string, cat *engine.Catalog) (*engine.Policy, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	src, err := io.ReadAll(io.LimitReader(fh, MaxSourceBytes+1))
	if err != nil {
		return nil, err
	}
	return Compile(path, src, cat)
}

// Compile compiles policy source; file names the source in positions. The
// error, when not nil, is an engine.ErrorList with every problem found.
func Compile(file string, src []byte, cat *engine.Catalog) (*engine.Policy, error) {
	if len(src) > MaxSourceBytes {
		var errs engine.ErrorList
		errs.Add(engine.Position{File: file, Line: 1, Column: 1}, CodeLimit,
			fmt.Sprintf("the policy has more than %d bytes (the limit is %d)", MaxSourceBytes, MaxSourceBytes), "")
		return nil, errs
	}
	c := &loader{file: file, src: src, lines: strings.Split(string(src), "\n"), nodes: map[string]*yaml.Node{}}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		c.yamlError(err)
		return nil, c.errs.Err()
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		c.add(engine.Position{File: file, Line: 1, Column: 1}, engine.CodeMissing, "empty policy")
		return nil, c.errs.Err()
	}
	var doc policyDoc
	c.decode(root.Content[0], reflect.ValueOf(&doc).Elem(), "")
	if c.overBudget || !c.checkCounts(&doc, root.Content[0]) {
		c.errs.Sort()
		return nil, c.errs
	}
	c.validateDoc(&doc, root.Content[0])
	// Compile what can be compiled even when the document has problems, so
	// that one run reports every problem.
	p := c.build(&doc, cat)
	if len(c.errs) > 0 {
		c.errs.Sort()
		return nil, c.errs
	}
	sum := sha256.Sum256(src)
	p.Hash = hex.EncodeToString(sum[:])
	p.File = file
	return p, nil
}

type loader struct {
	file  string
	src   []byte
	lines []string
	errs  engine.ErrorList
	nodes map[string]*yaml.Node // "rules[2].when" → the value node; "rules[2]" → its mapping

	// What decode has expanded so far, aliases counted at each use.
	decodedNodes, decodedBytes int
	overBudget                 bool
}

func (c *loader) pos(n *yaml.Node) engine.Position {
	return engine.Position{File: c.file, Line: n.Line, Column: n.Column}
}

func (c *loader) add(p engine.Position, code, msg string) {
	switch {
	case len(c.errs) > MaxProblems:
		return
	case len(c.errs) == MaxProblems:
		code, msg = CodeLimit, fmt.Sprintf("more than %d problems; fix these first", MaxProblems)
	}
	line := ""
	if p.Line >= 1 && p.Line <= len(c.lines) {
		line = strings.TrimRight(c.lines[p.Line-1], "\r")
	}
	c.errs.Add(p, code, msg, line)
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (c *loader) yamlError(err error) {
	msg := err.Error()
	line := 1
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	msg = "YAML: " + strings.TrimPrefix(msg, "yaml: ")
	p := engine.Position{File: c.file, Line: line, Column: 1}
	tab := strings.Contains(msg, "tab character") || strings.Contains(msg, "cannot start any token")
	if l, col := c.tabIndent(line); tab && l > 0 {
		// The parser names the line before the tab, or the tab's block.
		p.Line, p.Column = l, col
		msg = "YAML: a tab indents this line; YAML indents with spaces only"
	} else if col, fixed := colonInText(c.lineAt(line)); col > 0 && strings.Contains(msg, "mapping values are not allowed") {
		p.Column = col
		msg = `YAML: ": " inside unquoted text starts a new key; quote the text: ` + fixed
	}
	c.add(p, engine.CodeSyntax, msg)
}

// lineAt is line n of the source, without its line end; "" past the end.
func (c *loader) lineAt(n int) string {
	if n < 1 || n > len(c.lines) {
		return ""
	}
	return strings.TrimRight(c.lines[n-1], "\r")
}

// tabIndent returns the first line from near line on (the line before
// it included, then the whole file) whose indentation holds a tab, and the
// tab's column; 0 when none does.
func (c *loader) tabIndent(line int) (int, int) {
	find := func(from int) (int, int) {
		for n := max(from, 1); n <= len(c.lines); n++ {
			text := c.lines[n-1]
			indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
			if i := strings.IndexByte(indent, '\t'); i >= 0 && strings.TrimSpace(text) != "" {
				return n, i + 1
			}
		}
		return 0, 0
	}
	if l, col := find(line - 1); l > 0 {
		return l, col
	}
	return find(1)
}

// plainKeyValue is a line "key: value" (in a list item or not) whose
// value is unquoted text.
var plainKeyValue = regexp.MustCompile(`^(\s*(?:-\s+)?[A-Za-z_][\w-]*:\s+)([^"'|>\s{\[&*!#].*)$`)

// colonInText finds a ": " inside the unquoted value of a "key: value"
// line, which YAML reads as a second key. It returns the colon's column
// and the line with the value quoted; 0 when the line is not so.
func colonInText(line string) (int, string) {
	m := plainKeyValue.FindStringSubmatch(line)
	if m == nil {
		return 0, ""
	}
	value := strings.TrimRight(m[2], " ")
	i := strings.Index(value+" ", ": ")
	if i < 0 {
		return 0, ""
	}
	return utf8.RuneCountInString(m[1]+value[:i]) + 1, strings.TrimLeft(m[1], " -") + strconv.Quote(value)
}

// decode fills v from n, checking keys and scalar types, and records each
// node's position under its path.
func (c *loader) decode(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if c.overBudget {
		return
	}
	c.decodedNodes++
	c.decodedBytes += len(n.Value)
	if c.decodedNodes > MaxYAMLNodes || c.decodedBytes > MaxSourceBytes {
		c.overBudget = true
		c.add(c.pos(n), CodeLimit, fmt.Sprintf("the policy, its YAML aliases expanded, has more than %d nodes or %d bytes of text", MaxYAMLNodes, MaxSourceBytes))
		return
	}
	c.nodes[path] = n
	switch v.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			c.add(c.pos(n), engine.CodeInvalid, fmt.Sprintf("%s: expected a mapping of %s", orTop(path), keysOf(v.Type())))
			return
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			f, ok := fieldByKey(v, k.Value)
			if !ok {
				msg := fmt.Sprintf("unknown key %q", k.Value)
				if s := engine.SuggestString(k.Value, strings.Split(keysOf(v.Type()), ", ")); s != "" {
					msg += fmt.Sprintf(" (did you mean %s?)", s)
				} else {
					msg += " (want one of " + keysOf(v.Type()) + ")"
				}
				c.add(c.pos(k), engine.CodeUnknownKey, msg)
				continue
			}
			if seen[k.Value] {
				c.add(c.pos(k), engine.CodeDuplicate, fmt.Sprintf("key %q given twice", k.Value))
				continue
			}
			seen[k.Value] = true
			c.decode(val, f, join(path, k.Value))
		}
	case reflect.Slice:
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return
		}
		if n.Kind != yaml.SequenceNode {
			c.add(c.pos(n), engine.CodeInvalid, fmt.Sprintf("%s: expected a list", path))
			return
		}
		if lim, ok := listLimits[path]; ok && len(n.Content) > lim.max {
			// Refused before a single entry is read.
			c.add(c.pos(n), CodeLimit, fmt.Sprintf("%d %s: the limit is %d", len(n.Content), lim.what, lim.max))
			c.overBudget = true
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content)))
		for i, el := range n.Content {
			c.decode(el, v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			c.add(c.pos(n), engine.CodeInvalid, fmt.Sprintf("%s: expected text", path))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
			c.add(c.pos(n), engine.CodeInvalid, fmt.Sprintf("%s: expected true or false", path))
			return
		}
		v.SetBool(b)
	case reflect.Float64:
		var f float64
		if n.Kind != yaml.ScalarNode || n.Decode(&f) != nil {
			c.add(c.pos(n), engine.CodeInvalid, fmt.Sprintf("%s: expected a number", path))
			return
		}
		v.SetFloat(f)
	}
}

// listLimits bounds the top-level lists, checked as they are decoded.
var listLimits = map[string]struct {
	what string
	max  int
}{
	"rules":   {"rules", MaxRules},
	"require": {"requirements", MaxRequirements},
	"derive":  {"derived facts", MaxDerived},
}

// checkCounts refuses a policy with more score terms or informational
// entries than the limits allow, before anything is compiled.
func (c *loader) checkCounts(doc *policyDoc, root *yaml.Node) bool {
	terms, listed := 0, 0
	for _, s := range doc.Scores {
		terms += len(s.Terms)
	}
	for _, inf := range doc.Informational {
		listed += len(inf.Facts)
	}
	ok := true
	for _, lim := range []struct {
		key, what string
		n, max    int
	}{
		{"scores", "score terms", terms, MaxTerms},
		{"informational", "informational facts", listed, MaxInformational},
	} {
		if lim.n > lim.max {
			n := c.nodes[lim.key]
			if n == nil {
				n = root
			}
			c.add(c.pos(n), CodeLimit, fmt.Sprintf("%d %s: the limit is %d", lim.n, lim.what, lim.max))
			ok = false
		}
	}
	return ok
}

func orTop(path string) string {
	if path == "" {
		return "policy"
	}
	return path
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func fieldByKey(v reflect.Value, key string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("yaml") == key {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func keysOf(t reflect.Type) string {
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = t.Field(i).Tag.Get("yaml")
	}
	return strings.Join(keys, ", ")
}

// validateDoc runs the struct validation rules and reports each failure at
// the node of the field (or of its parent mapping when the field is absent).
func (c *loader) validateDoc(doc *policyDoc, root *yaml.Node) {
	err := validate.Struct(doc)
	var ve validator.ValidationErrors
	if !errors.As(err, &ve) {
		return
	}
	for _, fe := range ve {
		path := strings.TrimPrefix(fe.Namespace(), "policyDoc.")
		path = strings.TrimPrefix(path, ".")
		n, ok := c.nodes[path]
		missing := !ok
		for !ok && path != "" {
			if i := strings.LastIndexAny(path, ".["); i >= 0 {
				path = path[:i]
			} else {
				path = ""
			}
			n, ok = c.nodes[path]
		}
		if n == nil {
			n = root
		}
		field := fe.Field()
		var msg string
		switch {
		case missing || fe.Tag() == "required" && reflect.ValueOf(fe.Value()).IsZero():
			msg = fmt.Sprintf("missing %s", field)
			if path != "" {
				msg += " in " + path
			}
			c.add(c.pos(n), engine.CodeMissing, msg)
			continue
		case fe.Tag() == "oneof":
			msg = fmt.Sprintf("%s must be one of %s, not %q", field, strings.ReplaceAll(fe.Param(), " ", ", "), fe.Value())
		case fe.Tag() == "ident":
			msg = fmt.Sprintf("%s %q: use lower-case letters, digits, - and _", field, fe.Value())
		case fe.Tag() == "derivedname":
			msg = fmt.Sprintf("%s %q: a derived fact's name is a lower-case identifier (letters, digits, _)", field, fe.Value())
		case fe.Tag() == "min":
			msg = fmt.Sprintf("%s needs at least %s entries", field, fe.Param())
		case fe.Tag() == "max":
			msg = fmt.Sprintf("%s is longer than %s characters", field, fe.Param())
		default:
			msg = fmt.Sprintf("%s fails %s", field, fe.Tag())
		}
		c.add(c.pos(n), engine.CodeInvalid, msg)
	}
}

// exprAt compiles the expression held by the node at path, mapping errors
// inside the expression to file positions.
func (c *loader) exprAt(path string, sc *scope, want engine.Kind) (compiled, []engine.Ref, bool) {
	n := c.nodes[path]
	if n == nil || n.Kind != yaml.ScalarNode || n.Value == "" {
		return bad, nil, false // reported by validation
	}
	tree, errs := parseExpr(n.Value)
	return c.compileAt(n, tree, errs, sc, want)
}

// compileAt compiles a parsed expression of node n (or reports why it did
// not parse).
func (c *loader) compileAt(n *yaml.Node, tree ast.Node, errs []exprError, sc *scope, want engine.Kind) (compiled, []engine.Ref, bool) {
	if len(errs) > 0 {
		for _, e := range errs {
			c.add(c.exprPos(n, e.at), e.code, e.msg)
		}
		return bad, nil, false
	}
	sc.quiet = len(c.errs) >= MaxProblems
	out, refs, errs := compileTree(tree, sc, want)
	for _, e := range errs {
		c.add(c.exprPos(n, e.at), e.code, e.msg)
	}
	return out, refs, len(errs) == 0
}

// exprPos maps a rune offset inside a scalar's value to a file position.
func (c *loader) exprPos(n *yaml.Node, at int) engine.Position {
	val := n.Value
	byteOff := len(val)
	for i := range val {
		if at == 0 {
			byteOff = i
			break
		}
		at--
	}
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// The value's lines are the file's lines after the indicator, each
		// stripped of the block's indentation; each blank line before the
		// first is a line end of the value.
		line := n.Line + 1
		for line <= len(c.lines) && strings.TrimSpace(c.lines[line-1]) == "" {
			line++
		}
		if line > len(c.lines) {
			break
		}
		first := c.lines[line-1]
		indent := len(first) - len(strings.TrimLeft(first, " "))
		rest := max(byteOff-(line-n.Line-1), 0)
		for l := line; l <= len(c.lines); l++ {
			text := c.lines[l-1]
			content := ""
			if len(text) >= indent {
				content = text[indent:]
			}
			if rest <= len(content) {
				return engine.Position{File: c.file, Line: l, Column: indent + utf8.RuneCountInString(content[:rest]) + 1}
			}
			rest -= len(content) + 1
		}
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		return engine.Position{File: c.file, Line: n.Line, Column: n.Column + 1 + utf8.RuneCountInString(val[:byteOff])}
	default:
		// A plain scalar may continue on following lines.
		lines := strings.Split(val[:byteOff], "\n")
		if len(lines) == 1 {
			return engine.Position{File: c.file, Line: n.Line, Column: n.Column + utf8.RuneCountInString(val[:byteOff])}
		}
	}
	return c.pos(n)
}

// build compiles a validated document.
func (c *loader) build(doc *policyDoc, cat *engine.Catalog) *engine.Policy {
	p := &engine.Policy{Name: doc.Policy, Version: doc.Version, Description: doc.Description, Catalog: cat}
	p.Default, _ = engine.ParseOutcome(doc.Default)
	sc := &scope{cat: cat, derived: map[string]int{}, declared: map[string]bool{}, namespaces: map[string]bool{}}
	for _, ns := range cat.Namespaces() {
		sc.namespaces[ns] = true
	}

	c.buildDerived(doc, p, sc)
	ids := map[string]string{}
	unique := func(id, path string) {
		if prev, dup := ids[id]; dup {
			n := c.nodes[path+".id"]
			pn := c.nodes[prev+".id"]
			c.add(c.pos(n), engine.CodeDuplicate, fmt.Sprintf("duplicate id %q (first used at line %d)", id, pn.Line))
			return
		}
		if id == "" {
			return
		}
		ids[id] = path
	}

	for i, r := range doc.Require {
		path := fmt.Sprintf("require[%d]", i)
		unique(r.ID, path)
		req := engine.Requirement{ID: r.ID, Description: r.Description, Outcome: engine.Review}
		if r.Outcome != "" {
			req.Outcome, _ = engine.ParseOutcome(r.Outcome)
		}
		for j, name := range r.Facts {
			n := c.nodes[fmt.Sprintf("%s.facts[%d]", path, j)]
			_, refs, ok := c.exprAt(fmt.Sprintf("%s.facts[%d]", path, j), sc, engine.Unknown)
			if !ok {
				continue
			}
			if len(refs) != 1 || refs[0].Name != strings.TrimSpace(name) {
				c.add(c.pos(n), engine.CodeInvalid, fmt.Sprintf("%q: facts lists fact names, not expressions", name))
				continue
			}
			req.Facts = append(req.Facts, refs[0])
		}
		msg := r.Reason
		if msg == "" {
			msg = "required evidence missing: " + r.Description
		}
		req.Message = c.template(path+".reason", msg, sc)
		req.Pos = c.posOf(path + ".id")
		p.Requirements = append(p.Requirements, req)
	}

	for i, r := range doc.Rules {
		path := fmt.Sprintf("rules[%d]", i)
		unique(r.ID, path)
		out, refs, _ := c.exprAt(path+".when", sc, engine.Bool)
		rule := engine.Rule{ID: r.ID, Description: r.Description, When: out.test(), Refs: refs,
			IgnoreUnknown: r.Unknown == "ignore", Shadow: r.Shadow, Source: r.When, Pos: c.exprStart(path + ".when")}
		rule.Outcome, _ = engine.ParseOutcome(r.Outcome)
		rule.Message = c.template(path+".reason", r.Reason, sc)
		p.Rules = append(p.Rules, rule)
	}

	for i, s := range doc.Scores {
		path := fmt.Sprintf("scores[%d]", i)
		unique(s.ID, path)
		score := engine.Score{ID: s.ID, Description: s.Description, IgnoreUnknown: s.Unknown == "ignore", Shadow: s.Shadow, Pos: c.posOf(path + ".id")}
		for j, t := range s.Terms {
			tp := fmt.Sprintf("%s.terms[%d]", path, j)
			out, refs, _ := c.exprAt(tp+".when", sc, engine.Bool)
			score.Terms = append(score.Terms, engine.Term{Description: t.Description, When: out.test(), Points: t.Points, Refs: refs,
				Source: t.When, Pos: c.exprStart(tp + ".when")})
		}
		for j, th := range s.Thresholds {
			tp := fmt.Sprintf("%s.thresholds[%d]", path, j)
			o, _ := engine.ParseOutcome(th.Outcome)
			score.Thresholds = append(score.Thresholds, engine.Threshold{Min: th.Min, Outcome: o, Message: c.template(tp+".reason", th.Reason, sc)})
		}
		c.checkThresholds(path, s.Thresholds)
		sort.SliceStable(score.Thresholds, func(a, b int) bool { return score.Thresholds[a].Min > score.Thresholds[b].Min })
		p.Scores = append(p.Scores, score)
	}
	c.buildInformational(doc, p, cat)
	return p
}

// checkThresholds reports thresholds that give a score's points no single
// meaning: two with one min, and one whose outcome is milder than that of
// a lower min (more points would then give a milder outcome). Each is
// reported at its min.
func (c *loader) checkThresholds(path string, ths []thresholdDoc) {
	type th struct {
		i       int
		min     float64
		outcome engine.Outcome
	}
	var byMin []th
	for i, t := range ths {
		if o, err := engine.ParseOutcome(t.Outcome); err == nil {
			byMin = append(byMin, th{i, t.Min, o}) // an unknown outcome is reported by validation
		}
	}
	sort.SliceStable(byMin, func(a, b int) bool { return byMin[a].min < byMin[b].min })
	at := func(i int) engine.Position {
		tp := fmt.Sprintf("%s.thresholds[%d]", path, i)
		if c.nodes[tp+".min"] != nil {
			return c.posOf(tp + ".min")
		}
		return c.posOf(tp) // no min: it is 0
	}
	severest := -1 // the index in byMin of the severest outcome of a lower min
	for k, t := range byMin {
		if k > 0 && byMin[k-1].min == t.min {
			c.add(at(t.i), engine.CodeDuplicate, fmt.Sprintf("threshold min %s given twice (first at line %d)",
				engine.NumberValue(t.min), at(byMin[k-1].i).Line))
			continue
		}
		if severest >= 0 && t.outcome < byMin[severest].outcome {
			s := byMin[severest]
			c.add(at(t.i), engine.CodeInvalid, fmt.Sprintf("threshold min %s gives %s, milder than %s at min %s (line %d): more points must not give a milder outcome",
				engine.NumberValue(t.min), t.outcome, s.outcome, engine.NumberValue(s.min), at(s.i).Line))
		}
		if severest < 0 || t.outcome > byMin[severest].outcome {
			severest = k
		}
	}
}

// buildInformational expands the informational list: exact fact names, or
// patterns ending in .* for every fact under a prefix.
func (c *loader) buildInformational(doc *policyDoc, p *engine.Policy, cat *engine.Catalog) {
	var specs []engine.FactSpec
	for i, inf := range doc.Informational {
		path := fmt.Sprintf("informational[%d]", i)
		a := engine.Acceptance{Reason: strings.TrimSpace(inf.Reason), Pos: c.posOf(path)}
		for j, name := range inf.Facts {
			n := c.nodes[fmt.Sprintf("%s.facts[%d]", path, j)]
			var hits []string
			if prefix, ok := strings.CutSuffix(name, ".*"); ok {
				if specs == nil {
					specs = cat.Specs()
				}
				for _, sp := range specs {
					if strings.HasPrefix(sp.Name, prefix+".") {
						hits = append(hits, sp.Name)
					}
				}
			} else if _, ok := cat.Lookup(name); ok {
				hits = []string{name}
			}
			if len(hits) == 0 {
				msg := fmt.Sprintf("informational: no fact matches %q", name)
				if sug := cat.Suggest(strings.TrimSuffix(name, ".*")); sug != "" {
					msg += " (did you mean " + sug + "?)"
				}
				c.add(c.pos(n), engine.CodeUnknownFact, msg)
				continue
			}
			a.Facts = append(a.Facts, hits...)
		}
		p.Accepted = append(p.Accepted, a)
	}
}

// posOf is the position of the node at path, or of the file when absent.
func (c *loader) posOf(path string) engine.Position {
	if n := c.nodes[path]; n != nil {
		return c.pos(n)
	}
	return engine.Position{File: c.file, Line: 1, Column: 1}
}

// exprStart is the position of the first character of the expression at path.
func (c *loader) exprStart(path string) engine.Position {
	if n := c.nodes[path]; n != nil && n.Kind == yaml.ScalarNode {
		return c.exprPos(n, 0)
	}
	return c.posOf(path)
}

// buildDerived compiles derived facts in dependency order, reporting unknown
// names, duplicates, cycles and chains deeper than MaxDerivedDepth. The
// dependencies are the names the expressions' syntax trees use, so a
// string literal that spells a derived fact's name is not one.
func (c *loader) buildDerived(doc *policyDoc, p *engine.Policy, sc *scope) {
	byName := map[string]int{}
	for i, d := range doc.Derive {
		path := fmt.Sprintf("derive[%d]", i)
		if d.Name == "" {
			continue // reported by validation
		}
		if _, ok := sc.cat.Lookup(d.Name); ok || sc.namespaces[d.Name] {
			c.add(c.pos(c.nodes[path+".name"]), engine.CodeDuplicate, fmt.Sprintf("derived fact %q clashes with a fact namespace", d.Name))
			continue
		}
		if j, dup := byName[d.Name]; dup {
			c.add(c.pos(c.nodes[path+".name"]), engine.CodeDuplicate, fmt.Sprintf("derived fact %q defined twice (first at line %d)", d.Name, c.nodes[fmt.Sprintf("derive[%d].name", j)].Line))
			continue
		}
		byName[d.Name] = i
		sc.names = append(sc.names, d.Name)
		sc.declared[d.Name] = true
	}
	type parsed struct {
		node *yaml.Node
		tree ast.Node
		errs []exprError
	}
	trees := make([]parsed, len(doc.Derive))
	deps := make([][]int, len(doc.Derive))
	for i := range doc.Derive {
		n := c.nodes[fmt.Sprintf("derive[%d].expr", i)]
		if n == nil || n.Kind != yaml.ScalarNode || n.Value == "" {
			continue // reported by validation
		}
		tree, errs := parseExpr(n.Value)
		trees[i] = parsed{n, tree, errs}
		if tree == nil {
			continue
		}
		seen := map[int]bool{}
		for _, name := range identifiers(tree) {
			if j, ok := byName[name]; ok && j != i && !seen[j] {
				seen[j] = true
				deps[i] = append(deps[i], j)
			}
		}
	}
	state := make([]int, len(doc.Derive)) // 0 new, 1 visiting, 2 done, 3 failed
	depth := make([]int, len(doc.Derive))
	var visit func(i int) bool
	visit = func(i int) bool {
		switch state[i] {
		case 1:
			c.add(c.pos(c.nodes[fmt.Sprintf("derive[%d].expr", i)]), engine.CodeCycle, fmt.Sprintf("derived fact %q depends on itself", doc.Derive[i].Name))
			return false
		case 2:
			return true
		case 3:
			return false
		}
		state[i] = 1
		depth[i] = 1
		for _, j := range deps[i] {
			if !visit(j) {
				state[i] = 3
				return false
			}
			depth[i] = max(depth[i], depth[j]+1)
		}
		state[i] = 2
		d := doc.Derive[i]
		if byName[d.Name] != i {
			return true
		}
		at := fmt.Sprintf("derive[%d].expr", i)
		if depth[i] > MaxDerivedDepth {
			c.add(c.exprStart(at), CodeLimit, fmt.Sprintf("derived fact %q is at the end of a chain of %d derived facts: the limit is %d", d.Name, depth[i], MaxDerivedDepth))
			state[i] = 3
			return false
		}
		out := bad
		var refs []engine.Ref
		if t := trees[i]; t.node != nil {
			out, refs, _ = c.compileAt(t.node, t.tree, t.errs, sc, engine.Unknown)
		}
		// A derived fact that did not compile has no kind: the expressions
		// that read it are not compiled either, and not reported again.
		sc.derived[d.Name] = len(p.Derived)
		sc.derivedK = append(sc.derivedK, out.kind)
		sc.derivedMax = append(sc.derivedMax, out.maxLen)
		p.Derived = append(p.Derived, engine.Derived{Name: d.Name, Description: d.Description, Kind: out.kind, Expr: out.value(), Refs: refs,
			Source: d.Expr, Pos: c.exprStart(at)})
		return true
	}
	for i := range doc.Derive {
		visit(i)
	}
}

var placeholderRe = regexp.MustCompile(`\{([a-z_][a-z0-9_.]*)\}`)

// template compiles a reason message with {fact} placeholders.
func (c *loader) template(path, msg string, sc *scope) engine.Template {
	var t engine.Template
	last := 0
	for _, m := range placeholderRe.FindAllStringSubmatchIndex(msg, -1) {
		name := msg[m[2]:m[3]]
		out, refs, errs := compileExpr(name, sc, engine.Unknown)
		if len(errs) > 0 || len(refs) != 1 || out.kind == engine.Unknown {
			n := c.nodes[path]
			for _, e := range errs {
				c.add(c.exprPos(n, runeIndex(msg, m[2])+e.at), e.code, e.msg+" in the reason")
			}
			continue
		}
		t.Text = append(t.Text, msg[last:m[0]])
		t.Refs = append(t.Refs, refs[0])
		last = m[1]
	}
	t.Text = append(t.Text, msg[last:])
	return t
}

func runeIndex(s string, byteOff int) int { return utf8.RuneCountInString(s[:byteOff]) }
