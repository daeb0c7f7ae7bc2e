package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules"
	"github.com/veredicto/veredicto/rules/policytest"
)

func newValidate() *cobra.Command {
	var format *outputFormat
	cmd := &cobra.Command{
		Use:   "validate POLICY|DIR ...",
		Short: "Check policies: every problem at file:line:column with the source line",
		Long: `Load each POLICY, or every policy (*.yaml, *.yml; test suites *.test.yaml
excluded) under each DIR, searched recursively and skipping testdata, .hidden
and _underscored directories, and report every problem it has at
file:line:column, with the source line, a caret and the problem's stable code
in brackets: syntax, unknown-key, missing, invalid, duplicate, unknown-fact,
type, unsupported, cycle, limit. --format json gives the same as JSON.

Exit status: 0 every policy loads; 2 a policy has problems or a path is not
a policy.`,
		Example: `  veredicto validate policies/mx-onboarding.yaml
  veredicto validate policies/
  veredicto validate --format json policies/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := format.check(cmd); err != nil {
				return err
			}
			files, err := policyFiles(args)
			if err != nil {
				return exitError{code: exitUsage, msg: err.Error()}
			}
			out, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
			var results []validation
			bad := 0
			for _, path := range files {
				v := validate(path)
				if v.Problems != nil || v.Error != "" {
					bad++
				}
				results = append(results, v)
				if format.value == "text" {
					v.writeText(out, stderr)
				}
			}
			if format.value == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(struct {
					Policies []validation `json:"policies"`
					Failed   int          `json:"failed"`
				}{results, bad}); err != nil {
					return err
				}
			}
			if bad > 0 {
				return exitError{code: exitUsage, msg: fmt.Sprintf("%d of %d policies have problems", bad, len(files))}
			}
			return nil
		},
	}
	format = addFormat(cmd, "", "text", "json")
	return cmd
}

// validation is the result of loading one policy.
type validation struct {
	File string `json:"file"`
	// Set when it loads.
	Policy       *engine.PolicyRef `json:"policy,omitempty"`
	Rules        int               `json:"rules,omitempty"`
	Derived      int               `json:"derived,omitempty"`
	Requirements int               `json:"requirements,omitempty"`
	Scores       int               `json:"scores,omitempty"`
	// Set when it does not.
	Problems []problem `json:"problems,omitempty"`
	Error    string    `json:"error,omitempty"` // it could not be read
	Skipped  string    `json:"skipped,omitempty"`
}

// problem is one problem of a policy, as --format json prints it.
type problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Source  string `json:"source,omitempty"`
}

func problems(list engine.ErrorList) []problem {
	out := make([]problem, len(list))
	for i, e := range list {
		out[i] = problem{File: e.Pos.File, Line: e.Pos.Line, Column: e.Pos.Column, Code: e.Code, Message: e.Msg, Source: e.Source}
	}
	return out
}

func validate(path string) validation {
	if policytest.IsSuiteFile(path) {
		return validation{File: path, Skipped: "a test suite (run veredicto test " + path + ")"}
	}
	p, v := loadValidation(path, normalizers.Catalog())
	if p != nil {
		v.Policy = &engine.PolicyRef{Name: p.Name, Version: p.Version, Hash: p.Hash}
		v.Rules, v.Derived, v.Requirements, v.Scores = len(p.Rules), len(p.Derived), len(p.Requirements), len(p.Scores)
	}
	return v
}

// loadValidation loads a policy; when it does not load, the validation
// holds its problems, or the error when it could not be read.
func loadValidation(path string, cat *engine.Catalog) (*engine.Policy, validation) {
	v := validation{File: path}
	p, err := rules.Load(path, cat)
	var list engine.ErrorList
	switch {
	case errors.As(err, &list):
		v.Problems = problems(list)
	case err != nil:
		v.Error = err.Error()
	default:
		return p, v
	}
	return nil, v
}

func (v validation) writeText(out, stderr io.Writer) {
	switch {
	case v.Skipped != "":
		fmt.Fprintf(out, "skip %s: %s\n", v.File, v.Skipped)
	case v.Error != "":
		fmt.Fprintf(stderr, "%s: %s\n", v.File, v.Error)
	case v.Problems != nil:
		for _, p := range v.Problems {
			fmt.Fprintln(stderr, p.snippet())
		}
	default:
		fmt.Fprintf(out, "ok %s: %s %s, %d rules, %d derived facts, %d requirements, %d scores\n",
			v.File, v.Policy.Name, v.Policy.Version, v.Rules, v.Derived, v.Requirements, v.Scores)
	}
}

// snippet is the problem at file:line:column with its code, the source
// line and a caret.
func (p problem) snippet() string {
	e := engine.Error{Pos: engine.Position{File: p.File, Line: p.Line, Column: p.Column}, Code: p.Code, Msg: p.Message, Source: p.Source}
	s := e.Snippet()
	if p.Code == "" {
		return s
	}
	first, rest, _ := strings.Cut(s, "\n")
	if rest != "" {
		rest = "\n" + rest
	}
	return first + " [" + p.Code + "]" + rest
}

// snippets renders every problem of a list as problem.snippet does.
func snippets(list engine.ErrorList) string {
	var b strings.Builder
	for _, p := range problems(list) {
		b.WriteString(p.snippet())
		b.WriteByte('\n')
	}
	return b.String()
}

// policyFiles expands the paths of validate and check: a file is itself, a
// directory every *.yaml and *.yml under it that is not a test suite,
// skipping testdata, .hidden and _underscored directories, as veredicto
// test does. A directory without policies is an error.
func policyFiles(paths []string) ([]string, error) {
	var out []string
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil || !info.IsDir() {
			out = append(out, root) // validating it reports what is wrong
			continue
		}
		n := len(out)
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if p != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
					return filepath.SkipDir
				}
				return nil
			}
			if (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) && !policytest.IsSuiteFile(name) {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(out) == n {
			return nil, fmt.Errorf("no policies (*.yaml) in %s", root)
		}
	}
	return out, nil
}
