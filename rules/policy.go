package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

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

// Load reads and compiles the policy file at path.
func Load(path string, cat *engine.Catalog) (*engine.Policy, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Compile(path, src, cat)
}

// Compile compiles policy source; file names the source in positions. The
// error, when not nil, is an engine.ErrorList with every problem found.
func Compile(file string, src []byte, cat *engine.Catalog) (*engine.Policy, error) {
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
}

func (c *loader) pos(n *yaml.Node) engine.Position {
	return engine.Position{File: c.file, Line: n.Line, Column: n.Column}
}

func (c *loader) add(p engine.Position, code, msg string) {
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
	c.add(engine.Position{File: c.file, Line: line, Column: 1}, engine.CodeSyntax, "YAML: "+strings.TrimPrefix(msg, "yaml: "))
}

// decode fills v from n, checking keys and scalar types, and records each
// node's position under its path.
func (c *loader) decode(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
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
	out, refs, errs := compileExpr(n.Value, sc, want)
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
		// stripped of the block's indentation.
		line := n.Line + 1
		for line <= len(c.lines) && strings.TrimSpace(c.lines[line-1]) == "" {
			line++
		}
		if line > len(c.lines) {
			break
		}
		first := c.lines[line-1]
		indent := len(first) - len(strings.TrimLeft(first, " "))
		rest := byteOff
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
	sc := &scope{cat: cat, derived: map[string]int{}, namespaces: map[string]bool{}}
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
		sort.SliceStable(score.Thresholds, func(a, b int) bool { return score.Thresholds[a].Min > score.Thresholds[b].Min })
		p.Scores = append(p.Scores, score)
	}
	c.buildInformational(doc, p, cat)
	return p
}

// buildInformational expands the informational list: exact fact names, or
// patterns ending in .* for every fact under a prefix.
func (c *loader) buildInformational(doc *policyDoc, p *engine.Policy, cat *engine.Catalog) {
	for i, inf := range doc.Informational {
		path := fmt.Sprintf("informational[%d]", i)
		a := engine.Acceptance{Reason: strings.TrimSpace(inf.Reason), Pos: c.posOf(path)}
		for j, name := range inf.Facts {
			n := c.nodes[fmt.Sprintf("%s.facts[%d]", path, j)]
			var hits []string
			if prefix, ok := strings.CutSuffix(name, ".*"); ok {
				for _, sp := range cat.Specs() {
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
// names, duplicates and cycles.
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
	}
	// Dependencies: the derived names each expression mentions.
	deps := make([][]int, len(doc.Derive))
	for i, d := range doc.Derive {
		for name, j := range byName {
			if j != i && mentions(d.Expr, name) {
				deps[i] = append(deps[i], j)
			}
		}
		sort.Ints(deps[i])
	}
	state := make([]int, len(doc.Derive)) // 0 new, 1 visiting, 2 done
	var visit func(i int) bool
	visit = func(i int) bool {
		switch state[i] {
		case 1:
			c.add(c.pos(c.nodes[fmt.Sprintf("derive[%d].expr", i)]), engine.CodeCycle, fmt.Sprintf("derived fact %q depends on itself", doc.Derive[i].Name))
			return false
		case 2:
			return true
		}
		state[i] = 1
		for _, j := range deps[i] {
			if !visit(j) {
				state[i] = 2
				return false
			}
		}
		state[i] = 2
		d := doc.Derive[i]
		if byName[d.Name] != i {
			return true
		}
		out, refs, ok := c.exprAt(fmt.Sprintf("derive[%d].expr", i), sc, engine.Unknown)
		if !ok {
			out.kind = engine.Bool
		}
		sc.derived[d.Name] = len(p.Derived)
		sc.derivedK = append(sc.derivedK, out.kind)
		p.Derived = append(p.Derived, engine.Derived{Name: d.Name, Description: d.Description, Kind: out.kind, Expr: out.value(), Refs: refs,
			Source: d.Expr, Pos: c.exprStart(fmt.Sprintf("derive[%d].expr", i))})
		return true
	}
	for i := range doc.Derive {
		visit(i)
	}
}

// mentions reports whether src uses name as a whole identifier.
func mentions(src, name string) bool {
	for i := 0; ; {
		j := strings.Index(src[i:], name)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isIdent(src[j-1]) && src[j-1] != '.'
		after := j+len(name) == len(src) || !isIdent(src[j+len(name)]) && src[j+len(name)] != '.'
		if before && after {
			return true
		}
		i = j + len(name)
	}
}

func isIdent(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
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
