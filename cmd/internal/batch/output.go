package batch

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Output is a buffered output: stdout, or a file written atomically (to a
// temporary file beside it, synced and renamed into place by Commit, so
// that a run that fails or is interrupted leaves no half-written file). A
// name ending in .gz is gzip-compressed.
type Output struct {
	*bufio.Writer
	path string
	tmp  tempFile
	zw   *gzip.Writer
}

// tempFile is what Commit needs of the temporary file (an *os.File), so
// that a test can see the order of its calls and make them fail.
type tempFile interface {
	io.Writer
	Name() string
	Chmod(os.FileMode) error
	Sync() error
	Close() error
}

// CreateOutput opens path for writing, or stdout when path is "" or "-".
func CreateOutput(path string, stdout io.Writer) (*Output, error) {
	if path == "" || path == "-" {
		return &Output{Writer: bufio.NewWriterSize(stdout, 1<<20)}, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	o := &Output{path: path, tmp: tmp}
	var w io.Writer = tmp
	if strings.HasSuffix(path, ".gz") {
		o.zw, _ = gzip.NewWriterLevel(tmp, gzip.BestSpeed)
		w = o.zw
	}
	o.Writer = bufio.NewWriterSize(w, 1<<20)
	return o, nil
}

// Commit flushes the output; a file is synced, closed and renamed into
// place.
func (o *Output) Commit() error {
	if err := o.Flush(); err != nil {
		o.Abort()
		return err
	}
	if o.tmp == nil {
		return nil
	}
	if o.zw != nil {
		if err := o.zw.Close(); err != nil {
			o.Abort()
			return err
		}
	}
	if err := o.tmp.Chmod(0o644); err != nil {
		o.Abort()
		return err
	}
	if err := o.tmp.Sync(); err != nil {
		o.Abort()
		return err
	}
	if err := o.tmp.Close(); err != nil {
		os.Remove(o.tmp.Name())
		return err
	}
	if err := os.Rename(o.tmp.Name(), o.path); err != nil {
		os.Remove(o.tmp.Name())
		return err
	}
	o.tmp = nil
	return nil
}

// Abort discards a file output (stdout is flushed as far as it got).
func (o *Output) Abort() {
	if o.tmp == nil {
		o.Flush()
		return
	}
	o.tmp.Close()
	os.Remove(o.tmp.Name())
	o.tmp = nil
}
