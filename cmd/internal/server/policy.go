package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/rules"
)

// loadedPolicy is the policy that decides now.
type loadedPolicy struct {
	*engine.Policy
	LoadedAt time.Time
}

// reloadStatus is the outcome of the latest reload attempt.
type reloadStatus struct {
	At    time.Time `json:"at"`
	Error string    `json:"error,omitempty"` // "" when it succeeded
}

// policies holds the current policy and replaces it when its file changes:
// only a policy that compiles completely replaces the current one, with an
// atomic pointer swap, so a decision always sees one whole policy.
type policies struct {
	path    string
	log     *slog.Logger
	m       *metrics
	cur     atomic.Pointer[loadedPolicy]
	status  atomic.Pointer[reloadStatus]
	mu      sync.Mutex // serializes reloads
	tried   [sha256.Size]byte
	hasTry  bool
	lastErr string
	// pending is the content seen at the previous poll that differed from
	// the last attempt: a polled change is loaded only when the next poll
	// reads the same bytes again, so a file being written in place (a
	// valid prefix without the fraud rules) is never loaded.
	pending    [sha256.Size]byte
	hasPending bool
	// allowShrink lets a reload drop more than half of the rules.
	allowShrink bool
}

// shrinkFloor: a reload that keeps fewer than half of the current rules,
// requirements and scores is refused unless allowed (a truncated file, a
// wrong file with the same policy name).
const shrinkFloor = 0.5

func newPolicies(path string, allowShrink bool, log *slog.Logger, m *metrics) (*policies, error) {
	p := &policies{path: path, log: log, m: m, allowShrink: allowShrink}
	if err := p.reload(true); err != nil {
		return nil, err
	}
	return p, nil
}

// current returns the policy that decides now.
func (p *policies) current() *loadedPolicy { return p.cur.Load() }

// reload reads the policy file and, when it changed since the last attempt
// (or force is set), compiles it and swaps it in. On failure the current
// policy stays, the error is logged and counted, and returned.
func (p *policies) reload(force bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	src, err := os.ReadFile(p.path)
	if err != nil {
		// A missing file is often a rename in progress: report each
		// distinct problem once while polling.
		if !force && err.Error() == p.lastErr {
			return err
		}
		p.hasTry = false
		return p.failed(err)
	}
	sum := sha256.Sum256(src)
	if !force && p.hasTry && sum == p.tried {
		p.hasPending = false
		return nil
	}
	if !force && p.cur.Load() != nil && (!p.hasPending || p.pending != sum) {
		// Changed since the last poll: wait until the content is stable.
		p.pending, p.hasPending = sum, true
		p.log.Info("policy file changed; loading it when it is stable", "file", p.path, "sha256", hex.EncodeToString(sum[:]))
		return nil
	}
	p.hasPending = false
	p.tried, p.hasTry = sum, true
	pol, err := rules.Compile(p.path, src, normalizers.Catalog())
	if err != nil {
		return p.failed(err)
	}
	prev := p.cur.Load()
	if prev != nil && !p.allowShrink && shrunk(prev.Policy, pol) {
		return p.failed(fmt.Errorf("the new policy has %d rules, requirements and scores where the current one has %d; refusing a reload that drops more than half of them (start with --allow-shrink to accept it)",
			size(pol), size(prev.Policy)))
	}
	if prev != nil && prev.Hash == pol.Hash {
		p.lastErr = ""
		p.status.Store(&reloadStatus{At: time.Now().UTC()})
		return nil
	}
	now := time.Now().UTC()
	p.cur.Store(&loadedPolicy{Policy: pol, LoadedAt: now})
	p.lastErr = ""
	p.status.Store(&reloadStatus{At: now})
	p.m.policyInfo.Reset()
	p.m.policyInfo.WithLabelValues(pol.Name, pol.Version, pol.Hash).Set(1)
	p.m.policyLoadedAt.Set(float64(now.UnixNano()) / 1e9)
	attrs := []any{"policy", pol.Name, "version", pol.Version, "hash", pol.Hash, "file", p.path}
	if prev != nil {
		p.m.reloads.Inc()
		attrs = append(attrs, "previous_version", prev.Version, "previous_hash", prev.Hash)
		p.log.Info("policy reloaded", attrs...)
	} else {
		p.log.Info("policy loaded", attrs...)
	}
	return nil
}

func size(p *engine.Policy) int { return len(p.Rules) + len(p.Requirements) + len(p.Scores) }

// shrunk reports whether next keeps less than shrinkFloor of prev's
// rules, requirements and scores.
func shrunk(prev, next *engine.Policy) bool {
	return float64(size(next)) < shrinkFloor*float64(size(prev))
}

func (p *policies) failed(err error) error {
	msg := err.Error()
	var list engine.ErrorList
	if errors.As(err, &list) {
		msg = fmt.Sprintf("%d problem(s): %s", len(list), list.Error())
	}
	p.lastErr = err.Error()
	p.status.Store(&reloadStatus{At: time.Now().UTC(), Error: msg})
	if p.cur.Load() == nil {
		return err // the first load: the caller reports it
	}
	p.m.reloadErrors.Inc()
	cur := p.cur.Load()
	p.log.Error("policy reload failed: the previous policy keeps deciding",
		"file", p.path, "error", msg, "policy", cur.Name, "version", cur.Version, "hash", cur.Hash)
	return fmt.Errorf("%s: %s", p.path, msg)
}

// watch polls the policy file every interval until ctx ends, and reloads
// it when its content changed. Polling by content hash follows every way a
// file can be replaced (editors' renames, ConfigMap symlink swaps).
func (p *policies) watch(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_ = p.reload(false)
		}
	}
}
