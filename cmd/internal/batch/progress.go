package batch

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
)

// startProgress draws a progress bar on w until the returned function is
// called: bytes of input read against the inputs' total size (so the ETA
// is known before the number of cases is), with the cases decided and their
// rate. Without a known size it shows a counter with the rate. It does
// nothing when w is nil.
func startProgress(w io.Writer, src Source, cases *atomic.Int64, verb string) (stop func()) {
	if w == nil {
		return func() {}
	}
	sizer, _ := src.(Sizer)
	total := int64(-1)
	if sizer != nil {
		if _, t := sizer.Progress(); t > 0 {
			total = t
		}
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(w),
		progressbar.OptionThrottle(200 * time.Millisecond),
		progressbar.OptionSetPredictTime(total > 0),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionShowBytes(total > 0),
		progressbar.OptionSetWidth(24),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription(verb),
	}
	bar := progressbar.NewOptions64(total, opts...)
	start := time.Now()
	tick := time.NewTicker(250 * time.Millisecond)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
			}
			n := cases.Load()
			rate := float64(n) / time.Since(start).Seconds()
			bar.Describe(fmt.Sprintf("%s %s cases, %s/s", verb, group(n), group(int64(rate))))
			if total > 0 {
				done, _ := sizer.Progress()
				_ = bar.Set64(min(done, total))
			} else {
				_ = bar.Set64(n)
			}
		}
	})
	return func() {
		tick.Stop()
		close(quit)
		wg.Wait()
		_ = bar.Finish()
	}
}
