package server

import (
	"bytes"
	"testing"

	"github.com/veredicto/veredicto/cmd/internal/store"
)

// TestPayloadAt finds the stored result an offset of the rebuilt envelope
// falls in, at every edge: the first and last byte of each payload, the
// bytes of the envelope between and around them, the first result too.
func TestPayloadAt(t *testing.T) {
	rs := []store.Result{{Seq: 1, Provider: "jaak", Payload: []byte(`{"a":1}`)}, {Seq: 2, Provider: "veriff", Kind: "k", Payload: []byte(`{"bb":22}`)}}
	var buf bytes.Buffer
	starts := writeEnvelope(&buf, "c", rs)
	env := buf.Bytes()
	for j, r := range rs {
		if !bytes.Equal(env[starts[j]:starts[j]+len(r.Payload)], r.Payload) {
			t.Fatalf("payload %d starts at %d in %s", j, starts[j], env)
		}
	}
	want := make([]int, len(env)+1)
	for i := range want {
		want[i] = -1
	}
	for j, r := range rs {
		for i := starts[j]; i < starts[j]+len(r.Payload); i++ {
			want[i] = j
		}
	}
	for off := -1; off <= len(env); off++ {
		w := -1
		if off >= 0 {
			w = want[off]
		}
		if got := payloadAt(starts, rs, off); got != w {
			t.Errorf("offset %d (%q): result %d, want %d", off, env[max(0, min(off, len(env)-1))], got, w)
		}
	}
}
