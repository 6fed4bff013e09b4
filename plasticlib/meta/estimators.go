package meta

// centralDiff returns the central finite-difference gradient of e's
// objective at phi with step h (relative to max(1, |phi_p|)); richardson
// extrapolates the steps h and h/2 (error O(h^4) instead of O(h^2), twice
// the runs).
func centralDiff(e *Engine, phi []float64, h float64, richardson bool) ([]float64, error) {
	if richardson {
		g1, err := centralDiff(e, phi, h, false)
		if err != nil {
			return nil, err
		}
		g2, err := centralDiff(e, phi, h/2, false)
		if err != nil {
			return nil, err
		}
		for q := range g1 {
			g1[q] = (4*g2[q] - g1[q]) / 3
		}
		return g1, nil
	}
	g := make([]float64, len(phi))
	x := append([]float64(nil), phi...)
	for q := range phi {
		s := h * max(1, abs(phi[q]))
		x[q] = phi[q] + s
		fp, err := e.Objective(x)
		if err != nil {
			return nil, err
		}
		x[q] = phi[q] - s
		fm, err := e.Objective(x)
		if err != nil {
			return nil, err
		}
		x[q] = phi[q]
		g[q] = (fp - fm) / (2 * s)
	}
	return g, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
