package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
)

func newFacts() *cobra.Command {
	var format *outputFormat
	var provider string
	cmd := &cobra.Command{
		Use:   "facts",
		Short: "Print the fact catalog: every fact a policy can use",
		Args:  cobra.NoArgs,
		Example: `  veredicto facts --provider jaak
  veredicto facts --format json
  veredicto facts --format markdown`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := format.check(cmd); err != nil {
				return err
			}
			var specs []engine.FactSpec
			for _, s := range normalizers.Catalog().Specs() {
				if provider == "" || s.Provider == provider {
					specs = append(specs, s)
				}
			}
			if len(specs) == 0 {
				return fmt.Errorf("no facts for provider %q (providers: case, %s)", provider, strings.Join(normalizers.Names(), ", "))
			}
			out := cmd.OutOrStdout()
			switch format.value {
			case "json":
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(withPolarity(specs))
			case "markdown":
				_, err := fmt.Fprint(out, CatalogMarkdown(specs))
				return err
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			for _, s := range specs {
				desc := s.Description
				if len(s.Values) > 0 {
					desc += " Values: " + strings.Join(s.Values, ", ") + "."
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, s.Kind, s.DescribePolarity(), desc)
			}
			return tw.Flush()
		},
	}
	format = addFormat(cmd, " (markdown: the tables that README embeds)", "text", "json", "markdown")
	format.alias(cmd, "json", "json")
	format.alias(cmd, "markdown", "markdown")
	cmd.Flags().StringVar(&provider, "provider", "", "only this provider's facts")
	return cmd
}

// CatalogMarkdown renders the catalog as the Markdown tables of README.
func CatalogMarkdown(specs []engine.FactSpec) string {
	var b strings.Builder
	last := ""
	for _, s := range specs {
		if s.Provider != last {
			if last != "" {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "#### %s\n\n| fact | type | adverse | meaning |\n|---|---|---|---|\n", s.Provider)
			last = s.Provider
		}
		desc := strings.ReplaceAll(s.Description, "|", "\\|")
		if len(s.Values) > 0 {
			desc += " Values: `" + strings.Join(s.Values, "`, `") + "`."
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", s.Name, s.Kind, polarityCell(s), desc)
	}
	return b.String()
}

// polarityCell renders a fact's adverse values for the Markdown table.
func polarityCell(s engine.FactSpec) string {
	switch s.Polarity {
	case engine.Informational:
		return "informational"
	case engine.AdverseValues:
		return "`" + strings.Join(s.Adverse, "`, `") + "`"
	}
	return strings.TrimPrefix(s.DescribePolarity(), "adverse: ")
}

// factJSON is a fact of `veredicto facts --json`: the spec (its polarity,
// adverse values and limit) and its polarity described for people.
type factJSON struct {
	engine.FactSpec
	Polarity string `json:"polarity_description"`
}

func withPolarity(specs []engine.FactSpec) []factJSON {
	out := make([]factJSON, len(specs))
	for i, s := range specs {
		out[i] = factJSON{s, s.DescribePolarity()}
	}
	return out
}
