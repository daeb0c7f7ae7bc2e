package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/veredicto/veredicto/cmd/internal/store"
)

// TestCasePage pages through a case at every limit and payload budget and
// checks that the pages hold every result and decision exactly once, in
// order, as Case has them, with the size and hash of each payload, the
// payloads only when asked, and More exactly when something is left.
func TestCasePage(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t, b.addr(t))
			if _, err := st.CasePage(ctx, "nope", store.PageQuery{Limit: 5}); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("unknown case: %v", err)
			}
			// Five results of growing sizes, added one by one (five
			// decisions), then one Redecide: six decisions.
			for i := range 5 {
				p := fmt.Sprintf(`{"n":%d,"pad":%q}`, i, strings.Repeat("x", 10*i))
				if _, err := st.Add(ctx, "c", []store.Result{res(p)}, decideCount(nil)); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := st.Redecide(ctx, "c", decideCount(nil)); err != nil {
				t.Fatal(err)
			}
			// And a case of more results than decisions: three in one Add.
			if _, err := st.Add(ctx, "w", []store.Result{res(`{"w":1}`), res(`{"w":2}`), res(`{"w":3}`)}, decideCount(nil)); err != nil {
				t.Fatal(err)
			}
			c, err := st.Case(ctx, "c")
			if err != nil {
				t.Fatal(err)
			}
			sizes := make([]int, len(c.Results))
			for i, r := range c.Results {
				sizes[i] = len(r.Payload)
			}
			w, err := st.Case(ctx, "w")
			if err != nil {
				t.Fatal(err)
			}

			for _, c := range []*store.Case{c, w} {
				for _, payloads := range []bool{false, true} {
					for limit := 1; limit <= 7; limit++ {
						for _, budget := range []int{0, 1, sizes[3], sizes[3] + sizes[4] - 1, sizes[3] + sizes[4]} {
							name := fmt.Sprintf("%s payloads=%v limit=%d budget=%d", c.ID, payloads, limit, budget)
							var results []store.ResultInfo
							var decisions []store.Decision
							q := store.PageQuery{Limit: limit, Payloads: payloads, PayloadBudget: budget}
							for pages := 0; ; pages++ {
								if pages > 20 {
									t.Fatalf("%s: paging does not end", name)
								}
								p, err := st.CasePage(ctx, c.ID, q)
								if err != nil {
									t.Fatal(err)
								}
								if p.ResultsTotal != int64(len(c.Results)) || p.Decided != int64(len(c.Decisions)) || p.Current == nil ||
									p.Current.Seq != c.Current().Seq || string(p.Current.Body) != string(c.Current().Body) ||
									!p.CreatedAt.Equal(c.CreatedAt) || !p.UpdatedAt.Equal(c.UpdatedAt) {
									t.Fatalf("%s: totals %d/%d, current %+v, times %v %v", name, p.ResultsTotal, p.Decided, p.Current, p.CreatedAt, p.UpdatedAt)
								}
								if len(p.Results) > limit || len(p.Decisions) > limit {
									t.Fatalf("%s: %d results, %d decisions in a page", name, len(p.Results), len(p.Decisions))
								}
								spent := 0
								for _, r := range p.Results {
									spent += len(r.Payload)
								}
								if payloads && budget > 0 && len(p.Results) > 1 && spent > budget {
									t.Fatalf("%s: %d payload bytes in a page", name, spent)
								}
								results = append(results, p.Results...)
								decisions = append(decisions, p.Decisions...)
								left := len(results) < len(c.Results) || len(decisions) < len(c.Decisions)
								if p.More != left {
									t.Fatalf("%s: More is %v with %d results and %d decisions read", name, p.More, len(results), len(decisions))
								}
								if !p.More {
									break
								}
								if n := len(p.Results); n > 0 {
									q.AfterResult = p.Results[n-1].Seq
								}
								if n := len(p.Decisions); n > 0 {
									q.AfterDecision = p.Decisions[n-1].Seq
								}
							}
							if len(results) != len(c.Results) || len(decisions) != len(c.Decisions) {
								t.Fatalf("%s: %d results, %d decisions", name, len(results), len(decisions))
							}
							for i, r := range results {
								want := c.Results[i]
								sum := sha256.Sum256(want.Payload)
								if r.Seq != want.Seq || r.Provider != want.Provider || r.Kind != want.Kind || r.Source != want.Source ||
									r.DedupeKey != want.DedupeKey || !r.ReceivedAt.Equal(want.ReceivedAt) ||
									r.Size != len(want.Payload) || r.SHA256 != hex.EncodeToString(sum[:]) {
									t.Fatalf("%s: result %d is %+v, want %+v", name, i, r, want)
								}
								if payloads != (r.Payload != nil) || payloads && string(r.Payload) != string(want.Payload) {
									t.Fatalf("%s: result %d payload %q", name, i, r.Payload)
								}
							}
							for i, d := range decisions {
								if want := c.Decisions[i]; d.Seq != want.Seq || string(d.Body) != string(want.Body) || d.Trigger != want.Trigger {
									t.Fatalf("%s: decision %d is %+v, want %+v", name, i, d, want)
								}
							}
						}
					}
				}
			}

			// A budget smaller than every payload still moves: one result
			// a page. Exactly the budget fits; one byte less does not.
			for _, tc := range []struct {
				budget, want int
			}{{1, 1}, {sizes[0] + sizes[1], 2}, {sizes[0] + sizes[1] - 1, 1}} {
				p, err := st.CasePage(ctx, "c", store.PageQuery{Limit: 5, Payloads: true, PayloadBudget: tc.budget})
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Results) != tc.want || !p.More {
					t.Errorf("budget %d: %d results (more %v), want %d", tc.budget, len(p.Results), p.More, tc.want)
				}
			}
			// A budget of 0 is no bound: the page holds the limit.
			if p, err := st.CasePage(ctx, "c", store.PageQuery{Limit: 5, Payloads: true}); err != nil || len(p.Results) != 5 {
				t.Errorf("budget 0: %+v, %v", p, err)
			}
			// Without payloads the budget does not count.
			if p, err := st.CasePage(ctx, "c", store.PageQuery{Limit: 5, PayloadBudget: 1}); err != nil || len(p.Results) != 5 {
				t.Errorf("budget without payloads: %v, %v", p, err)
			}
			// A limit below 1 is 1.
			if p, err := st.CasePage(ctx, "c", store.PageQuery{}); err != nil || len(p.Results) != 1 || len(p.Decisions) != 1 || !p.More {
				t.Errorf("limit 0: %+v, %v", p, err)
			}
		})
	}
}
