package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/fixtures"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules/policytest"
)

func init() { extraCommands = append(extraCommands, newTest) }

func newTest() *cobra.Command {
	var cfg policytest.Config
	var format *outputFormat
	cmd := &cobra.Command{
		Use:   "test [PATH ...]",
		Short: "Run policy test suites (*.test.yaml): expected outcomes and rules of cases",
		Long: `Run the policy test suites in each PATH: a *.test.yaml file, or a directory
searched recursively (skipping testdata, .hidden and _underscored directories).
Without PATH, the current directory. A suite names the policy it tests and
holds cases (inline, fixtures, or provider results) with the decision each
must get: outcome, rules that must or must not fire, missing facts.

Exit status: 0 all passed; 1 a test failed, coverage is below --min-coverage
or --run matched nothing; 2 a suite or policy does not load.

--format junit prints a JUnit XML report instead of the text, for CI systems
that read it from standard output; --junit FILE writes the same report to a
file and keeps the text. --format json prints one JSON document: every suite
with its policy (name, version, hash) and tests (passed, outcome, failures),
the suites that did not load with their problems, and each policy's
coverage; the exit status is the same.`,
		Example: `  veredicto test policies/
  veredicto test --coverage --min-coverage 100 policies/
  veredicto test -v --run 'sanction|ofac' policies/mx-onboarding.test.yaml
  veredicto test --junit report.xml policies/
  veredicto test --format junit policies/
  veredicto test --format json policies/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := format.check(cmd); err != nil {
				return err
			}
			cfg.Paths = args
			if !cmd.Flags().Changed("min-coverage") {
				cfg.MinCoverage = policytest.NoMinimum
			} else if cfg.MinCoverage < 0 {
				return exitError{code: policytest.ExitLoad, msg: "--min-coverage: want a percentage from 0 to 100"}
			}
			if format.value == "junit" {
				return testJUnit(cfg, cmd.OutOrStdout(), cmd.ErrOrStderr())
			}
			cfg.JSON = format.value == "json"
			if code := testHarness().Main(cfg, cmd.OutOrStdout(), cmd.ErrOrStderr()); code != 0 {
				return exitError{code: code}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Run, "run", "", "run only the tests whose name matches this regular expression")
	f.BoolVarP(&cfg.Verbose, "verbose", "v", false, "print passed tests too (and, with --coverage, every rule's count)")
	f.BoolVar(&cfg.Coverage, "coverage", false, "print the rules, requirements and score thresholds that no test exercised")
	f.Float64Var(&cfg.MinCoverage, "min-coverage", 0, "fail when a policy's coverage is below this percentage (implies --coverage's summary)")
	f.StringVar(&cfg.JUnit, "junit", "", "also write a JUnit XML report to this file, for CI systems")
	format = addFormat(cmd, " (junit: the JUnit XML report instead of the text; json: one JSON report, suites that do not load included)", "text", "junit", "json")
	return cmd
}

// testJUnit runs the suites and prints the JUnit report instead of the
// text (and writes it to --junit's file too, when given).
func testJUnit(cfg policytest.Config, stdout, stderr io.Writer) error {
	dir, err := os.MkdirTemp("", "veredicto-junit-")
	if err != nil {
		return exitError{code: policytest.ExitLoad, msg: err.Error()}
	}
	defer os.RemoveAll(dir)
	file := cfg.JUnit
	cfg.JUnit = filepath.Join(dir, "report.xml")
	code := testHarness().Main(cfg, io.Discard, stderr)
	report, err := os.ReadFile(cfg.JUnit)
	if err == nil && file != "" {
		err = os.WriteFile(file, report, 0o644)
	}
	if err != nil {
		return exitError{code: policytest.ExitLoad, msg: "--format junit: " + err.Error()}
	}
	if _, err := stdout.Write(report); err != nil {
		return err
	}
	if code != 0 {
		return exitError{code: code}
	}
	return nil
}

// testHarness runs policy suites with veredicto's providers: their fact
// catalog, their normalizers and the built-in fixtures.
func testHarness() *policytest.Harness {
	return &policytest.Harness{
		Catalog: normalizers.Catalog(),
		Normalize: func(doc []byte, f *engine.Facts, asOf time.Time) error {
			return normalizers.Normalize(doc, f, normalizers.Options{AsOf: asOf})
		},
		Locate: func(err error) (int, string, string, bool) {
			var ne *normalizers.Error
			if !errors.As(err, &ne) {
				return 0, "", "", false
			}
			return ne.Offset, ne.Provider, ne.Msg, true
		},
		Fixtures: fixtures.FS(),
	}
}
