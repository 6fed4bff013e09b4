package meta

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
)

// ESScale perturbs in scaled coordinates as Train's History.Scale does,
// and all ones is the unscaled estimator.
func TestESScale(t *testing.T) {
	p := tiny(t, "dnms")
	phi := p.Params.Get(p.Rule)
	grad := func(scale []float64, internal bool) []float64 {
		c := EstimatorConfig{Method: ES, ESSigma: 0.05, ESPairs: 3, ESSeed: 5}
		if !internal {
			c.ESScale = scale
		}
		est, err := NewEstimator(p, c)
		if err != nil {
			t.Fatal(err)
		}
		if internal {
			est.(*esEstimator).scale = scale // as Train sets it
		}
		est.SetSeed(4)
		_, g, err := est.Gradient(context.Background(), phi)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	ones := make([]float64, len(phi))
	scaled := make([]float64, len(phi))
	for q := range phi {
		ones[q], scaled[q] = 1, 0.5+float64(q)
	}
	if a, b := grad(nil, false), grad(ones, false); !reflect.DeepEqual(a, b) {
		t.Errorf("ES gradient with ESScale all ones %v; want the unscaled %v", b, a)
	}
	if a, b := grad(scaled, true), grad(scaled, false); !reflect.DeepEqual(a, b) {
		t.Errorf("ES gradient with ESScale %v; want Train's scaled one %v", b, a)
	}
	if a, b := grad(nil, false), grad(scaled, false); reflect.DeepEqual(a, b) {
		t.Errorf("ES gradient with ESScale %v is the unscaled one", scaled)
	}
}

func TestESScaleRejects(t *testing.T) {
	for _, scale := range [][]float64{{1, 0}, {-1}, {math.NaN()}, {math.Inf(1)}} {
		err := EstimatorConfig{Method: ES, ESScale: scale}.Validate()
		if err == nil || !strings.Contains(err.Error(), "ESScale[") {
			t.Errorf("Validate with ESScale %v: %v; want an error naming ESScale[q]", scale, err)
		}
	}
}
