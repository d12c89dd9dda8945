package checker

import (
	"maps"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsPath serves the checker's metrics in the Prometheus text format,
// next to the health details: on the gateway listener, or on the one
// listener that serves everything. Never where callers reach a proxy.
const MetricsPath = "/_flowgate/metrics"

// decisionBuckets are the latency histogram's bounds, in seconds: a
// decision takes about a microsecond, so the classic buckets (from 5 ms)
// would put every one in the first.
var decisionBuckets = []float64{1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 1e-3, 1e-2, 0.1}

// metrics is what the checker counts for Prometheus. The request path only
// touches atomics: calls are counted in per-workflow arrays found by one
// lock-free map lookup (see callCounter) and turned into series when
// scraped, so counting a call allocates nothing.
type metrics struct {
	calls      *callCounter
	latency    prometheus.Histogram
	reloads    prometheus.Counter
	pollErrors prometheus.Counter
	// currentAt is when the settings in force were last known to be the
	// database's (loaded, or a poll found no change), in Unix nanoseconds.
	currentAt atomic.Int64
	handler   http.Handler
}

// newMetrics registers the checker's metrics in reg and serves reg. It
// panics if reg already holds them: a registry serves one Checker.
func newMetrics(reg *prometheus.Registry, c *Checker) *metrics {
	m := &metrics{
		calls: newCallCounter(),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "flowgate_decision_duration_seconds",
			Help:    "Time from a call's arrival to its decision (credential, lookups, rules), before any forwarding.",
			Buckets: decisionBuckets}),
		reloads: prometheus.NewCounter(prometheus.CounterOpts{Name: "flowgate_reloads_total",
			Help: "Settings snapshots loaded after the first, because the database changed or was replaced."}),
		pollErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "flowgate_reload_errors_total",
			Help: "Polls or reloads of the database that failed; the last good settings stay in force."}),
	}
	reg.MustRegister(m.calls, m.latency, m.reloads, m.pollErrors,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "flowgate_settings_generation",
			Help: "Generation of the settings in force (-1 before the first load)."},
			func() float64 { return float64(c.Generation()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "flowgate_snapshot_age_seconds",
			Help: "Seconds since the settings in force were last known to be the database's (a load, or a poll that found no change); +Inf before the first load. It stays under the poll interval while the database can be read."},
			m.snapshotAge),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "flowgate_calls_dropped_total",
			Help: "Calls the call log could not queue or write (they still got their answer and access line)."},
			func() float64 {
				if c.calls == nil {
					return 0
				}
				return float64(c.calls.Dropped())
			}))
	// A scrape is cheap, but the gateway listener is shared with the
	// forward-auth endpoints: a flood of scrapes is answered 503.
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{MaxRequestsInFlight: 4, Timeout: 10 * time.Second})
	return m
}

// record counts one finished call. Labels are bounded whatever the caller
// sent: the workflow label is a stored name only when the workflow exists
// in the snapshot, the protected prefix of a file call (as the call log
// counts it, see callSubject), else "-"; the status one of statusLabels, the entry point
// one of entryPoints.
func (m *metrics) record(via string, res *Result) {
	if m == nil {
		return
	}
	workflow := callSubject(res) // a stored name or prefix, from the snapshot
	decision := 0
	if res.Allowed {
		decision = 1
	}
	m.calls.of(workflow)[viaSlot(via)][decision][statusSlot(res.Status)].Add(1)
	m.latency.Observe(res.decided.Seconds())
}

// timeDecision notes in res how long its decision took, for the latency
// histogram. Without metrics it reads no clock.
func (c *Checker) timeDecision(res *Result, start time.Time) {
	if c.metrics != nil {
		res.decided = time.Since(start)
	}
}

// loaded notes a snapshot made current; reload is false for the first.
func (m *metrics) loaded(reload bool) {
	if m == nil {
		return
	}
	m.currentAt.Store(time.Now().UnixNano())
	if reload {
		m.reloads.Inc()
	}
}

// polled notes the outcome of one watch poll (see Watch).
func (m *metrics) polled(err error) {
	switch {
	case m == nil:
	case err != nil:
		m.pollErrors.Inc()
	default:
		m.currentAt.Store(time.Now().UnixNano())
	}
}

func (m *metrics) snapshotAge() float64 {
	at := m.currentAt.Load()
	if at == 0 {
		return math.Inf(1)
	}
	return time.Since(time.Unix(0, at)).Seconds()
}

// entryPoints are the via label's values; viaSlot maps anything else
// (there is nothing else) to "-", the last slot.
var entryPoints = [...]string{"proxy", "middleware", "auth", "nginx-auth", noValue}

func viaSlot(via string) int {
	switch via {
	case "proxy":
		return 0
	case "middleware":
		return 1
	case "auth":
		return 2
	case "nginx-auth":
		return 3
	}
	return len(entryPoints) - 1
}

// labelledStatuses are the statuses counted under their own number: those
// flowgate answers itself and the ones upstreams commonly send. Any other
// status an upstream sends is counted under its class ("4xx"); one outside
// 100-599 under "-". An upstream (or a caller steering it) cannot add
// series.
var labelledStatuses = [...]int{200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308,
	400, 401, 403, 404, 405, 408, 409, 410, 412, 413, 415, 422, 429,
	500, 502, 503, 504}

// statusLabels are the status label's values by slot: "-", the classes,
// then labelledStatuses. statusSlots maps a status (0-599) to its slot.
var statusLabels, statusSlots = buildStatusSlots()

const numStatusSlots = 1 + 5 + len(labelledStatuses)

func buildStatusSlots() ([numStatusSlots]string, [600]uint8) {
	var labels [numStatusSlots]string
	var slots [600]uint8
	labels[0] = noValue
	for class := 1; class <= 5; class++ {
		labels[class] = strconv.Itoa(class) + "xx"
		for s := class * 100; s < class*100+100; s++ {
			slots[s] = uint8(class)
		}
	}
	for i, s := range labelledStatuses {
		labels[6+i] = strconv.Itoa(s)
		slots[s] = uint8(6 + i)
	}
	return labels, slots
}

func statusSlot(status int) int {
	if status < 0 || status >= len(statusSlots) {
		return 0
	}
	return int(statusSlots[status])
}

var decisionLabels = [2]string{"deny", "allow"}

// workflowCalls are one workflow's call counts by entry point, decision
// and status slot.
type workflowCalls [len(entryPoints)][2][numStatusSlots]atomic.Uint64

// callCounter is flowgate_calls_total: a Prometheus collector over
// per-workflow count arrays. The map from workflow name to its array is
// replaced whole (copy on write) when a workflow is first called, so
// counting is a lock-free lookup; names are stored ones or "-", so the
// map holds at most the workflows that existed while the process ran.
type callCounter struct {
	desc       *prometheus.Desc
	mu         sync.Mutex // serialises adding a workflow
	byWorkflow atomic.Pointer[map[string]*workflowCalls]
}

func newCallCounter() *callCounter {
	c := &callCounter{desc: prometheus.NewDesc("flowgate_calls_total",
		"Calls decided, by workflow (the protected prefix for a file, \"-\" for a name that is no workflow), decision, status sent and entry point.",
		[]string{"workflow", "decision", "status", "via"}, nil)}
	c.byWorkflow.Store(&map[string]*workflowCalls{})
	return c
}

// of is workflow's counts, added on first use.
func (c *callCounter) of(workflow string) *workflowCalls {
	if wc, ok := (*c.byWorkflow.Load())[workflow]; ok {
		return wc
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := *c.byWorkflow.Load()
	if wc, ok := old[workflow]; ok {
		return wc
	}
	next := make(map[string]*workflowCalls, len(old)+1)
	maps.Copy(next, old)
	wc := new(workflowCalls)
	next[workflow] = wc
	c.byWorkflow.Store(&next)
	return wc
}

// Describe implements prometheus.Collector.
func (c *callCounter) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector: one series per combination
// that has been counted.
func (c *callCounter) Collect(ch chan<- prometheus.Metric) {
	for name, wc := range *c.byWorkflow.Load() {
		for via := range wc {
			for decision := range wc[via] {
				for slot := range wc[via][decision] {
					if n := wc[via][decision][slot].Load(); n > 0 {
						ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(n),
							name, decisionLabels[decision], statusLabels[slot], entryPoints[via])
					}
				}
			}
		}
	}
}
