package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules"
)

// loadPolicy compiles a policy file, printing every problem with its
// snippet to stderr when it does not compile.
func loadPolicy(path string, stderr io.Writer) (*engine.Policy, error) {
	p, err := rules.Load(path, normalizers.Catalog())
	if err == nil {
		return p, nil
	}
	var list engine.ErrorList
	if errors.As(err, &list) {
		fmt.Fprint(stderr, list.Snippets())
		return nil, exitError{code: 2, msg: fmt.Sprintf("%s: %d problem(s); the policy was not loaded", path, len(list))}
	}
	return nil, err
}

// parseAsOf reads an evaluation time: RFC 3339, or a date (midnight UTC).
func parseAsOf(s string) (time.Time, error) {
	if s == "" || s == "now" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("--as-of %q: want an RFC 3339 time (2025-06-17T12:00:00Z) or a date (2025-06-17)", s)
}

// readInput reads a file, or stdin for "-".
func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name)
}

// caseError prefixes a case error with its source; the message stays one line.
func caseError(source string, err error) error {
	return fmt.Errorf("%s: %s", source, strings.ReplaceAll(err.Error(), "\n", " "))
}
