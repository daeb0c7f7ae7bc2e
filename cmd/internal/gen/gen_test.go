package gen

import (
	"bytes"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/veredicto/veredicto/engine"
	"github.com/veredicto/veredicto/normalizers"
	_ "github.com/veredicto/veredicto/normalizers/all"
	"github.com/veredicto/veredicto/rules"
)

func generate(t testing.TB, cfg Config) ([]byte, *Generator) {
	t.Helper()
	var b bytes.Buffer
	g, err := Generate(&b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), g
}

// TestDeterministic: the same configuration gives the same bytes; another
// seed gives other bytes.
func TestDeterministic(t *testing.T) {
	for _, mix := range []Mix{MixMixed, MixSingle, MixFull} {
		cfg := Config{Seed: 42, Count: 1500, Mix: mix, Malformed: 0.02}
		a, _ := generate(t, cfg)
		b, _ := generate(t, cfg)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs with seed 42 differ", mix)
		}
		cfg.Seed = 43
		c, _ := generate(t, cfg)
		if bytes.Equal(a, c) {
			t.Errorf("%s: seeds 42 and 43 give the same output", mix)
		}
		if n := bytes.Count(a, []byte("\n")); n != 1500 {
			t.Errorf("%s: %d lines, want 1500", mix, n)
		}
	}
}

// TestLinesAreCases: every line that was not made malformed is a case the
// normalizers read without error; the malformed ones are all rejected.
func TestLinesAreCases(t *testing.T) {
	f := engine.NewFacts(normalizers.Catalog())
	for _, mix := range []Mix{MixMixed, MixSingle, MixFull} {
		g := New(Config{Seed: 7, Mix: mix, Malformed: 0.05})
		var line []byte
		bad := 0
		for i := range 4000 {
			before := g.Counts["malformed"]
			line = g.Line(line[:0])
			malformed := g.Counts["malformed"] > before
			if bytes.IndexByte(line, '\n') >= 0 {
				t.Fatalf("%s line %d holds a newline", mix, i+1)
			}
			err := normalizers.Normalize(line, f, normalizers.Options{})
			switch {
			case malformed && err == nil:
				t.Errorf("%s line %d was made malformed but reads: %.200s", mix, i+1, line)
			case !malformed && err != nil:
				t.Errorf("%s line %d: %v\n%.300s", mix, i+1, err, line)
			}
			// A JAAK timeout is inconclusive by design: its warnings say so.
			if !malformed && len(f.Warnings) > 0 && !bytes.Contains(line, []byte(`"Service unavailable, timeout"`)) {
				t.Errorf("%s line %d: warnings %v", mix, i+1, f.Warnings)
			}
			if malformed {
				bad++
			}
		}
		if bad < 120 || bad > 290 {
			t.Errorf("%s: %d malformed lines of 4000 at 5%%", mix, bad)
		}
	}
}

// TestShapes: the awkward shapes of the providers' payloads all occur.
func TestShapes(t *testing.T) {
	out, g := generate(t, Config{Seed: 3, Count: 6000, Mix: MixMixed, Malformed: 0.01})
	text := string(out)
	for _, shape := range []string{
		`"verification":null`, `{"status":"fail","code":"`, `"additionalVerifiedData":[{`, `"additionalVerifiedData":{"`,
		`"additionalVerifiedData":[]`, `"code":"9`, `"status":"review"`, `"status":"abandoned"`, `"code":9121`,
		`"status":"declined"`, `"reasonCode":126`, `"status":"resubmission_requested"`, `"riskLabels":[{`,
		`"faceMatchPercentage":"`, `"curpStatus":"BD"`, `"registryResponse":null`,
		`"event":"ticket.verification.in_progress"`, `"event":"ticket.verification.completed"`, `"disposition":"RETRY"`,
		`"flow_status":"REJECTED"`, `"confidence_score":"`, `"status":null,"confidence_score":null`,
		`"active":false`, `"active":"true"`,
		`"foundInService":true,"mustBeFound":false`, `"foundInService":false,"mustBeFound":true`, `"foundInService":false}`,
		`"organization":"OFAC"`, `"kind":"sat69b"`, `"kind":"cdc"`,
		`"label":null`, `"label":"Review"`, `"label":"Potential Threat"`, `"seen_different_companies":"`,
		`"selfie":null,"face_match":null`, `"error":"CURP no encontrada"`, `"deceased":true`, `"is_valid":"invalid"`,
		`"received_at":"`,
	} {
		if !strings.Contains(text, shape) {
			t.Errorf("no line has %s", shape)
		}
	}
	for _, k := range []string{"veriff", "veriff_ine", "trully", "preventor", "jaak", "full", "partial", "malformed"} {
		if g.Counts[k] < 40 {
			t.Errorf("only %d lines of kind %s: %v", g.Counts[k], k, g.Counts)
		}
	}
}

// TestCURPs: generated CURPs are well formed with valid check digits, but
// for a few.
func TestCURPs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		p := newPerson(r, epoch, 18+r.IntN(60), false)
		if !normalizers.CURPWellFormed(p.curp) || !normalizers.CURPCheckDigitValid(p.curp) {
			t.Fatalf("%s (%s): well formed %v, check digit %v", p.curp, p.fullName(),
				normalizers.CURPWellFormed(p.curp), normalizers.CURPCheckDigitValid(p.curp))
		}
		q := newPerson(r, epoch, 30, true)
		if !normalizers.CURPWellFormed(q.curp) || normalizers.CURPCheckDigitValid(q.curp) {
			t.Fatalf("%s should be well formed with a wrong check digit", q.curp)
		}
	}
	// Known CURP: RENAPO's rules for a compound name and a particle.
	given, sur := entries([]string{"MARIA DEL CARMEN"}, true), entries([]string{"DE LA CRUZ", "NUÑEZ"}, false)
	p := person{given: &given[0], pat: &sur[0], mat: &sur[1], dob: time.Date(1970, 9, 23, 0, 0, 0, 0, time.UTC), state: 19}
	if got := curpOf(&p, rand.New(rand.NewPCG(0, 0)), false); got[:16] != "CUNC700923MOCRXR" {
		t.Errorf("CURP %s, want CUNC700923MOCRXR..", got)
	}

	// In generated full cases, the case's CURP check digit is valid in most
	// cases and invalid in some.
	f := engine.NewFacts(normalizers.Catalog())
	g := New(Config{Seed: 11, Mix: MixFull})
	valid, invalid := 0, 0
	var line []byte
	for range 3000 {
		line = g.Line(line[:0])
		if err := normalizers.Normalize(line, f, normalizers.Options{}); err != nil {
			t.Fatal(err)
		}
		switch v, _ := f.Lookup("case.curp.check_digit_valid"); {
		case v.True():
			valid++
		case v.False():
			invalid++
		}
	}
	if share := float64(invalid) / float64(valid+invalid); share < 0.005 || share > 0.05 {
		t.Errorf("%d valid, %d invalid check digits", valid, invalid)
	}
}

// outcomes decides generated lines under a policy.
func outcomes(t *testing.T, p *engine.Policy, cfg Config) map[engine.Outcome]int {
	t.Helper()
	f := engine.NewFacts(normalizers.Catalog())
	g := New(cfg)
	got := map[engine.Outcome]int{}
	var line []byte
	for range cfg.Count {
		line = g.Line(line[:0])
		if err := normalizers.Normalize(line, f, normalizers.Options{}); err != nil {
			continue
		}
		got[p.Evaluate(f).Outcome]++
	}
	return got
}

// TestOutcomeMix: approve, review and reject are all frequent, under the
// batch tests' policy and under the standard policy when it is there.
func TestOutcomeMix(t *testing.T) {
	paths := []string{"../batch/testdata/onboarding.yaml", "../../../policies/mx-onboarding.yaml"}
	for _, path := range paths {
		if _, err := os.Stat(path); err != nil {
			t.Logf("%s: %v (skipped)", path, err)
			continue
		}
		p, err := rules.Load(path, normalizers.Catalog())
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, mix := range []Mix{MixMixed, MixFull} {
			cfg := Config{Seed: 5, Count: 4000, Mix: mix}
			got := outcomes(t, p, cfg)
			for _, o := range []engine.Outcome{engine.Approve, engine.Review, engine.Reject} {
				if share := float64(got[o]) / float64(cfg.Count); share < 0.10 {
					t.Errorf("%s, %s: %s only %.1f%% (%v)", path, mix, o, 100*share, got)
				}
			}
			t.Logf("%s, %s: %v", path, mix, got)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, mix := range []Mix{MixSingle, MixFull, MixMixed} {
		b.Run(mix.String(), func(b *testing.B) {
			g := New(Config{Seed: 1, Mix: mix, Malformed: 0.01})
			var line []byte
			bytes := 0
			for b.Loop() {
				line = g.Line(line[:0])
				bytes += len(line) + 1
			}
			b.SetBytes(int64(bytes / b.N))
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

// TestSample: the shipped sample is what its documented command generates.
func TestSample(t *testing.T) {
	want, err := os.ReadFile("../../../fixtures/sample/cases.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := generate(t, Config{Seed: 1, Count: 1000, Mix: MixMixed, Malformed: 0.01})
	if !bytes.Equal(got, want) {
		t.Error("fixtures/sample/cases.jsonl differs from `veredicto generate --seed 1 --count 1000`; regenerate it (see fixtures/sample/README.md)")
	}
}
