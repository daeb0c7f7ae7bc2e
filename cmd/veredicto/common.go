package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

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
		fmt.Fprint(stderr, snippets(list))
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

// flagsFromEnv sets every flag of cmd that the command line did not set
// from the environment variable VEREDICTO_<NAME> (upper case, - as _):
// --reload-interval is VEREDICTO_RELOAD_INTERVAL. Flags win over the
// environment. A value the flag cannot take is an error naming the variable.
func flagsFromEnv(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || f.Name == "help" {
			return
		}
		name := envName(f.Name)
		v, ok := os.LookupEnv(name)
		if !ok {
			return
		}
		if serr := cmd.Flags().Set(f.Name, v); serr != nil {
			err = exitError{code: exitUsage, msg: fmt.Sprintf("%s=%q: %v", name, v, serr)}
		}
	})
	return err
}

// envName is the environment variable of a flag.
func envName(flag string) string {
	return "VEREDICTO_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}
