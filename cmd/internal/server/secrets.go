package server

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Veriff signs the raw body of a webhook with HMAC-SHA256 and the
// integration's shared secret, in lowercase hex, in one of these headers.
var veriffSignatureHeaders = []string{"X-HMAC-SIGNATURE", "vrf-hmac-signature"}

// signature failure reasons, the "reason" label of the failures metric.
const (
	reasonMissing   = "missing"   // no signature header
	reasonMalformed = "malformed" // not hex of the right length
	reasonMismatch  = "mismatch"  // a different signature
	reasonDecrypt   = "decrypt"   // a Preventor body that does not decrypt
	reasonToken     = "token"     // a Preventor webhook URL without the right token
)

// verifyVeriff checks the HMAC-SHA256 signature of body; it returns "" when
// it is good, else the reason it is not.
func verifyVeriff(secret []byte, h http.Header, body []byte) string {
	var sig string
	for _, name := range veriffSignatureHeaders {
		if sig = strings.TrimSpace(h.Get(name)); sig != "" {
			break
		}
	}
	if sig == "" {
		return reasonMissing
	}
	got, err := hex.DecodeString(sig)
	if err != nil || len(got) != sha256.Size {
		return reasonMalformed
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return reasonMismatch
	}
	return ""
}

// SignVeriff returns the signature Veriff sends for body: the lowercase hex
// HMAC-SHA256 with the shared secret.
func SignVeriff(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// PreventorIVHeader carries the base64 IV of an encrypted Preventor webhook.
const PreventorIVHeader = "x-pvt-cipher-iv"

// ParsePreventorKey reads the AES-256 key of Preventor webhooks from its
// configured form: 64 hexadecimal digits, or base64 (standard or URL
// alphabet, padded or not) of 32 bytes, or a 32-character text used as its
// bytes. Anything else is refused, so that a mistyped key fails at start
// rather than on every webhook.
func ParsePreventorKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 64 {
		if k, err := hex.DecodeString(s); err == nil {
			return k, nil
		}
	}
	if len(s) == 32 {
		return []byte(s), nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == 32 {
			return k, nil
		}
	}
	return nil, fmt.Errorf("the Preventor key must be 32 bytes for AES-256: 64 hex digits, base64 of 32 bytes, or 32 characters (got %d characters)", len(s))
}

var errUndecryptable = errors.New("the body does not decrypt with the configured Preventor key to a Preventor payload")

// decryptPreventor decrypts a Preventor webhook: body is base64 text (a
// JSON string of it is accepted too) of AES-256-CBC ciphertext with PKCS#7
// padding, and the IV is base64 in the x-pvt-cipher-iv header. Every
// failure after the IV check returns the same error, so that responses do
// not act as a padding oracle.
func decryptPreventor(key []byte, h http.Header, body []byte) (plain []byte, valid bool, err error) {
	ivText := strings.TrimSpace(h.Get(PreventorIVHeader))
	if ivText == "" {
		return nil, false, fmt.Errorf("header %s with the base64 IV is missing", PreventorIVHeader)
	}
	iv, err := decodeBase64(ivText)
	if err != nil || len(iv) != aes.BlockSize {
		return nil, false, fmt.Errorf("header %s: want base64 of %d bytes", PreventorIVHeader, aes.BlockSize)
	}
	text := bytes.TrimSpace(body)
	if len(text) > 0 && text[0] == '"' {
		var s string
		if json.Unmarshal(text, &s) != nil {
			return nil, false, errUndecryptable
		}
		text = []byte(s)
	}
	ct, err := decodeBase64(string(text))
	if err != nil || len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, false, errUndecryptable
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, false, err
	}
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(ct, ct)
	// PKCS#7 padding, checked without branching on its bytes: a bad
	// padding is reported only after the caller has done the same work
	// as for a good one, so its answer and its timing tell nothing.
	pad := int(ct[len(ct)-1])
	good := subtle.ConstantTimeLessOrEq(1, pad) & subtle.ConstantTimeLessOrEq(pad, aes.BlockSize)
	n := subtle.ConstantTimeSelect(good, pad, 1)
	for i := 1; i <= aes.BlockSize; i++ {
		in := subtle.ConstantTimeLessOrEq(i, n)
		same := subtle.ConstantTimeByteEq(ct[len(ct)-i], byte(n))
		good &= subtle.ConstantTimeSelect(in, same, 1)
	}
	return ct[:len(ct)-n], good == 1, nil
}

// EncryptPreventor encrypts a payload as Preventor does, for tests and the
// load generator: it returns the base64 body and the base64 IV.
func EncryptPreventor(key, iv, plain []byte) (body, ivText string, err error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", "", err
	}
	if len(iv) != aes.BlockSize {
		return "", "", fmt.Errorf("IV of %d bytes, want %d", len(iv), aes.BlockSize)
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	buf := append(bytes.Clone(plain), bytes.Repeat([]byte{byte(pad)}, pad)...)
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf), base64.StdEncoding.EncodeToString(iv), nil
}

func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}
