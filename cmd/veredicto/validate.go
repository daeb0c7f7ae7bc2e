package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules"
	"github.com/veredicto/veredicto/rules/policytest"
)

func newValidate() *cobra.Command {
	return &cobra.Command{
		Use:   "validate POLICY ...",
		Short: "Check policies: every problem at file:line:column with the source line",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bad := 0
			for _, path := range args {
				if policytest.IsSuiteFile(path) {
					fmt.Fprintf(cmd.OutOrStdout(), "skip %s: a test suite (run veredicto test %s)\n", path, path)
					continue
				}
				p, err := rules.Load(path, normalizers.Catalog())
				var list engine.ErrorList
				switch {
				case errors.As(err, &list):
					fmt.Fprint(cmd.ErrOrStderr(), list.Snippets())
					bad++
				case err != nil:
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: %v\n", path, err)
					bad++
				default:
					fmt.Fprintf(cmd.OutOrStdout(), "ok %s: %s %s, %d rules, %d derived facts, %d requirements, %d scores\n",
						path, p.Name, p.Version, len(p.Rules), len(p.Derived), len(p.Requirements), len(p.Scores))
				}
			}
			if bad > 0 {
				return exitError{code: 2, msg: fmt.Sprintf("%d of %d policies have problems", bad, len(args))}
			}
			return nil
		},
	}
}
