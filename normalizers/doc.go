// Package normalizers turns raw provider results into facts.
//
// Providers live in sub-packages (veriff, veriffine, trully, preventor, jaak)
// and register themselves in init, like Caddy modules; import
// normalizers/all to get every provider. This package reads a case — a bare
// provider payload, or an envelope that lists several results — validates it
// once, hands each provider its payloads, and then computes the
// cross-provider facts of the "case" namespace (CURP check digit, agreement
// of CURP, date of birth and name across providers).
//
// The fact catalog is built from the registered providers the first time it
// is needed; Catalog returns it.
package normalizers
