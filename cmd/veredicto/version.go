package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// buildInfo is what the binary knows about how it was built.
type buildInfo struct {
	Version  string `json:"version"`            // the module's version: v1.2.3, or (devel) for a build of a checkout
	Revision string `json:"revision,omitempty"` // the VCS commit
	Time     string `json:"time,omitempty"`     // the commit's time
	Modified bool   `json:"modified,omitempty"` // built from a checkout with uncommitted changes
	Go       string `json:"go"`
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: "(devel)", Go: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// short is the one-line version that --version prints.
func (b buildInfo) short() string {
	s := b.Version
	if b.Revision != "" {
		s += fmt.Sprintf(" (%.12s", b.Revision)
		if b.Modified {
			s += ", modified"
		}
		s += ")"
	}
	return s
}

func newVersion() *cobra.Command {
	var format *outputFormat
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and Go version the binary was built with",
		Args:  cobra.NoArgs,
		Example: `  veredicto version
  veredicto version --format json`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := format.check(cmd); err != nil {
				return err
			}
			b, out := readBuildInfo(), cmd.OutOrStdout()
			if format.value == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(b)
			}
			fmt.Fprintf(out, "veredicto %s\n", b.Version)
			if b.Revision != "" {
				modified := ""
				if b.Modified {
					modified = " (with uncommitted changes)"
				}
				fmt.Fprintf(out, "commit    %s%s\n", b.Revision, modified)
			}
			if b.Time != "" {
				fmt.Fprintf(out, "committed %s\n", b.Time)
			}
			fmt.Fprintf(out, "go        %s\n", b.Go)
			return nil
		},
	}
	format = addFormat(cmd, "", "text", "json")
	return cmd
}
