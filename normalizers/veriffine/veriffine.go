// Package veriffine normalizes Veriff's INE registry check: the answer of
// GET sessions/{sessionId}/decision/ine-registry?version=1.0.0 and of the INE
// registry validation webhook, a small object
//
//	{"active": false, "documentState": "No se obtuvieron datos de la consulta con los parámetros seleccionados"}
//
// into the "veriff_ine.*" facts.
//
// active=true means the credential can be used for identification in Mexico;
// active=false means it cannot, although the credential may still be in the
// INE database. documentState is the registry's description of the query,
// in Spanish; it carries no personal data and is kept as reported (the
// documentation's own "active" sample has "...."). When the credential is
// not in the registry, active is false and documentState says that no data
// was obtained for the parameters: veriff_ine.data_found tells that case
// apart from an inactive credential that was found.
//
// active as the strings "true"/"false" is read as a boolean; another type
// adds a warning and leaves the facts unknown. A payload with neither field is
// not an INE registry answer and is an error. The payload carries no session
// id or time, so there is no case id or event time to report.
//
// Several answers in one case (polling and webhook): the last one wins;
// earlier ones are only checked to be JSON objects.
package veriffine

import (
	"strings"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/field"
)

const provider = "veriff_ine"

// Provider normalizes Veriff INE registry answers.
type Provider struct{}

var _ normalizers.Provider = Provider{}

func init() { normalizers.Register(Provider{}) }

// Local fact indexes: the position of each fact in facts.
const (
	fActive = iota
	fDocumentState
	fDataFound
	nFacts
)

var facts = [nFacts]engine.FactSpec{
	fActive: {Name: "veriff_ine.active", Kind: engine.Bool, Provider: provider,
		Description: "Whether the INE credential is active in the electoral registry and can be used for identification (active). false: it cannot, though it may still be in the database. Unknown when not reported or of the wrong type."},
	fDocumentState: {Name: "veriff_ine.document_state", Kind: engine.String, Provider: provider,
		Description: "The registry's description of the query, in Spanish, as reported (documentState), e.g. 'No se obtuvieron datos de la consulta con los parámetros seleccionados'. Free text. Unknown when missing, null or empty."},
	fDataFound: {Name: "veriff_ine.data_found", Kind: engine.Bool, Provider: provider,
		Description: "Whether the registry returned data for the credential: false when documentState says no data was obtained, true when active is true. Unknown otherwise (e.g. active false with another documentState, or the two contradict each other)."},
}

// Name is the provider's name and fact namespace.
func (Provider) Name() string { return provider }

// Facts documents the provider's facts; the position of each is its local index.
func (Provider) Facts() []engine.FactSpec { return facts[:] }

// Detect reports whether a payload has the INE registry shape: active and
// documentState (or active alone, an answer without documentState), and not
// a Veriff decision's verification object.
func (Provider) Detect(s normalizers.Shape) bool {
	return s.Has("active") && !s.Has("verification") && (s.Has("documentState") || len(s.Keys) == 1)
}

// Normalize writes the facts of the last INE registry answer of a case.
func (Provider) Normalize(in []normalizers.Payload, out engine.Sink) error {
	if len(in) == 0 {
		return nil
	}
	for _, p := range in[:len(in)-1] {
		if !isObject(p.Raw) {
			return normalizers.Errorf(provider, p.Offset, "an INE registry answer must be a JSON object")
		}
	}
	p := in[len(in)-1]
	top := p.Parse()
	if !top.IsObject() {
		return normalizers.Errorf(provider, p.Offset+top.Index, "an INE registry answer must be a JSON object")
	}
	rd := field.Reader{Sink: out, Base: p.Offset}
	var (
		seen           bool
		active, noData bool
		state          gjson.Result
	)
	top.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "active":
			seen = true
			if rd.Bool(fActive, v, "active") {
				active = out.Get(fActive).B
			}
		case "documentState":
			seen, state = true, v
			if rd.String(fDocumentState, v, "documentState") {
				noData = noDataFound(out.Get(fDocumentState).S)
			}
		}
		return true
	})
	if !seen {
		return normalizers.Errorf(provider, p.Offset+top.Index, "no active or documentState field: not an INE registry answer")
	}
	switch {
	case noData && active:
		out.Warn(p.Offset+state.Index, "documentState says no data was obtained, but active is true")
	case noData:
		out.Bool(fDataFound, false)
	case active:
		out.Bool(fDataFound, true)
	}
	return nil
}

// isObject reports whether a JSON value is an object.
func isObject(raw []byte) bool {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c == '{'
	}
	return false
}

// noDataPhrases are the registry's ways of saying that the query found
// nothing ("No se obtuvieron datos de la consulta con los parámetros
// seleccionados"), lower case.
var noDataPhrases = [...]string{"no se obtuvieron datos", "no se encontraron datos", "sin datos", "no data"}

func noDataFound(s string) bool {
	for _, p := range noDataPhrases {
		if containsFold(s, p) {
			return true
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII phrase p,
// ignoring ASCII case, without allocating.
func containsFold(s, p string) bool {
	for i := 0; i+len(p) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(p)], p) {
			return true
		}
	}
	return false
}
