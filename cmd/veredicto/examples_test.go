package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules"
)

// exampleDir is a scratch directory that looks like the repository root:
// every top-level entry is a link to the real one, so that examples read
// the repository's files and write their outputs into the scratch.
func exampleDir(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, e := range entries {
		if e.Name() == ".git" {
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// shellWords splits an example's command line as a shell would, for the
// forms examples use: words, '...' and "..." quoting, globs, and < and >
// redirections. jq names the pipe to jq ., which indents each JSON line.
type shellLine struct {
	args    []string
	in, out string
	jq      bool
}

func parseShell(t *testing.T, dir, line string) shellLine {
	t.Helper()
	var words []string
	var cur strings.Builder
	quote, inWord := rune(0), false
	for _, r := range line + " " {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ':
			if inWord {
				words = append(words, cur.String())
			}
			cur.Reset()
			inWord = false
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	var sl shellLine
	if i := strings.Index(strings.Join(words, " "), "| jq ."); i >= 0 {
		if words[len(words)-3] != "|" || words[len(words)-2] != "jq" || words[len(words)-1] != "." {
			t.Fatalf("%s: only a final | jq . is understood", line)
		}
		words, sl.jq = words[:len(words)-3], true
	}
	if len(words) == 0 || words[0] != "veredicto" {
		t.Fatalf("%q is not a veredicto command", line)
	}
	for i := 1; i < len(words); i++ {
		switch w := words[i]; {
		case w == "<" || w == ">":
			if i+1 == len(words) {
				t.Fatalf("%s: %s without a file", line, w)
			}
			if w == "<" {
				sl.in = words[i+1]
			} else {
				sl.out = words[i+1]
			}
			i++
		case strings.ContainsAny(w, "*?[") && !strings.HasPrefix(w, "-"):
			matches, _ := filepath.Glob(filepath.Join(dir, w))
			if len(matches) == 0 {
				t.Fatalf("%s: %s matches no file", line, w)
			}
			for _, m := range matches {
				rel, _ := filepath.Rel(dir, m)
				sl.args = append(sl.args, rel)
			}
		default:
			sl.args = append(sl.args, w)
		}
	}
	return sl
}

// runExample runs an example's command line in dir, in-process, and
// returns its exit code and what it printed: stdout and stderr
// interleaved, as on a terminal.
func runExample(t *testing.T, dir, line string) (int, string) {
	t.Helper()
	sl := parseShell(t, dir, line)
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var stdin []byte
	if sl.in != "" {
		var err error
		if stdin, err = os.ReadFile(sl.in); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
	}
	var out bytes.Buffer
	var stdout = &out
	var file bytes.Buffer
	if sl.out != "" || sl.jq {
		stdout = &file
	}
	code := runIO(sl.args, bytes.NewReader(stdin), stdout, &out)
	switch {
	case sl.jq:
		for _, doc := range strings.SplitAfter(file.String(), "\n") {
			if doc == "" {
				continue
			}
			var b bytes.Buffer
			if err := json.Indent(&b, []byte(doc), "", "  "); err != nil {
				t.Fatalf("%s: the output is not JSON lines: %v", line, err)
			}
			out.Write(b.Bytes())
		}
	case sl.out != "":
		if err := os.WriteFile(sl.out, file.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return code, out.String()
}

// TestHelpExamples runs every example of every command's --help: each must
// work (exit 0) as written, from the repository root, and use no
// deprecated flag. serve is left out: it serves until stopped.
func TestHelpExamples(t *testing.T) {
	dir := exampleDir(t)
	n := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c.Name() == "serve" {
			return
		}
		for _, line := range strings.Split(c.Example, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			n++
			code, out := runExample(t, dir, line)
			if code != 0 || strings.Contains(out, "deprecated") {
				t.Errorf("the example of %s --help fails: %s\nexit %d:\n%.2000s", c.Name(), line, code, out)
			}
		}
	}
	walk(newRoot())
	if n < 15 {
		t.Errorf("only %d examples found", n)
	}
}

// A README example is a fenced block between <!-- run --> and <!-- /run -->
// whose first line is "$ veredicto ..." and whose rest is what it prints.
var readmeRun = regexp.MustCompile("(?s)<!-- run -->\n```[a-z]*\n\\$ ([^\n]*)\n(.*?)```\n<!-- /run -->")

// variable masks what differs from run to run: durations and rates.
var variable = regexp.MustCompile(`\d[\d,.]*\s?(ns|µs|ms|s|m)\b|[\d,.]+ cases/s|\d+ workers?|"time":\s*"?[\d.]+`)

// TestREADMEExamples: every command whose output README shows is run, and
// its output must be what README shows, durations aside;
// UPDATE_README=1 rewrites them from real runs. A "$ veredicto" line
// outside such a block is an error: it would not be checked.
func TestREADMEExamples(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	if stray := strings.Count(readmeRun.ReplaceAllString(readme, ""), "\n$ veredicto"); stray > 0 {
		t.Errorf("README shows %d veredicto command(s) with output outside <!-- run --> blocks", stray)
	}
	dir := exampleDir(t)
	updated, stale := readme, 0
	for _, m := range readmeRun.FindAllStringSubmatch(readme, -1) {
		line, shown := m[1], m[2]
		_, got := runExample(t, dir, line)
		if variable.ReplaceAllString(got, "#") == variable.ReplaceAllString(shown, "#") {
			continue
		}
		stale++
		updated = strings.Replace(updated, m[0], strings.Replace(m[0], "$ "+line+"\n"+shown, "$ "+line+"\n"+got, 1), 1)
		if os.Getenv("UPDATE_README") == "" {
			t.Errorf("README's example differs from a real run of %s; it prints:\n%s", line, got)
		}
	}
	if stale > 0 && os.Getenv("UPDATE_README") != "" {
		if err := os.WriteFile("../../README.md", []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(readmeRun.FindAllString(readme, -1)); n < 8 {
		t.Errorf("README has only %d checked examples", n)
	}
}

// TestREADMEPolicies: every YAML policy README shows loads.
func TestREADMEPolicies(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(policy: .*?)```").FindAllStringSubmatch(string(raw), -1)
	if len(blocks) == 0 {
		t.Fatal("README shows no policy")
	}
	for _, b := range blocks {
		if _, err := rules.Compile("README.md", []byte(b[1]), normalizers.Catalog()); err != nil {
			t.Errorf("README's policy does not load: %v\n%s", err, b[1])
		}
	}
}
