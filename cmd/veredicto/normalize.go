package main

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
)

func newNormalize() *cobra.Command {
	var asOf string
	cmd := &cobra.Command{
		Use:   "normalize [CASE]",
		Short: "Print the facts of a case as JSON (known facts only)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			at, err := parseAsOf(asOf)
			if err != nil {
				return err
			}
			name := "-"
			if len(args) == 1 {
				name = args[0]
			}
			doc, err := readInput(name, cmd.InOrStdin())
			if err != nil {
				return err
			}
			f := engine.NewFacts(normalizers.Catalog())
			if err := normalizers.Normalize(doc, f, normalizers.Options{AsOf: at}); err != nil {
				return caseError(name, err)
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(f)
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "evaluation time: RFC 3339 or YYYY-MM-DD (default: now)")
	return cmd
}
