package batch

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
)

// DefaultMaxLine is the longest input line read as a case; a longer line
// becomes an error record for that line and reading goes on.
const DefaultMaxLine = 16 << 20

// Record is one stored case to decide.
type Record struct {
	// Input names where the record came from (a file name, "stdin", a store).
	Input string
	// Line is the record's 1-based line number within Input (for a store:
	// its position in the stream).
	Line int
	// Doc is the case document: a bare provider payload or an envelope. It
	// is only valid until the next call to Next; the pipeline copies it.
	Doc []byte
	// Err, when not nil, is why the record could not be read (an over-long
	// line, an unreadable file); the record yields an error record.
	Err error
}

// Source yields records one by one. Next returns io.EOF after the last
// record; any other error stops the run. A problem with one record is not
// an error of Next: it is reported in Record.Err.
//
// A Source that also implements Sizer drives the progress bar's ETA.
type Source interface {
	Next() (Record, error)
}

// Sizer reports how far a Source has got: bytes consumed so far and the
// total expected (total <= 0 when unknown). Both are read concurrently with
// Next.
type Sizer interface {
	Progress() (done, total int64)
}

// Error kinds of an error record.
const (
	KindEmpty     = "empty"     // an empty or blank line
	KindTooLong   = "too_long"  // a line longer than the maximum line length
	KindMalformed = "malformed" // not well-formed JSON
	KindInvalid   = "invalid"   // JSON, but not a case any provider reads
	KindRead      = "read"      // the input could not be read from here on
	KindInternal  = "internal"  // deciding the case hit a bug (a panic); reported for its line
)

// LineError is a record that could not be read as a case: an over-long
// line or an input that failed part-way.
type LineError struct {
	Kind string
	Msg  string
}

func (e *LineError) Error() string { return e.Msg }

// Files reads JSONL inputs one after the other: names are file paths, "-"
// is stdin. Compressed inputs (gzip, told by their magic bytes) are read
// transparently. Line numbers restart at 1 for each input. An input that
// cannot be opened or fails part-way yields one error record (KindRead) at
// the line where reading stopped, and reading goes on with the next input.
type Files struct {
	names   []string
	stdin   io.Reader
	maxLine int

	cur     *lineReader
	closer  io.Closer
	idx     int
	line    int
	failed  []Failure
	total   int64
	done    atomic.Int64                   // bytes of finished inputs
	counter atomic.Pointer[countingReader] // the open input's byte count
}

// OpenFiles prepares to read names in order; maxLine <= 0 means
// DefaultMaxLine. Sizes of regular files (stdin included) are taken up front
// for the ETA.
func OpenFiles(names []string, stdin io.Reader, maxLine int) *Files {
	if maxLine <= 0 {
		maxLine = DefaultMaxLine
	}
	fs := &Files{names: names, stdin: stdin, maxLine: maxLine, idx: -1}
	for _, n := range names {
		var st os.FileInfo
		var err error
		if n == "-" {
			if f, ok := stdin.(*os.File); ok {
				st, err = f.Stat()
			} else {
				err = errors.New("not a file")
			}
		} else {
			st, err = os.Stat(n)
		}
		if err != nil || !st.Mode().IsRegular() {
			fs.total = -1
			break
		}
		fs.total += st.Size()
	}
	return fs
}

// inputName is how records name an input: "stdin" for "-".
func inputName(name string) string {
	if name == "-" {
		return "stdin"
	}
	return name
}

// Failure is an input that could not be read to the end.
type Failure struct {
	Input string `json:"input"`
	Line  int    `json:"line"` // the line of its read error record
	Error string `json:"error"`
}

// Failed reports how many inputs could not be read to the end.
func (fs *Files) Failed() int { return len(fs.failed) }

// Failures lists the inputs that could not be read to the end, in order.
func (fs *Files) Failures() []Failure { return fs.failed }

// Progress reports the bytes read (compressed bytes for gzip inputs) and the
// total size of the inputs, or total -1 when a size is unknown (a pipe).
func (fs *Files) Progress() (done, total int64) {
	done = fs.done.Load()
	if c := fs.counter.Load(); c != nil {
		done += c.n.Load()
	}
	return done, fs.total
}

// Next returns the next line of the inputs.
func (fs *Files) Next() (Record, error) {
	for {
		if fs.cur == nil {
			if fs.idx+1 >= len(fs.names) {
				return Record{}, io.EOF
			}
			fs.idx++
			fs.line = 0
			if err := fs.open(fs.names[fs.idx]); err != nil {
				name := inputName(fs.names[fs.idx])
				fs.failed = append(fs.failed, Failure{Input: name, Line: 1, Error: oneLine(err.Error())})
				return Record{Input: name, Line: 1, Err: &LineError{Kind: KindRead, Msg: oneLine(err.Error())}}, nil
			}
		}
		doc, err := fs.cur.next()
		name := inputName(fs.names[fs.idx])
		switch {
		case err == nil:
			fs.line++
			return Record{Input: name, Line: fs.line, Doc: doc}, nil
		case errors.Is(err, errTooLong):
			fs.line++
			return Record{Input: name, Line: fs.line, Err: &LineError{Kind: KindTooLong,
				Msg: fmt.Sprintf("line of %d bytes is longer than the limit of %d bytes", fs.cur.skipped, fs.maxLine)}}, nil
		case err == io.EOF:
			fs.finish()
		default:
			// The input broke part-way (a truncated gzip stream, an I/O
			// error): report it once, at the line it stopped, and go on.
			fs.line++
			line := fs.line
			fs.finish()
			fs.failed = append(fs.failed, Failure{Input: name, Line: line, Error: oneLine(err.Error())})
			return Record{Input: name, Line: line, Err: &LineError{Kind: KindRead,
				Msg: fmt.Sprintf("input unreadable from here on: %s", oneLine(err.Error()))}}, nil
		}
	}
}

func (fs *Files) open(name string) error {
	var r io.Reader
	if name == "-" {
		r = fs.stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		fs.closer = f
		r = f
	}
	c := &countingReader{r: r}
	fs.counter.Store(c)
	br := bufio.NewReaderSize(c, 256<<10)
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
		src = zr
	}
	fs.cur = newLineReader(src, fs.maxLine)
	return nil
}

func (fs *Files) finish() {
	if c := fs.counter.Swap(nil); c != nil {
		fs.done.Add(c.n.Load())
	}
	if fs.closer != nil {
		fs.closer.Close()
		fs.closer = nil
	}
	fs.cur = nil
}

// Close releases the open input, if any.
func (fs *Files) Close() error {
	fs.finish()
	return nil
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

var errTooLong = errors.New("line too long")

// lineReader splits a stream into lines without a copy when a line fits the
// read buffer, bounding the length of a line.
type lineReader struct {
	br      *bufio.Reader
	max     int
	long    []byte // a line that spans several buffer fills
	skipped int    // length of the last over-long line
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 1<<20), max: max}
}

// next returns the next line without its end of line (\n or \r\n). The
// line is valid until the next call. The last line counts even without a
// final newline.
func (lr *lineReader) next() ([]byte, error) {
	b, err := lr.br.ReadSlice('\n')
	switch {
	case err == nil || (err == io.EOF && len(b) > 0):
		if cap(lr.long) > 4<<20 {
			lr.long = nil // one huge line does not keep its memory
		}
		return lr.bounded(trimEOL(b))
	case errors.Is(err, bufio.ErrBufferFull):
		return lr.slow(b)
	default:
		return nil, err
	}
}

func (lr *lineReader) bounded(line []byte) ([]byte, error) {
	if len(line) > lr.max {
		lr.skipped = len(line)
		return nil, errTooLong
	}
	return line, nil
}

// slow accumulates a line longer than the read buffer, up to the limit;
// beyond it the rest of the line is skipped without being kept.
func (lr *lineReader) slow(first []byte) ([]byte, error) {
	lr.long = append(lr.long[:0], first...)
	n := len(first)
	over := false
	for {
		b, err := lr.br.ReadSlice('\n')
		n += len(b)
		if !over {
			if n <= lr.max+2 {
				lr.long = append(lr.long, b...)
			} else {
				over = true
				lr.long = lr.long[:0]
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if over {
			lr.skipped = n - eolLen(b)
			return nil, errTooLong
		}
		return lr.bounded(trimEOL(lr.long))
	}
}

func eolLen(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		if len(b) > 1 && b[len(b)-2] == '\r' {
			return 2
		}
		return 1
	}
	return 0
}

func trimEOL(b []byte) []byte { return b[:len(b)-eolLen(b)] }

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Slice is a Source over records held in memory (tests, small stores).
type Slice struct {
	Records []Record
	i       int
}

// Next returns the next record of the slice.
func (s *Slice) Next() (Record, error) {
	if s.i >= len(s.Records) {
		return Record{}, io.EOF
	}
	s.i++
	return s.Records[s.i-1], nil
}
