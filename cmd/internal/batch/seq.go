package batch

import (
	"io"
	"iter"
)

// SeqSource adapts an iterator of case documents, such as the cases of a
// store, into a Source. Records are numbered from 1 in iteration order and
// named input. An error yielded by seq ends the run with that error.
type SeqSource struct {
	input string
	next  func() ([]byte, error, bool)
	stop  func()
	n     int
}

// FromSeq returns a Source over seq; call Close when done.
func FromSeq(input string, seq iter.Seq2[[]byte, error]) *SeqSource {
	next, stop := iter.Pull2(seq)
	return &SeqSource{input: input, next: next, stop: stop}
}

// Next returns the next document of the iterator.
func (s *SeqSource) Next() (Record, error) {
	doc, err, ok := s.next()
	if !ok {
		return Record{}, io.EOF
	}
	if err != nil {
		return Record{}, err
	}
	s.n++
	return Record{Input: s.input, Line: s.n, Doc: doc}, nil
}

// Close stops the iterator.
func (s *SeqSource) Close() error {
	s.stop()
	return nil
}
