package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// outputFormat is a command's --format flag, one flag for every output
// format the command has, as opa's commands do.
type outputFormat struct {
	value    string
	formats  []string
	switches []*formatSwitch
}

// addFormat registers --format on cmd: formats[0] is the default.
func addFormat(cmd *cobra.Command, usage string, formats ...string) *outputFormat {
	f := &outputFormat{value: formats[0], formats: formats}
	cmd.Flags().StringVar(&f.value, "format", formats[0], fmt.Sprintf("output format: %s%s", strings.Join(formats, ", "), usage))
	return f
}

// check refuses a format the command does not have, and says on stderr
// that an old switch is deprecated when one was used.
func (f *outputFormat) check(cmd *cobra.Command) error {
	for _, s := range f.switches {
		if s.on {
			fmt.Fprintf(cmd.ErrOrStderr(), "Flag --%s has been deprecated, use --format %s instead\n", s.name, s.value)
		}
	}
	for _, v := range f.formats {
		if f.value == v {
			return nil
		}
	}
	want := strings.Join(f.formats[:len(f.formats)-1], ", ") + " or " + f.formats[len(f.formats)-1]
	return exitError{code: exitUsage, msg: fmt.Sprintf("--format %q: want %s", f.value, want)}
}

// alias registers the switch --name, the old spelling of --format value:
// it still works, is marked deprecated in the help, and check says so on
// stderr when it is used. (pflag's own notice would go to stdout, where
// cobra prints, and spoil the JSON there.)
func (f *outputFormat) alias(cmd *cobra.Command, name, value string) {
	s := &formatSwitch{f: f, name: name, value: value}
	f.switches = append(f.switches, s)
	fl := cmd.Flags().VarPF(s, name, "", "same as --format "+value+" (DEPRECATED: use --format "+value+" instead)")
	fl.NoOptDefVal = "true"
}

// formatSwitch is a boolean flag that sets a format.
type formatSwitch struct {
	f           *outputFormat
	name, value string
	on          bool
}

func (s *formatSwitch) String() string { return strconv.FormatBool(s.on) }
func (s *formatSwitch) Type() string   { return "bool" }
func (s *formatSwitch) Set(v string) error {
	on, err := strconv.ParseBool(v)
	if err != nil {
		return err
	}
	if s.on = on; on {
		s.f.value = s.value
	}
	return nil
}
