package server

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/veredicto/veredicto/engine"
)

// Where a decision was asked for, the "source" label of decisions_total.
const (
	sourceAPI     = iota // POST /v1/decisions without storage
	sourceCase           // a result added through the API, or a re-decision
	sourceWebhook        // a provider's webhook
	numSources
)

var sourceNames = [numSources]string{"api", "case", "webhook"}

// metrics are the service's Prometheus collectors, in a registry of its own.
type metrics struct {
	reg *prometheus.Registry

	decisions    [numSources][engine.Reject + 1]prometheus.Counter
	ruleFires    *prometheus.CounterVec
	fireCache    sync.Map // rule id → prometheus.Counter
	requests     *prometheus.HistogramVec
	decisionTime prometheus.Histogram

	policyInfo     *prometheus.GaugeVec
	policyLoadedAt prometheus.Gauge
	reloads        prometheus.Counter
	reloadErrors   prometheus.Counter

	webhookFailures *prometheus.CounterVec
	webhooks        *prometheus.CounterVec
	storeErrors     *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	decisions := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "veredicto_decisions_total",
		Help: "Decisions made, by outcome and by where they were asked for (api, case, webhook).",
	}, []string{"outcome", "source"})
	for s, src := range sourceNames {
		for o := engine.Approve; o <= engine.Reject; o++ {
			m.decisions[s][o] = decisions.WithLabelValues(o.String(), src)
		}
	}
	m.ruleFires = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "veredicto_rule_fires_total",
		Help: "Rules and scores that contributed an outcome to a decision, shadow ones included.",
	}, []string{"rule"})
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "veredicto_http_request_duration_seconds",
		Help:    "Time to serve an HTTP request, by method, route pattern (never the raw path) and status code.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"method", "route", "code"})
	m.decisionTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "veredicto_decision_duration_seconds",
		Help:    "Time to normalize a case and evaluate the policy on it.",
		Buckets: []float64{.00001, .000025, .00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025},
	})
	m.policyInfo = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "veredicto_policy_info",
		Help: "The policy that decides now: 1 for its name, version and sha256.",
	}, []string{"policy", "version", "hash"})
	m.policyLoadedAt = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "veredicto_policy_loaded_timestamp_seconds",
		Help: "When the policy that decides now was loaded (Unix time).",
	})
	m.reloads = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "veredicto_policy_reloads_total",
		Help: "Policy reloads that replaced the policy.",
	})
	m.reloadErrors = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "veredicto_policy_reload_errors_total",
		Help: "Policy reloads that failed: the previous policy kept deciding.",
	})
	m.webhookFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "veredicto_webhook_verification_failures_total",
		Help: "Webhooks refused before storage because their signature or encryption did not verify, by provider and reason.",
	}, []string{"provider", "reason"})
	m.webhooks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "veredicto_webhooks_total",
		Help: "Webhooks received, by provider and result: stored, duplicate, ignored or rejected.",
	}, []string{"provider", "result"})
	m.storeErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "veredicto_store_errors_total",
		Help: "Store operations that failed, by operation.",
	}, []string{"op"})
	m.reg.MustRegister(decisions, m.ruleFires, m.requests, m.decisionTime, m.policyInfo, m.policyLoadedAt,
		m.reloads, m.reloadErrors, m.webhookFailures, m.webhooks, m.storeErrors,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// decided counts one decision and the rules that fired in it.
func (m *metrics) decided(source int, d *engine.Decision) {
	if d.Outcome >= engine.Approve && d.Outcome <= engine.Reject {
		m.decisions[source][d.Outcome].Inc()
	}
	for _, rs := range [2][]engine.Reason{d.Reasons, d.Shadow} {
		for i := range rs {
			if k := rs[i].Kind; k == engine.KindRule || k == engine.KindScore {
				m.fired(rs[i].Rule)
			}
		}
	}
}

func (m *metrics) fired(rule string) {
	c, ok := m.fireCache.Load(rule)
	if !ok {
		c, _ = m.fireCache.LoadOrStore(rule, m.ruleFires.WithLabelValues(rule))
	}
	c.(prometheus.Counter).Inc()
}

// decidedStored counts a decision made inside a store transaction, once
// the transaction committed.
func (m *metrics) decidedStored(source int, d made) {
	if d.outcome >= engine.Approve && d.outcome <= engine.Reject {
		m.decisions[source][d.outcome].Inc()
	}
	for _, id := range d.fired {
		m.fired(id)
	}
}
