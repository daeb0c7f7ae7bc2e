package main

import (
	"errors"
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
	cmd := &cobra.Command{
		Use:   "test [PATH ...]",
		Short: "Run policy test suites (*.test.yaml): expected outcomes and rules of cases",
		Long: `Run the policy test suites in each PATH: a *.test.yaml file, or a directory
searched recursively (skipping testdata, .hidden and _underscored directories).
Without PATH, the current directory. A suite names the policy it tests and
holds cases (inline, fixtures, or provider results) with the decision each
must get: outcome, rules that must or must not fire, missing facts.

Exit status: 0 all passed; 1 a test failed, coverage is below --min-coverage
or --run matched nothing; 2 a suite or policy does not load.`,
		Example: `  veredicto test policies/
  veredicto test --coverage --min-coverage 100 policies/
  veredicto test -v --run 'sanction|ofac' policies/mx-onboarding.test.yaml
  veredicto test --junit report.xml policies/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg.Paths = args
			if !cmd.Flags().Changed("min-coverage") {
				cfg.MinCoverage = policytest.NoMinimum
			} else if cfg.MinCoverage < 0 {
				return exitError{code: policytest.ExitLoad, msg: "--min-coverage: want a percentage from 0 to 100"}
			}
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
	f.StringVar(&cfg.JUnit, "junit", "", "write a JUnit XML report to this file for CI systems")
	return cmd
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
