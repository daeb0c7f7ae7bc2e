package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"
)

// PageQuery selects one page of a case's results and decisions.
type PageQuery struct {
	AfterResult   int64 // results with a greater seq
	AfterDecision int64 // decisions with a greater seq
	Limit         int   // at most this many of each (at least 1)
	// Payloads asks for the results' payloads. PayloadBudget then bounds
	// their bytes in one page (0: no bound); the first result always fits.
	Payloads      bool
	PayloadBudget int
}

// ResultInfo is a stored result with the size and SHA-256 of its payload;
// Payload is nil unless the page asked for payloads.
type ResultInfo struct {
	Result
	Size   int
	SHA256 string // hex
}

// CasePage is one page of a case: its totals, its current decision, and
// the results and decisions after the query's positions, oldest first.
type CasePage struct {
	ID                    string
	CreatedAt, UpdatedAt  time.Time
	ResultsTotal, Decided int64 // results stored, decisions in the history
	Current               *Decision
	Results               []ResultInfo
	Decisions             []Decision
	// More reports that results or decisions remain after this page.
	More bool
}

// CasePage reads one page of a case in one read transaction, holding at
// most one payload in memory beyond those the page returns, so that a case
// with a long history costs a page, not the case. It returns ErrNotFound
// for an unknown case.
func (s *sqlStore) CasePage(ctx context.Context, caseID string, q PageQuery) (*CasePage, error) {
	if q.Limit < 1 {
		q.Limit = 1
	}
	rtx, err := s.r.BeginTx(ctx, s.d.readTx)
	if err != nil {
		return nil, s.wrap(err)
	}
	defer func() { _ = rtx.Rollback() }()
	tx := ptx{rtx, s.rp}
	p := &CasePage{ID: caseID, Results: []ResultInfo{}, Decisions: []Decision{}}
	err = tx.QueryRowContext(ctx, s.q.casePage, caseID).Scan(&p.CreatedAt, &p.UpdatedAt, &p.ResultsTotal, &p.Decided)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if p.Decided > 0 {
		d, err := scanDecision(tx.QueryRowContext(ctx, s.q.decision, caseID, p.Decided))
		if err != nil {
			return nil, s.wrap(err)
		}
		p.Current = &d
	}
	if err := s.pageDecisions(ctx, tx, caseID, q, p); err != nil {
		return nil, s.wrap(err)
	}
	return p, s.wrap(s.pageResults(ctx, tx, caseID, q, p))
}

func (s *sqlStore) pageDecisions(ctx context.Context, tx ptx, caseID string, q PageQuery, p *CasePage) error {
	rows, err := tx.QueryContext(ctx, s.q.decisionsAfter, caseID, q.AfterDecision, q.Limit+1)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if len(p.Decisions) == q.Limit {
			p.More = true
			break
		}
		d, err := scanDecision(rows)
		if err != nil {
			return err
		}
		p.Decisions = append(p.Decisions, d)
	}
	return rows.Err()
}

func (s *sqlStore) pageResults(ctx context.Context, tx ptx, caseID string, q PageQuery, p *CasePage) error {
	rows, err := tx.QueryContext(ctx, s.q.resultsAfter, caseID, q.AfterResult, q.Limit+1)
	if err != nil {
		return err
	}
	defer rows.Close()
	spent := 0
	for rows.Next() {
		var r ResultInfo
		if err := rows.Scan(&r.Seq, &r.Provider, &r.Kind, &r.Source, &r.DedupeKey, &r.Payload, &r.ReceivedAt); err != nil {
			return err
		}
		full := len(p.Results) == q.Limit ||
			q.Payloads && q.PayloadBudget > 0 && len(p.Results) > 0 && spent+len(r.Payload) > q.PayloadBudget
		if full {
			p.More = true
			break
		}
		r.ReceivedAt = r.ReceivedAt.UTC()
		r.Size = len(r.Payload)
		sum := sha256.Sum256(r.Payload)
		r.SHA256 = hex.EncodeToString(sum[:])
		if q.Payloads {
			spent += r.Size
		} else {
			r.Payload = nil
		}
		p.Results = append(p.Results, r)
	}
	return rows.Err()
}
