package server_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

// TestPreventorPadding: every PKCS#7 padding of 1 to 16 bytes decrypts;
// a padding with any one of its bytes wrong, or of 0 or more than 16,
// gets the one answer of an undecryptable body and is not stored.
func TestPreventorPadding(t *testing.T) {
	e := start(t, storetest.SQLite(t), withPreventorKey)
	var compact bytes.Buffer
	if err := json.Compact(&compact, fixture(t, "preventor/completed.json")); err != nil {
		t.Fatal(err)
	}
	block, err := aes.NewCipher(preventorKey)
	if err != nil {
		t.Fatal(err)
	}
	iv := bytes.Repeat([]byte{7}, aes.BlockSize)
	ivText := base64.StdEncoding.EncodeToString(iv)
	// send encrypts plain followed by pad bytes of value padByte (pad
	// counts the bytes, padByte what they say), the JSON padded with
	// spaces to fill the blocks.
	send := func(pad int, padByte byte, wrongAt int) int {
		t.Helper()
		plain := bytes.Clone(compact.Bytes())
		for (len(plain)+pad)%aes.BlockSize != 0 {
			plain = append(plain, ' ')
		}
		padding := bytes.Repeat([]byte{padByte}, pad)
		if wrongAt >= 0 {
			padding[wrongAt] ^= 0x40
		}
		ct := append(plain, padding...)
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(ct, ct)
		r := e.do("POST", "/v1/webhooks/preventor/"+preventorToken, []byte(base64.StdEncoding.EncodeToString(ct)), server.PreventorIVHeader, ivText)
		if r.status == 400 && r.json(t)["detail"] != "the body does not decrypt with the configured Preventor key to a Preventor payload" {
			t.Errorf("pad %d: %s", pad, r.body)
		}
		return r.status
	}
	for pad := 1; pad <= aes.BlockSize; pad++ {
		if s := send(pad, byte(pad), -1); s != 200 {
			t.Errorf("a good padding of %d: %d", pad, s)
		}
		for i := range pad {
			if s := send(pad, byte(pad), i); s != 400 {
				t.Errorf("a padding of %d with byte %d wrong: %d", pad, i, s)
			}
		}
	}
	for _, c := range []struct {
		pad     int
		padByte byte
	}{{1, 0}, {16, 0}, {16, 17}, {17, 17}, {32, 32}} {
		if s := send(c.pad, c.padByte, -1); s != 400 {
			t.Errorf("%d bytes of %d: %d", c.pad, c.padByte, s)
		}
	}
	if got := e.stats().Results; got != aes.BlockSize {
		// Each good padding follows its own number of spaces: one
		// result each, and none of the bad ones.
		t.Errorf("%d results stored, want %d", got, aes.BlockSize)
	}
}
