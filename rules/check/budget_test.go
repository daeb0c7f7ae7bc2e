package check

import (
	"testing"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/rules"
)

// A budget of 0 or less is the default one.
func TestBudgetDefault(t *testing.T) {
	p, err := rules.Load("testdata/approve_path.yaml", TestCatalog)
	if err != nil {
		t.Fatal(err)
	}
	for budget, want := range map[int]int{0: DefaultBudget, -3: DefaultBudget, 1: 1, 5: 5} {
		a, err := newAnalysis(p, TestCatalog, &Options{Budget: budget})
		if err != nil {
			t.Fatal(err)
		}
		if a.left != want {
			t.Errorf("Budget %d: %d nodes left, want %d", budget, a.left, want)
		}
	}
	a, err := newAnalysis(p, TestCatalog, nil)
	if err != nil || a.left != DefaultBudget {
		t.Errorf("no options: %d nodes left, %v", a.left, err)
	}
}

// Each search may spend what is left of the budget, and at least
// MinSearchNodes; what it spends is taken from the budget, which never
// goes below zero, and counted in the report with the searches.
func TestBudgetAccounting(t *testing.T) {
	p, err := rules.Load("testdata/approve_path.yaml", TestCatalog)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newAnalysis(p, TestCatalog, &Options{Budget: 10})
	if err != nil {
		t.Fatal(err)
	}
	slot, _ := TestCatalog.Lookup("t.b0")
	st := a.m.newState()
	st.domain = make([][]engine.Value, TestCatalog.Len())
	st.domain[slot] = []engine.Value{engine.BoolValue(true), engine.BoolValue(false), {}}
	// The root and one node per value of the one variable: 4 nodes.
	search := func() *search {
		return &search{st: st, vars: []int{slot}, prune: func() bool { return false }, goal: func() bool { return false }}
	}
	for i, want := range []struct{ left, nodes int }{{6, 4}, {2, 8}, {0, 12}, {0, 16}} {
		if r := a.run(search()); r != notFound {
			t.Fatalf("search %d: %v", i, r)
		}
		if a.left != want.left || a.report.Nodes != want.nodes || a.report.Searches != i+1 {
			t.Errorf("after search %d: %d left, %d nodes in %d searches; want %d left, %d nodes in %d", i+1,
				a.left, a.report.Nodes, a.report.Searches, want.left, want.nodes, i+1)
		}
	}
	// A search that runs out is incomplete, and spends exactly its share.
	b := &budget{left: 3}
	s := search()
	s.b = b
	if r := s.run(); r != incomplete || b.used != 3 || b.left != 0 {
		t.Errorf("a search with 3 nodes: %v, used %d, left %d", r, b.used, b.left)
	}
}
