package main

import (
	"bufio"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
)

func newEvaluate() *cobra.Command {
	var policy, asOf string
	var explain, trace bool
	cmd := &cobra.Command{
		Use:   "evaluate --policy FILE [CASE ...]",
		Short: "Decide cases and print the decisions (JSON, or text with --explain)",
		Long: `Decide each CASE file (or the case on standard input when none is given).
A case is a bare provider payload, whose provider is told from its shape, or
an envelope {"case_id": ..., "results": [{"provider": ..., "payload": ...}]}.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := loadPolicy(policy, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			at, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				args = []string{"-"}
			}
			out := bufio.NewWriter(cmd.OutOrStdout())
			defer out.Flush()
			facts := engine.NewFacts(normalizers.Catalog())
			var opts []engine.EvalOption
			if trace {
				opts = append(opts, engine.WithTrace())
			}
			for i, name := range args {
				doc, err := readInput(name, cmd.InOrStdin())
				if err != nil {
					return err
				}
				source := name
				if name == "-" {
					source = "stdin"
				}
				if err := normalizers.Normalize(doc, facts, normalizers.Options{AsOf: at}); err != nil {
					return caseError(source, err)
				}
				d := p.Evaluate(facts, opts...)
				if explain {
					if i > 0 {
						fmt.Fprintln(out)
					}
					if len(args) > 1 {
						fmt.Fprintf(out, "== %s\n", source)
					}
					if err := d.Explain(out); err != nil {
						return err
					}
					continue
				}
				enc := json.NewEncoder(out)
				if len(args) == 1 {
					enc.SetIndent("", "  ")
				}
				if err := enc.Encode(&d); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&policy, "policy", "p", "", "policy file (required)")
	cmd.Flags().StringVar(&asOf, "as-of", "", "evaluation time: RFC 3339 or YYYY-MM-DD (default: the envelope's as_of, else now)")
	cmd.Flags().BoolVar(&explain, "explain", false, "print the decision for people instead of JSON")
	cmd.Flags().BoolVar(&trace, "trace", false, "record every rule's result in the decision")
	_ = cmd.MarkFlagRequired("policy")
	return cmd
}
