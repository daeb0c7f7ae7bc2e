package policytest

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Exit codes of Main.
const (
	ExitOK   = 0 // every test passed
	ExitFail = 1 // a test failed, coverage is too low, or --run selected nothing
	ExitLoad = 2 // a suite or its policy does not load, or the command line is wrong
)

// Config is the command line of `veredicto test`.
type Config struct {
	Paths    []string // suite files or directories; none: the current directory
	Run      string   // regular expression selecting tests by name, ignoring case
	Verbose  bool     // print passed tests too
	Coverage bool     // print coverage per policy
	// MinCoverage fails the run when a policy's coverage is below it
	// (0 to 100); negative: no minimum.
	MinCoverage float64
	JUnit       string // write JUnit XML to this file
	// JSON prints one JSON report to stdout instead of the text, with the
	// suites that did not load in it rather than on stderr.
	JSON bool
}

// NoMinimum is the MinCoverage that sets no minimum.
const NoMinimum = -1

// selector compiles a --run expression, which ignores case; nil when empty.
func selector(run string) (*regexp.Regexp, error) {
	if run == "" {
		return nil, nil
	}
	return regexp.Compile("(?i)" + run)
}

// Main runs the suites that cfg names, prints the results to stdout and the
// load problems to stderr, and returns the exit code.
func (h *Harness) Main(cfg Config, stdout, stderr io.Writer) int {
	sel, err := selector(cfg.Run)
	if err != nil {
		fmt.Fprintf(stderr, "veredicto test: --run: %v\n", err)
		return ExitLoad
	}
	if err := h.check(); err != nil {
		fmt.Fprintf(stderr, "veredicto test: %v\n", err)
		return ExitLoad
	}
	if cfg.MinCoverage > 100 {
		fmt.Fprintf(stderr, "veredicto test: --min-coverage %g: want a percentage from 0 to 100\n", cfg.MinCoverage)
		return ExitLoad
	}
	files, err := Find(cfg.Paths)
	if err != nil {
		fmt.Fprintf(stderr, "veredicto test: %v\n", err)
		return ExitLoad
	}

	out, problems := stdout, stderr
	if cfg.JSON {
		out, problems = io.Discard, io.Discard
	}
	ld := h.NewLoader()
	var results []*SuiteResult
	var failed []LoadError
	var covs []*Coverage
	byPolicy := map[string]*Coverage{}
	code, ran, total := ExitOK, 0, 0
	// With a --run filter, suite lines wait: when it matches nothing at all
	// no suite is "ok", and one line says so.
	var pending []*SuiteResult
	for _, file := range files {
		s, err := ld.Load(file)
		if err != nil {
			le := LoadError{File: file, Err: err}
			fmt.Fprint(problems, le.Snippets())
			fmt.Fprintf(out, "FAIL  %s  [load failed]\n", file)
			failed = append(failed, le)
			code = ExitLoad
			continue
		}
		r := s.Run(Options{Run: sel})
		for i := range r.Tests {
			WriteTest(out, &r.Tests[i], cfg.Verbose)
		}
		if sel != nil && ran == 0 && len(r.Tests) == 0 {
			pending = append(pending, r)
		} else {
			for _, p := range pending {
				WriteSummary(out, p, true)
			}
			pending = nil
			WriteSummary(out, r, sel != nil)
		}
		results = append(results, r)
		ran += len(r.Tests)
		total += len(s.Tests)
		if r.Failed() > 0 && code == ExitOK {
			code = ExitFail
		}
		key := s.PolicyFile + "\x00" + s.Policy.Hash
		c := byPolicy[key]
		if c == nil {
			c = NewCoverage(s.Policy)
			byPolicy[key] = c
			covs = append(covs, c)
		}
		for i := range r.Tests {
			c.Add(&r.Tests[i].Decision)
		}
	}

	if sel != nil && ran == 0 && len(failed) == 0 {
		fmt.Fprintf(out, "FAIL  --run %q matched no test: 0 of %s matched\n", cfg.Run, plural(total, "test"))
		code = max(code, ExitFail)
	} else {
		for _, p := range pending {
			WriteSummary(out, p, true)
		}
	}
	if cfg.Coverage || cfg.MinCoverage >= 0 {
		for _, c := range covs {
			WriteCoverage(out, c, cfg.Verbose && cfg.Coverage)
			if cfg.MinCoverage >= 0 && c.Percent() < cfg.MinCoverage {
				fmt.Fprintf(out, "FAIL  coverage %.1f%% of %s is below --min-coverage %g%%\n", c.Percent(), c.Policy.File, cfg.MinCoverage)
				code = max(code, ExitFail)
			}
		}
	}
	if cfg.JUnit != "" {
		var buf bytes.Buffer
		err := WriteJUnit(&buf, results, failed)
		if err == nil {
			err = os.WriteFile(cfg.JUnit, buf.Bytes(), 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "veredicto test: --junit: %v\n", err)
			code = max(code, ExitLoad)
		}
	}
	if cfg.JSON {
		if err := writeJSON(stdout, results, failed, covs, cfg.MinCoverage, sel == nil || ran > 0, code); err != nil {
			fmt.Fprintf(stderr, "veredicto test: %v\n", err)
			code = max(code, ExitLoad)
		}
	}
	return code
}

// Find returns the suite files that paths name: a suite file itself, or the
// *.test.yaml and *.test.yml files under a directory, skipping directories
// named testdata or starting with . or _; "dir/..." is taken as dir. No
// path means the current directory. A directory without suites is an error.
func Find(paths []string) ([]string, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[filepath.Clean(p)] {
			seen[filepath.Clean(p)] = true
			out = append(out, p)
		}
	}
	for _, root := range paths {
		// Go's "./..." means the same as the directory here.
		if r, ok := strings.CutSuffix(root, "/..."); ok {
			root = r
			if root == "" {
				root = "/"
			}
		}
		info, err := os.Stat(root)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			if !IsSuiteFile(root) {
				return nil, fmt.Errorf("%s is not a test suite: suites are *.test.yaml files (or give a directory)", root)
			}
			add(root)
			continue
		}
		var found []string
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				name := d.Name()
				if p != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
					return filepath.SkipDir
				}
				return nil
			}
			if IsSuiteFile(d.Name()) {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("no test suites (*.test.yaml) in %s", root)
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}
