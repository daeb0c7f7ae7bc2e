package server_test

import (
	"bytes"
	"encoding/json"
	"mime"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/veredicto/veredicto/cmd/internal/server"
	"github.com/veredicto/veredicto/cmd/internal/store/storetest"
)

const docURL = "https://veredicto.test/openapi.json"

// apiDoc is the OpenAPI document the server serves, with its schemas
// compiled by a JSON Schema 2020-12 validator.
type apiDoc struct {
	t     *testing.T
	raw   map[string]any
	c     *jsonschema.Compiler
	cache map[string]*jsonschema.Schema
	used  map[string]bool // operations exercised: "METHOD PATH"
}

func loadDoc(t *testing.T, e *env) *apiDoc {
	r := e.do("GET", "/openapi.json", nil)
	if r.status != 200 {
		t.Fatalf("/openapi.json: %d", r.status)
	}
	var raw map[string]any
	if err := json.Unmarshal(r.body, &raw); err != nil || raw["openapi"] != "3.1.0" {
		t.Fatalf("/openapi.json: %v %v", err, raw["openapi"])
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(docURL, doc); err != nil {
		t.Fatal(err)
	}
	return &apiDoc{t: t, raw: raw, c: c, cache: map[string]*jsonschema.Schema{}, used: map[string]bool{}}
}

// schema compiles the schema of content (a $ref to a component).
func (d *apiDoc) schema(where string, content map[string]any, ctype string) *jsonschema.Schema {
	d.t.Helper()
	media, _ := content[ctype].(map[string]any)
	if media == nil {
		d.t.Fatalf("%s: no %s content documented", where, ctype)
	}
	sch, _ := media["schema"].(map[string]any)
	ref, _ := sch["$ref"].(string)
	if ref == "" {
		if ctype != "application/json" && ctype != "application/problem+json" {
			return nil // text: not JSON
		}
		d.t.Fatalf("%s: a schema must be a $ref to a component", where)
	}
	if s := d.cache[ref]; s != nil {
		return s
	}
	s, err := d.c.Compile(docURL + ref)
	if err != nil {
		d.t.Fatalf("%s: %v", where, err)
	}
	d.cache[ref] = s
	return s
}

// operation finds the documented operation of a request path.
func (d *apiDoc) operation(method, path string) (string, map[string]any) {
	paths := d.raw["paths"].(map[string]any)
	var keys []string
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return strings.Count(keys[i], "{") < strings.Count(keys[j], "{") })
	for _, tmpl := range keys {
		if matchTemplate(tmpl, path) {
			if op, ok := paths[tmpl].(map[string]any)[strings.ToLower(method)].(map[string]any); ok {
				return method + " " + tmpl, op
			}
			return "", nil
		}
	}
	return "", nil
}

// matchTemplate reports whether path fits an OpenAPI path template, a
// {name} standing for one non-empty segment.
func matchTemplate(tmpl, path string) bool {
	ts, ps := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if strings.HasPrefix(ts[i], "{") && strings.HasSuffix(ts[i], "}") {
			if ps[i] == "" {
				return false
			}
		} else if ts[i] != ps[i] {
			return false
		}
	}
	return true
}

// check validates one exchange against the document: the request body
// against the operation's, the status among its responses, the answer's
// body against that response's schema. Requests to no operation (unknown
// routes, other methods) must be answered with a Problem.
func (d *apiDoc) check(method, path string, reqBody []byte, reqType string, r reply) {
	d.t.Helper()
	u := path
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	name, op := d.operation(method, u)
	ctype, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
	var sch *jsonschema.Schema
	if op == nil {
		if ctype != "application/problem+json" || (r.status != 404 && r.status != 405) {
			d.t.Errorf("%s %s: undocumented route answered %d %s", method, path, r.status, ctype)
			return
		}
		resp := d.raw["components"].(map[string]any)["responses"].(map[string]any)["Problem"].(map[string]any)
		sch = d.schema(method+" "+path, resp["content"].(map[string]any), ctype)
	} else {
		d.used[name] = true
		if rb, ok := op["requestBody"].(map[string]any); ok && len(reqBody) > 0 && reqType == "application/json" {
			if rs := d.schema(name+" request", rb["content"].(map[string]any), reqType); rs != nil {
				d.validate(name+" request", rs, reqBody)
			}
		}
		resp, ok := op["responses"].(map[string]any)[strconv.Itoa(r.status)].(map[string]any)
		if !ok {
			d.t.Errorf("%s: status %d is not documented (%s)", name, r.status, r.body)
			return
		}
		if ref, _ := resp["$ref"].(string); ref != "" {
			resp = d.raw["components"].(map[string]any)["responses"].(map[string]any)[strings.TrimPrefix(ref, "#/components/responses/")].(map[string]any)
		}
		sch = d.schema(name+" "+strconv.Itoa(r.status), resp["content"].(map[string]any), ctype)
	}
	if sch != nil {
		d.validate(method+" "+path+" "+strconv.Itoa(r.status), sch, r.body)
	}
}

func (d *apiDoc) validate(where string, s *jsonschema.Schema, body []byte) {
	d.t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		d.t.Errorf("%s: not JSON: %v", where, err)
		return
	}
	if err := s.Validate(v); err != nil {
		d.t.Errorf("%s: does not match the document: %v\n%.300s", where, err, body)
	}
}

// TestOpenAPIRoutes: every route the server registers, in every
// configuration, is in the document, and every documented operation is
// served.
func TestOpenAPIRoutes(t *testing.T) {
	served := map[string]bool{}
	for _, opts := range [][]option{nil, {withPreventorKey}, {func(c *server.Config) { c.MetricsAddr = "127.0.0.1:0" }}} {
		e := start(t, storetest.SQLite(t), opts...)
		for _, r := range server.Routes(e.srv) {
			served[r] = true
		}
	}
	d := loadDoc(t, start(t, storetest.SQLite(t)))
	documented := map[string]bool{}
	for path, item := range d.raw["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	for r := range served {
		if !documented[r] {
			t.Errorf("%s is served but not documented", r)
		}
	}
	for r := range documented {
		if !served[r] {
			t.Errorf("%s is documented but not served", r)
		}
	}
}

// TestOpenAPIExchanges drives the real handlers with valid and invalid
// requests and checks every request and answer against the document.
func TestOpenAPIExchanges(t *testing.T) {
	e := start(t, storetest.SQLite(t), withMaxBody(64<<10), withKeys(apiKey, "auditor:"+auditorKey+":read-decisions+read-personal-data", "reader:"+readerKey+":read-decisions"))
	ep := start(t, storetest.SQLite(t), withPreventorKey)
	d := loadDoc(t, e)
	key := bearer(apiKey)
	doc := fixture(t, "cases/mx_full_approved.json")
	jaak := fixture(t, "jaak/ofac_found.json")
	veriff := fixture(t, "veriff/mx_ine_db_verification.json")
	preventor := fixture(t, "preventor/completed.json")
	encBody, iv, err := server.EncryptPreventor(preventorKey, bytes.Repeat([]byte{9}, 16), preventor)
	if err != nil {
		t.Fatal(err)
	}
	spoiled := bytes.Replace(fixture(t, "veriff/adv_array_multi.json"), []byte(`"validUntil": "`), []byte(`"validUntil": "soon`), 1)
	invitation, err := os.ReadFile("../../../normalizers/preventor/testdata/invitation_completed.json")
	if err != nil {
		t.Fatal(err)
	}
	encInvitation, _, err := server.EncryptPreventor(preventorKey, bytes.Repeat([]byte{9}, 16), invitation)
	if err != nil {
		t.Fatal(err)
	}
	event := []byte(`{"id":"f04bdb47-d3be-4b28-b028-a652feb060b5","attemptId":"e30122d1-740b-4764-853f-470374a7abf4","feature":"selfid","code":7002,"action":"submitted","vendorData":"1234567890"}`)
	type ex struct {
		e       *env
		method  string
		path    string
		body    []byte
		ctype   string
		headers []string
	}
	j := "application/json"
	exchanges := []ex{
		{e, "POST", "/v1/decisions", doc, j, key},
		{e, "POST", "/v1/decisions?trace=true&as_of=2030-01-01", doc, j, key},
		{e, "POST", "/v1/decisions?trace=maybe", doc, j, key},
		{e, "POST", "/v1/decisions", []byte(`{"hello": 1}`), j, key},
		{e, "POST", "/v1/decisions", doc, j, nil},
		{e, "POST", "/v1/decisions", doc, j, bearer(readerKey)},
		{e, "POST", "/v1/decisions", bytes.Repeat([]byte(" "), 65<<10), "", key},
		{e, "POST", "/v1/decisions?store=true", doc, j, key},
		{e, "POST", "/v1/decisions?store=true", jaak, j, key},
		{e, "POST", "/v1/cases/c1/results?provider=jaak&kind=ofac", jaak, j, key},
		{e, "POST", "/v1/cases/c1/results?provider=jaak&kind=ofac", jaak, j, key},
		{e, "POST", "/v1/cases/c1/results", []byte(`{"results": [{"provider": "jaak", "payload": {}}], "case_id": "other"}`), j, key},
		{e, "POST", "/v1/cases/c1/results?provider=jaak", []byte(`{"results": []}`), j, key},
		{e, "POST", "/v1/cases/c1/decide", nil, "", key},
		// Warnings, located in the stored result.
		{e, "POST", "/v1/cases/c1/results", spoiled, j, key},
		{e, "POST", "/v1/decisions", spoiled, j, key},
		{e, "POST", "/v1/cases/none/decide", nil, "", key},
		{e, "GET", "/v1/cases/app-000123", nil, "", key},
		{e, "GET", "/v1/cases/app-000123?limit=2", nil, "", key},
		{e, "GET", "/v1/cases/app-000123?limit=2&after=h2.r2", nil, "", key},
		{e, "GET", "/v1/cases/app-000123?include=payloads&limit=3", nil, "", bearer(auditorKey)},
		{e, "GET", "/v1/cases/app-000123?include=payloads", nil, "", key},
		{e, "GET", "/v1/cases/app-000123?after=zzz", nil, "", key},
		{e, "GET", "/v1/cases/none", nil, "", key},
		{e, "GET", "/v1/policy", nil, "", key},
		{e, "GET", "/v1/policy", nil, "", nil},
		{e, "GET", "/v1/facts", nil, "", key},
		{e, "GET", "/metrics", nil, "", key},
		{e, "GET", "/metrics", nil, "", nil},
		{e, "POST", "/v1/webhooks/veriff", veriff, j, signed(veriff)},
		{e, "POST", "/v1/webhooks/veriff", veriff, j, signed(veriff)},
		{e, "POST", "/v1/webhooks/veriff", event, j, signed(event)},
		{e, "POST", "/v1/webhooks/veriff", veriff, j, nil},
		{e, "POST", "/v1/webhooks/veriff", preventor, j, signed(preventor)},
		{e, "POST", "/v1/webhooks/preventor", preventor, j, key},
		{e, "POST", "/v1/webhooks/preventor", preventor, j, bearer(readerKey)},
		{e, "POST", "/v1/webhooks/preventor", []byte(`{}`), j, key},
		{e, "POST", "/v1/webhooks/preventor", invitation, j, key},
		{ep, "POST", "/v1/webhooks/preventor/" + preventorToken, []byte(encInvitation), "text/plain", []string{server.PreventorIVHeader, iv}},
		{ep, "POST", "/v1/webhooks/preventor/" + preventorToken, []byte(encBody), "text/plain", []string{server.PreventorIVHeader, iv}},
		{ep, "POST", "/v1/webhooks/preventor/" + preventorToken, []byte("AAAA"), "text/plain", []string{server.PreventorIVHeader, iv}},
		{ep, "POST", "/v1/webhooks/preventor/wrong", []byte(encBody), "text/plain", []string{server.PreventorIVHeader, iv}},
		{ep, "POST", "/v1/webhooks/preventor", []byte(encBody), "text/plain", nil},
		{e, "GET", "/healthz", nil, "", nil},
		{e, "GET", "/readyz", nil, "", nil},
		{e, "GET", "/openapi.json", nil, "", nil},
		{e, "GET", "/v1/nothing", nil, "", key},
		{e, "DELETE", "/v1/cases/x", nil, "", key},
	}
	for _, x := range exchanges {
		h := x.headers
		if x.ctype != "" {
			h = append([]string{"Content-Type", x.ctype}, h...)
		}
		r := x.e.do(x.method, x.path, x.body, h...)
		d.check(x.method, x.path, x.body, x.ctype, r)
	}
	// 503s: a closed store, for the operations that use it.
	es := start(t, storetest.SQLite(t))
	_ = es.st.Close()
	for _, x := range []ex{
		{es, "GET", "/readyz", nil, "", nil},
		{es, "GET", "/v1/cases/x", nil, "", key},
		{es, "POST", "/v1/cases/x/results", veriff, j, key},
		{es, "POST", "/v1/webhooks/veriff", veriff, j, signed(veriff)},
	} {
		r := x.e.do(x.method, x.path, x.body, x.headers...)
		if r.status != 503 {
			t.Errorf("%s %s with a closed store: %d", x.method, x.path, r.status)
		}
		d.check(x.method, x.path, x.body, x.ctype, r)
	}
	var missed []string
	for path, item := range d.raw["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			if op := strings.ToUpper(method) + " " + path; !d.used[op] {
				missed = append(missed, op)
			}
		}
	}
	slices.Sort(missed)
	if len(missed) > 0 {
		t.Errorf("operations never exercised: %v", missed)
	}
}
