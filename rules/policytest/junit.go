package policytest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/veredicto/veredicto/engine"
)

// The JUnit XML schema as CI systems (Jenkins, GitLab, GitHub actions)
// read it.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr"`
		Timestamp  string          `xml:"timestamp,attr,omitempty"`
		File       string          `xml:"file,attr,omitempty"`
		Properties []junitProperty `xml:"properties>property,omitempty"`
		Cases      []junitCase     `xml:"testcase"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Line      int           `xml:"line,attr,omitempty"`
		Failure   *junitProblem `xml:"failure,omitempty"`
		Error     *junitProblem `xml:"error,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// LoadError is a suite that did not load, for reports.
type LoadError struct {
	File string
	Err  error
}

// Snippets renders the error: every problem with its source line and caret.
func (e LoadError) Snippets() string {
	var list engine.ErrorList
	if errors.As(e.Err, &list) {
		return list.Snippets()
	}
	return e.File + ": " + e.Err.Error() + "\n"
}

// WriteJUnit writes JUnit XML: one testsuite per suite file with a testcase
// per test that ran, and one with an error for each suite that did not load.
func WriteJUnit(w io.Writer, results []*SuiteResult, failed []LoadError) error {
	doc := junitSuites{Name: "veredicto test"}
	var total time.Duration
	for _, r := range results {
		s := junitSuite{
			Name:      r.Suite.File,
			File:      r.Suite.File,
			Tests:     len(r.Tests),
			Failures:  r.Failed(),
			Time:      seconds(r.Elapsed),
			Timestamp: r.Start.UTC().Format("2006-01-02T15:04:05"),
			Properties: []junitProperty{
				{"policy", r.Suite.Policy.Name},
				{"policy.version", r.Suite.Policy.Version},
				{"policy.hash", r.Suite.Policy.Hash},
				{"policy.file", r.Suite.PolicyFile},
			},
		}
		for i := range r.Tests {
			t := &r.Tests[i]
			c := junitCase{Name: t.Test.Name, Classname: r.Suite.File, Time: seconds(t.Elapsed), File: r.Suite.File, Line: t.Test.Pos.Line}
			if !t.Passed() {
				var b strings.Builder
				WriteTest(&b, t, false)
				c.Failure = &junitProblem{Message: t.Failures[0], Type: "expectation", Text: b.String()}
			}
			s.Cases = append(s.Cases, c)
		}
		total += r.Elapsed
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Suites = append(doc.Suites, s)
	}
	for _, f := range failed {
		msg := f.Err.Error()
		doc.Suites = append(doc.Suites, junitSuite{
			Name: f.File, File: f.File, Tests: 1, Errors: 1, Time: seconds(0),
			Cases: []junitCase{{Name: "load", Classname: f.File, Time: seconds(0), File: f.File,
				Error: &junitProblem{Message: msg, Type: "load", Text: f.Snippets()}}},
		})
		doc.Tests++
		doc.Errors++
	}
	doc.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.6f", d.Seconds()) }
