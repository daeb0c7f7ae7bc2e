// Package veriffine normalizes Veriff's Mexican registry checks into the
// "veriff_ine.*" facts. It reads three documented shapes:
//
//   - the INE registry answer of GET sessions/{sessionId}/decision/ine-registry
//     ?version=1.0.0, a small object
//     {"active": false, "documentState": "No se obtuvieron datos de la consulta con los parámetros seleccionados"};
//   - the INE registry webhook, which wraps the same answer:
//     {"eventType": "ine_registry", "sessionId", "attemptId", "vendorData",
//     "endUserId", "version", "time",
//     "data": {"status": "La credencial es válida", "code": 200,
//     "details": {"active": true, "documentState": "El documento es válido."}}};
//   - the CURP registry webhook (RENAPO):
//     {"type": "curp_registry", "id", "vendorData", "endUserId", "version",
//     "data": {"attemptId", "name": "curp_registry", "status": "found",
//     "code": 200, "details": {"statusCurp": "RCN", "curp", "description"}}},
//     read into the veriff_ine.curp.* facts: it is the same family of
//     registry webhooks, sent to the same Veriff webhook route with the same
//     signature, and Veriff's decision provider does not read it.
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
// Every field is read the same way: a boolean also as the strings
// "true"/"false" and as 0/1; a value of another type, an undocumented word
// or a data.code that is not 2xx makes the fact unreadable (located by byte
// offset) and leaves its value unknown. Several answers in one case (polling
// and the webhook, or re-deliveries) are merged: an identical one changes
// nothing; a different one makes the fact conflicting and keeps the adverse
// side (active false then true stays false). A payload that is none of the
// shapes above is an error.
//
// The webhooks' vendorData, endUserId or session id (in that order, as for
// Veriff decisions) is offered as the case id; the CURP that RENAPO returned
// is reported as an identity (source "veriff_ine.curp_registry") for the
// cross-provider CURP checks. The bare answer carries neither.
package veriffine

import (
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	"github.com/veredicto/veredicto/normalizers/internal/field"
)

const provider = "veriff_ine"

// Provider normalizes Veriff INE and CURP registry answers.
type Provider struct{}

var _ normalizers.Provider = Provider{}

func init() { normalizers.Register(Provider{}) }

// Local fact indexes: the position of each fact in facts.
const (
	fActive = iota
	fDocumentState
	fDataFound
	fStatus
	fCURPFound
	fCURPStatus
	fCURPDescription
	nFacts
)

// curpStatuses are RENAPO's CURP status codes (statusCurp): active AN (alta
// normal), AH (alta con homonimia), CRA (CURP reactivada), RCN (registro de
// cambio no afectando a la CURP), RCC (registro de cambio afectando a la
// CURP); deregistered ("baja") BAP (documento apócrifo), BSU (sin uso), BD
// (defunción), BDA (duplicidad), BCC (cambio en la CURP), BCN (baja no
// afectando a la CURP), BDM (administrativa), BDP (adopción), BJD (judicial).
var curpStatuses = []string{"AN", "AH", "CRA", "RCN", "RCC", "BAP", "BSU", "BD", "BDA", "BCC", "BCN", "BDM", "BDP", "BJD"}

// curpDeregistered are the adverse statuses: a CURP that RENAPO has
// deregistered cannot identify a living applicant.
var curpDeregistered = []string{"BAP", "BSU", "BD", "BDA", "BCC", "BCN", "BDM", "BDP", "BJD"}

const evidence = " Unreadable when present with another type, or when the answer's data.code is not 2xx; conflicting when two answers disagree (the adverse value is kept)."

var facts = [nFacts]engine.FactSpec{
	fActive: {Name: "veriff_ine.active", Kind: engine.Bool, Provider: provider, Polarity: engine.AdverseFalse,
		Description: "Whether the INE credential is active in the electoral registry and can be used for identification (active, or data.details.active in the INE registry webhook; also \"true\"/\"false\" and 0/1). false: it cannot, though it may still be in the database. Unknown when not reported." + evidence},
	fDocumentState: {Name: "veriff_ine.document_state", Kind: engine.String, Provider: provider,
		Description: "The registry's description of the INE query, in Spanish, as reported (documentState), e.g. 'No se obtuvieron datos de la consulta con los parámetros seleccionados'. Free text. Unknown when missing, null or empty; unreadable when not a string; conflicting when two answers differ (the first is kept)."},
	fDataFound: {Name: "veriff_ine.data_found", Kind: engine.Bool, Provider: provider, Polarity: engine.AdverseFalse,
		Description: "Whether the INE registry returned data for the credential: false when documentState says no data was obtained, true when active is true. Unknown otherwise (active false with another documentState); conflicting when active is true but documentState says no data was obtained, or when two answers disagree (false is kept)."},
	fStatus: {Name: "veriff_ine.status", Kind: engine.String, Provider: provider,
		Description: "The INE registry webhook's data.status, the registry's own wording of the result in Spanish (e.g. 'La credencial es válida'), as reported. Free text: the decision is read from active. Unknown when absent; unreadable when not a string."},
	fCURPFound: {Name: "veriff_ine.curp.found", Kind: engine.Bool, Provider: provider, Polarity: engine.AdverseFalse,
		Description: "Whether RENAPO found the CURP, from the CURP registry webhook's data.status: true for found, false for not_found (also 'not found'). Unknown when no CURP registry webhook was received; unreadable for another word or type, or when data.code is not 2xx; conflicting when two answers disagree (false is kept)."},
	fCURPStatus: {Name: "veriff_ine.curp.status", Kind: engine.String, Provider: provider, Polarity: engine.AdverseValues,
		Values: curpStatuses, Adverse: curpDeregistered,
		Description: "RENAPO's status code of the CURP, data.details.statusCurp of the CURP registry webhook, upper case: AN, AH, CRA, RCN, RCC are active; the B* codes (BD: deceased; BAP, BSU, BDA, BCC, BCN, BDM, BDP, BJD: other deregistrations) are adverse. Unknown when absent; unreadable for another code or type; conflicting when two answers disagree (a deregistration is kept)."},
	fCURPDescription: {Name: "veriff_ine.curp.description", Kind: engine.String, Provider: provider,
		Description: "RENAPO's description of the CURP status, data.details.description (e.g. 'Registro de cambio no afectando a curp'), as reported. Free text. Unknown when absent; unreadable when not a string."},
}

// Name is the provider's name and fact namespace.
func (Provider) Name() string { return provider }

// Facts documents the provider's facts; the position of each is its local index.
func (Provider) Facts() []engine.FactSpec { return facts[:] }

// Detect reports whether a payload has one of the registry shapes: the INE
// registry webhook (eventType "ine_registry" with data), the CURP registry
// webhook (type "curp_registry" with data), or the bare INE answer (active
// and documentState, or active alone, without a Veriff decision's
// verification object).
func (Provider) Detect(s normalizers.Shape) bool {
	switch {
	case s.Has("data") && isWord(s.Keys["eventType"], "ine_registry"):
		return true
	case s.Has("data") && isWord(s.Keys["type"], "curp_registry"):
		return true
	}
	return s.Has("active") && !s.Has("verification") && (s.Has("documentState") || len(s.Keys) == 1)
}

// isWord reports whether raw is the JSON string w (allowing surrounding
// white space).
func isWord(raw, w string) bool {
	raw = strings.TrimSpace(raw)
	return len(raw) == len(w)+2 && raw[0] == '"' && raw[len(raw)-1] == '"' && raw[1:len(raw)-1] == w
}

// Normalize merges the facts of every registry answer of a case.
func (Provider) Normalize(in []normalizers.Payload, out engine.Sink) error {
	for _, p := range in {
		if err := normalize(p, out); err != nil {
			return err
		}
	}
	return nil
}

func normalize(p normalizers.Payload, out engine.Sink) error {
	top := p.Parse()
	if !top.IsObject() {
		return normalizers.Errorf(provider, p.Offset+top.Index, "a Veriff registry answer must be a JSON object")
	}
	rd := field.Reader{Sink: out, Base: p.Offset}
	var eventType, typ, data gjson.Result
	var ids [3]gjson.Result // vendorData, endUserId, session id
	seen := false
	top.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "eventType":
			eventType = v
		case "type":
			typ = v
		case "data":
			data = v
		case "vendorData":
			ids[0] = v
		case "endUserId":
			ids[1] = v
		case "sessionId", "id":
			if !ids[2].Exists() {
				ids[2] = v
			}
		case "active", "documentState":
			seen = true
		}
		return true
	})
	switch {
	case eventType.Exists():
		if eventType.Str != "ine_registry" {
			return normalizers.Errorf(provider, p.Offset+eventType.Index, "eventType %s: not an INE registry webhook (ine_registry)", excerpt(eventType.Raw))
		}
		return webhook(p, rd, data, ids, ine)
	case typ.Exists():
		if typ.Str != "curp_registry" {
			return normalizers.Errorf(provider, p.Offset+typ.Index, "type %s: not a CURP registry webhook (curp_registry)", excerpt(typ.Raw))
		}
		return webhook(p, rd, data, ids, curp)
	case !seen:
		return normalizers.Errorf(provider, p.Offset+top.Index, "no active or documentState field, and no eventType ine_registry or type curp_registry: not a Veriff registry answer")
	}
	readINE(rd, top, p.Offset, &bareNames)
	return nil
}

// names are the field paths of an INE answer's fields, built once so that
// reading does not concatenate strings.
type names struct{ active, documentState string }

var (
	bareNames    = names{"active", "documentState"}
	webhookNames = names{"data.details.active", "data.details.documentState"}
)

type kind uint8

const (
	ine kind = iota
	curp
)

// webhook reads a registry webhook's ids and its data object.
func webhook(p normalizers.Payload, rd field.Reader, data gjson.Result, ids [3]gjson.Result, k kind) error {
	out := rd.Sink
	for _, r := range ids {
		if s, ok := field.String(r); ok && strings.TrimSpace(s) != "" {
			out.CaseID(s)
			break
		}
	}
	if !data.IsObject() {
		return normalizers.Errorf(provider, p.Offset+data.Index, "data: expected the registry answer object")
	}
	var status, code, details gjson.Result
	data.ForEach(func(key, v gjson.Result) bool {
		switch key.Str {
		case "status":
			status = v
		case "code":
			code = v
		case "details":
			details = v
		}
		return true
	})
	main := fActive
	if k == curp {
		main = fCURPFound
	}
	failed := false
	if field.Present(code) {
		n, ok := field.Number(code)
		switch {
		case !ok:
			rd.Unreadable(main, code, "data.code", "number")
			failed = true
		case n < 200 || n >= 300:
			out.Unreadable(main, p.Offset+code.Index, "data.code", "the registry answered code "+strconv.FormatFloat(n, 'f', -1, 64)+", not a result")
			failed = true
		}
	}
	if k == ine {
		rd.String(fStatus, status, "data.status")
		if field.Present(details) && !details.IsObject() {
			rd.Unreadable(fActive, details, "data.details", "object")
			return nil
		}
		if !failed && details.IsObject() {
			readINE(rd, details, p.Offset, &webhookNames)
		}
		return nil
	}
	if !failed {
		readCURPStatus(rd, status)
	}
	if field.Present(details) && !details.IsObject() {
		rd.Unreadable(fCURPStatus, details, "data.details", "object")
		return nil
	}
	if failed || !details.IsObject() {
		return nil
	}
	var id engine.Identity
	details.ForEach(func(key, v gjson.Result) bool {
		switch key.Str {
		case "statusCurp":
			readCURPCode(rd, v)
		case "description":
			rd.String(fCURPDescription, v, "data.details.description")
		case "curp":
			if s, ok := field.String(v); ok && strings.TrimSpace(s) != "" {
				id.CURP = strings.ToUpper(strings.TrimSpace(s))
			} else if field.Present(v) {
				out.Warn(p.Offset+v.Index, "data.details.curp: expected a string")
			}
		}
		return true
	})
	if id.CURP != "" {
		id.Source = provider + ".curp_registry"
		out.Identity(id)
	}
	return nil
}

// readINE reads active and documentState of one INE answer (the bare API
// answer, or the webhook's data.details) and derives data_found.
func readINE(rd field.Reader, obj gjson.Result, base int, n *names) {
	out := rd.Sink
	var active, state gjson.Result
	obj.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "active":
			active = v
		case "documentState":
			state = v
		}
		return true
	})
	isActive, haveActive := false, false
	if field.Present(active) {
		if b, ok := field.Bool(active); ok {
			isActive, haveActive = b, true
			rd.Merge(fActive, engine.BoolValue(b), active, n.active)
		} else {
			rd.Unreadable(fActive, active, n.active, "bool")
		}
	}
	noData := false
	if rd.String(fDocumentState, state, n.documentState) {
		noData = noDataFound(state.Str)
	}
	switch {
	case noData && haveActive && isActive:
		out.Conflict(fDataFound, base+state.Index, n.documentState, "documentState says no data was obtained, but active is true")
		out.Warn(base+state.Index, n.documentState+": says no data was obtained, but active is true")
	case noData:
		rd.Merge(fDataFound, engine.BoolValue(false), state, n.documentState)
	case haveActive && isActive:
		rd.Merge(fDataFound, engine.BoolValue(true), active, n.active)
	}
}

// readCURPStatus reads the CURP webhook's data.status: found or not_found.
func readCURPStatus(rd field.Reader, v gjson.Result) {
	if !field.Present(v) {
		return
	}
	if v.Type != gjson.String {
		rd.Unreadable(fCURPFound, v, "data.status", "string")
		return
	}
	switch strings.ToLower(strings.TrimSpace(v.Str)) {
	case "found":
		rd.Merge(fCURPFound, engine.BoolValue(true), v, "data.status")
	case "not_found", "not found", "notfound":
		rd.Merge(fCURPFound, engine.BoolValue(false), v, "data.status")
	default:
		rd.Sink.Unreadable(fCURPFound, rd.Base+v.Index, "data.status", "undocumented value "+excerpt(v.Raw)+" (want found or not_found)")
	}
}

// readCURPCode reads statusCurp, one of RENAPO's status codes.
func readCURPCode(rd field.Reader, v gjson.Result) {
	if !field.Present(v) {
		return
	}
	if v.Type != gjson.String {
		rd.Unreadable(fCURPStatus, v, "data.details.statusCurp", "string")
		return
	}
	s := strings.TrimSpace(v.Str)
	for _, c := range curpStatuses {
		if strings.EqualFold(s, c) {
			rd.Merge(fCURPStatus, engine.StringValue(c), v, "data.details.statusCurp")
			return
		}
	}
	rd.Sink.Unreadable(fCURPStatus, rd.Base+v.Index, "data.details.statusCurp", "not a RENAPO status code: "+excerpt(v.Raw))
}

// excerpt shortens a raw JSON value for a message.
func excerpt(raw string) string {
	if len(raw) > 40 {
		return raw[:40] + "…"
	}
	return raw
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
