package batch

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/veredicto/veredicto/engine"
)

// Diff decides every record of src under both base and candidate (each
// case is read once and evaluated by both) and reports what would change
// if candidate replaced base: the outcome transitions, how often each rule
// fires under each policy, and, when changes is not nil, one JSON line per
// changed case with both decisions, in input order.
//
// A case changed when its outcome differs, or when its outcome is the same
// but the rules that contributed to it differ ("reasons" changes). Error
// records are the same under both policies, as the case is read once.
func Diff(ctx context.Context, src Source, base, cand *engine.Policy, changes io.Writer, opts Options) (DiffReport, error) {
	start := time.Now()
	bt, ct := newRuleTable(base), newRuleTable(cand)
	n := opts.workers()
	ws := make([]*differ, n)
	pl := &pipeline{src: src, aux: changes, workers: make([]worker, n)}
	for i := range ws {
		ws[i] = &differ{base: base, cand: cand, bt: bt, ct: ct, d: newDecider(opts.AsOf, start),
			bc: newCounts(bt), cc: newCounts(ct), names: opts.NameInputs, changes: changes != nil}
		pl.workers[i] = ws[i]
	}
	var done atomic.Int64
	pl.written = func(n int) { done.Add(int64(n)) }
	stopBar := startProgress(opts.Progress, src, &done, "diff")
	err := pl.run(ctx)
	stopBar()

	bc, cc := newCounts(bt), newCounts(ct)
	var m [engine.Reject + 1][engine.Reject + 1]int64
	r := DiffReport{AsOf: opts.AsOf.String(), Workers: n,
		Base:      engine.PolicyRef{Name: base.Name, Version: base.Version, Hash: base.Hash},
		Candidate: engine.PolicyRef{Name: cand.Name, Version: cand.Version, Hash: cand.Hash}}
	for _, w := range ws {
		bc.add(w.bc)
		cc.add(w.cc)
		for i := range m {
			for j := range m[i] {
				m[i][j] += w.matrix[i][j]
			}
		}
		r.OutcomeChanged += w.outcomeChanged
		r.ReasonsChanged += w.reasonsChanged
	}
	elapsed := time.Since(start)
	bs, cs := summarize(bt, bc, elapsed), summarize(ct, cc, elapsed)
	r.Cases, r.Errors = bs.Cases, bs.Errors
	r.Elapsed, r.CasesPerSecond = bs.Elapsed, bs.CasesPerSecond
	r.Matrix = map[string]map[string]int64{}
	for from := engine.Approve; from <= engine.Reject; from++ {
		row := map[string]int64{}
		for to := engine.Approve; to <= engine.Reject; to++ {
			row[to.String()] = m[from][to]
		}
		r.Matrix[from.String()] = row
	}
	r.Rules = joinRules(bs.Rules, cs.Rules)
	if base.Name == cand.Name && base.Version == cand.Version && base.Hash != cand.Hash {
		r.Warnings = append(r.Warnings, fmt.Sprintf("base and candidate are both %s %s, but their files differ (sha256 %.12s and %.12s): give the candidate a new version, or the decisions of the two cannot be told apart", base.Name, base.Version, base.Hash, cand.Hash))
	}
	r.Unreadable = failures(src)
	r.UnreadableInputs = len(r.Unreadable)
	return r, err
}

// DiffReport is the impact of replacing one policy with another.
type DiffReport struct {
	Base      engine.PolicyRef `json:"base"`
	Candidate engine.PolicyRef `json:"candidate"`
	AsOf      string           `json:"as_of"`
	Workers   int              `json:"workers"`
	Cases     int64            `json:"cases"`
	// Errors counts the records that could not be read as cases, by kind;
	// they are errors under both policies.
	Errors map[string]int64 `json:"errors"`
	// Matrix counts the decided cases by base outcome, then candidate outcome.
	Matrix map[string]map[string]int64 `json:"matrix"`
	// OutcomeChanged counts the cases whose outcome changed.
	OutcomeChanged int64 `json:"outcome_changed"`
	// ReasonsChanged counts the cases whose outcome stayed the same but whose
	// contributing rules changed.
	ReasonsChanged   int64      `json:"reasons_changed"`
	Rules            []RuleDiff `json:"rules"`
	Elapsed          float64    `json:"elapsed_seconds"`
	CasesPerSecond   float64    `json:"cases_per_second"`
	UnreadableInputs int        `json:"unreadable_inputs,omitempty"`
	// Unreadable names them, with their read errors.
	Unreadable []Failure `json:"unreadable,omitempty"`
	// Warnings are problems of the comparison itself.
	Warnings []string `json:"warnings,omitempty"`
}

// RuleDiff compares how often a rule fired under each policy. A rule that
// exists in only one of them has nil counts for the other.
type RuleDiff struct {
	ID        string    `json:"id"`
	Base      *RuleStat `json:"base"`
	Candidate *RuleStat `json:"candidate"`
	// Delta is the candidate's fired count minus the base's.
	Delta int64 `json:"delta"`
}

func joinRules(base, cand []RuleStat) []RuleDiff {
	var out []RuleDiff
	idx := map[string]int{}
	for i := range base {
		idx[base[i].ID] = len(out)
		out = append(out, RuleDiff{ID: base[i].ID, Base: &base[i], Delta: -base[i].Fired})
	}
	for i := range cand {
		if j, ok := idx[cand[i].ID]; ok {
			out[j].Candidate = &cand[i]
			out[j].Delta += cand[i].Fired
			continue
		}
		out = append(out, RuleDiff{ID: cand[i].ID, Candidate: &cand[i], Delta: cand[i].Fired})
	}
	return out
}

// ErrorCount is the number of error records.
func (r *DiffReport) ErrorCount() int64 {
	var n int64
	for _, v := range r.Errors {
		n += v
	}
	return n
}

// WriteText writes the report for people.
func (r *DiffReport) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "base       %s %s (sha256 %.12s)\ncandidate  %s %s (sha256 %.12s)\n",
		r.Base.Name, r.Base.Version, r.Base.Hash, r.Candidate.Name, r.Candidate.Version, r.Candidate.Hash)
	for _, w := range r.Warnings {
		b.WriteString("warning: " + w + "\n")
	}
	decided := r.Cases - r.ErrorCount()
	fmt.Fprintf(&b, "%s cases as of %s: %s decided, %s errors (the same under both policies)\n",
		group(r.Cases), r.AsOf, group(decided), group(r.ErrorCount()))
	fmt.Fprintf(&b, "outcome changed: %s (%s of decided); same outcome, other reasons: %s\n\n",
		group(r.OutcomeChanged), pct(r.OutcomeChanged, decided), group(r.ReasonsChanged))

	outcomes := []string{"approve", "review", "reject"}
	b.WriteString("outcomes (rows: base, columns: candidate)\n")
	rows := [][]string{append(append([]string{""}, outcomes...), "total")}
	var colSum [3]int64
	for _, from := range outcomes {
		row := []string{from}
		var sum int64
		for j, to := range outcomes {
			n := r.Matrix[from][to]
			row = append(row, group(n))
			sum += n
			colSum[j] += n
		}
		rows = append(rows, append(row, group(sum)))
	}
	total := []string{"total"}
	for _, n := range colSum {
		total = append(total, group(n))
	}
	rows = append(rows, append(total, group(decided)))
	writeTable(&b, rows, 1, 2, 3, 4)
	if len(r.Errors) > 0 {
		b.WriteString("  errors (both):")
		for _, k := range errorKinds {
			if n := r.Errors[k]; n > 0 {
				fmt.Fprintf(&b, " %s %s", k, group(n))
			}
		}
		b.WriteByte('\n')
	}

	b.WriteString("\nrules (cases each fired for, and sent to review for unknown facts; requirements: unmet)\n")
	rows = [][]string{{"id", "kind", "base", "candidate", "change", "to review for unknown facts"}}
	for _, rd := range r.Rules {
		kind, bf, cf := "", "-", "-"
		bu, cu := "-", "-"
		if rd.Base != nil {
			kind, bf = ruleKind(*rd.Base)+" "+rd.Base.Outcome, group(rd.Base.Fired)
			bu = group(rd.Base.IndeterminateReview)
		}
		if rd.Candidate != nil {
			if rd.Base == nil || rd.Base.Shadow != rd.Candidate.Shadow || rd.Base.Outcome != rd.Candidate.Outcome {
				if kind != "" {
					kind += " → "
				}
				kind += ruleKind(*rd.Candidate) + " " + rd.Candidate.Outcome
			}
			cf = group(rd.Candidate.Fired)
			cu = group(rd.Candidate.IndeterminateReview)
		}
		unknown := "" // nothing to say when no case went to review so
		if bu != "-" && bu != "0" || cu != "-" && cu != "0" {
			unknown = bu + " → " + cu
		}
		change := "0"
		if rd.Delta > 0 {
			change = "+" + group(rd.Delta)
		} else if rd.Delta < 0 {
			change = group(rd.Delta)
		}
		rows = append(rows, []string{rd.ID, strings.TrimSpace(kind), bf, cf, change, unknown})
	}
	writeTable(&b, rows, 2, 3, 4)
	if r.UnreadableInputs > 0 {
		fmt.Fprintf(&b, "\n%d input(s) could not be read to the end:\n", r.UnreadableInputs)
		writeFailures(&b, r.Unreadable)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// differ is a diff worker.
type differ struct {
	base, cand *engine.Policy
	bt, ct     *ruleTable
	d          *decider
	bc, cc     *counts
	names      bool
	changes    bool

	matrix         [engine.Reject + 1][engine.Reject + 1]int64
	outcomeChanged int64
	reasonsChanged int64
	bk, ck         []reasonKey // scratch: what contributed
}

func (w *differ) process(b *batch) {
	for i := range b.recs {
		w.one(b, &b.recs[i])
	}
}

// one decides one record under both policies. A panic inside a normalizer
// or the engine counts as an internal error record.
func (w *differ) one(b *batch, it *item) {
	start := len(b.aux)
	defer func() {
		if r := recover(); r != nil {
			b.aux = b.aux[:start]
			w.bc.errors[kindIndex(KindInternal)]++
		}
	}()
	// Cases and errors are the same under both policies: the report takes
	// them from the base's counts.
	w.bc.cases++
	source, ce := w.d.normalize(b.doc(it), it.err)
	if ce != nil {
		w.bc.errors[kindIndex(ce.kind)]++
		return
	}
	bd := w.base.Evaluate(w.d.facts)
	cd := w.cand.Evaluate(w.d.facts)
	change := ""
	if bd.Outcome != cd.Outcome {
		change = "outcome"
	} else {
		w.bk, w.ck = reasonKeys(w.bk[:0], &bd), reasonKeys(w.ck[:0], &cd)
		if !slices.Equal(w.bk, w.ck) {
			change = "reasons"
		}
	}
	if change != "" && w.changes {
		b.aux = appendHead(b.aux, it, w.names)
		if cd.CaseID != "" {
			b.aux = append(b.aux, `,"case_id":`...)
			b.aux = engine.AppendJSONString(b.aux, cd.CaseID)
		}
		b.aux = append(b.aux, `,"change":"`...)
		b.aux = append(b.aux, change...)
		b.aux = append(b.aux, `","as_of_source":"`...)
		b.aux = append(b.aux, sourceNames[source]...)
		b.aux = append(b.aux, `","base":`...)
		b.aux = bd.AppendJSON(b.aux)
		b.aux = append(b.aux, `,"candidate":`...)
		b.aux = cd.AppendJSON(b.aux)
		b.aux = append(b.aux, "}\n"...)
	}
	w.bc.decision(w.bt, &bd)
	w.cc.decision(w.ct, &cd)
	w.matrix[bd.Outcome][cd.Outcome]++
	switch change {
	case "outcome":
		w.outcomeChanged++
	case "reasons":
		w.reasonsChanged++
	}
}

// reasonKey identifies one contribution to a decision.
type reasonKey struct {
	rule, kind string
	shadow     bool
}

// reasonKeys lists what contributed to a decision, shadow results included,
// sorted.
func reasonKeys(keys []reasonKey, d *engine.Decision) []reasonKey {
	for _, r := range d.Reasons {
		keys = append(keys, reasonKey{r.Rule, r.Kind, false})
	}
	for _, r := range d.Shadow {
		keys = append(keys, reasonKey{r.Rule, r.Kind, true})
	}
	slices.SortFunc(keys, func(a, b reasonKey) int {
		if c := strings.Compare(a.rule, b.rule); c != 0 {
			return c
		}
		if c := strings.Compare(a.kind, b.kind); c != 0 {
			return c
		}
		if a.shadow == b.shadow {
			return 0
		}
		if a.shadow {
			return 1
		}
		return -1
	})
	return keys
}
