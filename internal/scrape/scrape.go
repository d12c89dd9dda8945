// Package scrape reads flowgate's /_flowgate/metrics the way Prometheus
// does, with Prometheus's own text parser, so tests of the checker and of
// `flowgate serve` assert on series rather than on bytes of text.
package scrape

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Metrics are one scrape: every family by name, and the text as served.
type Metrics struct {
	Families map[string]*dto.MetricFamily
	Text     string
}

var client = &http.Client{Timeout: 20 * time.Second}

// Get scrapes url, which must answer 200 with the text format.
func Get(t testing.TB, url string) Metrics {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape %s: %d %v: %s", url, resp.StatusCode, err, b)
	}
	return Parse(t, string(b))
}

// Parse reads metrics in the text format.
func Parse(t testing.TB, text string) Metrics {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("not the Prometheus text format: %v\n%s", err, text)
	}
	return Metrics{Families: families, Text: text}
}

// Series are the label sets of name's series, each as a map.
func (m Metrics) Series(name string) []map[string]string {
	var all []map[string]string
	if f := m.Families[name]; f != nil {
		for _, s := range f.Metric {
			labels := map[string]string{}
			for _, l := range s.Label {
				labels[l.GetName()] = l.GetValue()
			}
			all = append(all, labels)
		}
	}
	return all
}

// Value is the value of name's series with exactly these labels (a
// counter's, a gauge's, or a histogram's count), and whether there is one.
func (m Metrics) Value(name string, labels map[string]string) (float64, bool) {
	f := m.Families[name]
	if f == nil {
		return 0, false
	}
	for _, s := range f.Metric {
		if !sameLabels(s.Label, labels) {
			continue
		}
		switch {
		case s.Counter != nil:
			return s.Counter.GetValue(), true
		case s.Gauge != nil:
			return s.Gauge.GetValue(), true
		case s.Histogram != nil:
			return float64(s.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func sameLabels(got []*dto.LabelPair, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for _, l := range got {
		if v, ok := want[l.GetName()]; !ok || v != l.GetValue() {
			return false
		}
	}
	return true
}
