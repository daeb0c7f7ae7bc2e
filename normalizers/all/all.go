// Package all registers every provider normalizer that ships with
// veredicto. Import it for its side effect:
//
//	import _ "github.com/veredicto/veredicto/normalizers/all"
package all

import (
	// Each provider registers itself in init.
	_ "github.com/veredicto/veredicto/normalizers/jaak"
	_ "github.com/veredicto/veredicto/normalizers/preventor"
	_ "github.com/veredicto/veredicto/normalizers/trully"
	_ "github.com/veredicto/veredicto/normalizers/veriff"
	_ "github.com/veredicto/veredicto/normalizers/veriffine"
)
