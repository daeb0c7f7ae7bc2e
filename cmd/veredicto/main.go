// Command veredicto decides KYC cases: it normalizes raw identity-verification
// results from several providers into facts and evaluates a YAML policy on
// them, printing an explained approve / review / reject decision.
//
//	veredicto evaluate --policy policies/mx-onboarding.yaml case.json
//	veredicto validate policies/*.yaml
//	veredicto facts
//	veredicto normalize case.json
//	veredicto version
//
// The command only wires the library packages together: normalizers (raw
// JSON → facts), rules (YAML → compiled policy) and engine (evaluation).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	_ "github.com/veredicto/veredicto/normalizers/all"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run executes the command line with the process's standard streams.
func run(args []string) int { return runIO(args, os.Stdin, os.Stdout, os.Stderr) }

// runIO executes the command line and returns the exit code. Nothing
// escapes as a panic: an internal error is still a one-line message.
func runIO(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "veredicto: internal error: %v\n", r)
			code = 3
		}
	}()
	root := newRoot()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "veredicto: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "veredicto: "+oneLine(err.Error()))
	return 1
}

// exitError ends the command with a code; msg may be empty when the command
// already printed what went wrong.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "veredicto",
		Short:         "Decide KYC cases from raw provider results with a YAML policy",
		Version:       readBuildInfo().short(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// --version only: -v is --verbose wherever it exists.
	root.Flags().Bool("version", false, "print the version (veredicto version prints more)")
	root.SetVersionTemplate("veredicto {{.Version}}\n")
	root.AddCommand(newEvaluate(), newValidate(), newFacts(), newNormalize())
	root.AddCommand(newCheck(), newVersion())
	for _, add := range extraCommands {
		root.AddCommand(add())
	}
	return root
}

// extraCommands are added by the files of further commands.
var extraCommands []func() *cobra.Command
