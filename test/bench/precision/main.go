// Command precision measures what learn.Config.Precision Float32 does to
// learning against float64, as the README reports it:
//
//	-curves: episodes to criterion of Miconi's rule over seeds, at a task's
//	         named setting, in float64 and in float32 (2 runs in parallel)
//	-fd:     central finite differences of the sixth trial's error with
//	         respect to theta_33 (DNMS, N = 200, eta 0.01, no clip) for
//	         steps h = 0.1 ... 1e-6, in both precisions
//
// Usage: go run -tags openblas ./test/bench/precision [-curves [-task T
// -setting S -seeds K -episodes E]] [-fd]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/plasticnb/plasticnb/plasticlib/eval"
	"github.com/plasticnb/plasticnb/plasticlib/learn"
	"github.com/plasticnb/plasticnb/plasticlib/linalg"
	"github.com/plasticnb/plasticnb/plasticlib/network"
	"github.com/plasticnb/plasticnb/plasticlib/rule"
	"github.com/plasticnb/plasticnb/plasticlib/setting"
	"github.com/plasticnb/plasticnb/plasticlib/task"
)

var precisions = []linalg.Precision{linalg.Float64, linalg.Float32}

func main() {
	curves := flag.Bool("curves", false, "episodes to criterion in both precisions")
	fd := flag.Bool("fd", false, "finite differences in both precisions")
	tk := flag.String("task", setting.DNMS, "task of -curves")
	name := flag.String("setting", setting.Miconi, "named setting of -curves")
	seeds := flag.Int("seeds", 8, "seeds of -curves")
	episodes := flag.Int("episodes", 3000, "episodes per run of -curves (the censoring limit)")
	flag.Parse()
	if !*curves && !*fd {
		log.Fatal("precision: give -curves, -fd or both")
	}
	fmt.Printf("BLAS %s (kernels %s)\n", linalg.Backend(), linalg.Core())
	if *curves {
		if err := runCurves(*tk, *name, *seeds, *episodes); err != nil {
			log.Fatal(err)
		}
	}
	if *fd {
		if err := runFD(); err != nil {
			log.Fatal(err)
		}
	}
}

func runCurves(tk, name string, seeds, episodes int) error {
	for _, p := range precisions {
		s, err := setting.Lookup(tk, name)
		if err != nil {
			return err
		}
		s.Learn.Precision, s.Learn.Episodes = p, episodes
		r, err := s.RuleNamed("miconi-cubic")
		if err != nil {
			return err
		}
		t0 := time.Now()
		hs, err := s.RunSeeds(context.Background(), r, eval.Seeds(1, seeds), 2, true)
		if err != nil {
			return err
		}
		fmt.Printf("%s/%s, %v: episodes to criterion", tk, name, p)
		for _, h := range hs {
			n, ok := s.Criterion.Episodes(h.Errors)
			c := ""
			if !ok {
				c = "+"
			}
			fmt.Printf(" %d%s", n, c)
		}
		sum := eval.SummarizeOutcomes(s.Criterion.Outcomes(hs))
		fmt.Printf("; median %.0f, IQR %.0f-%.0f, censored %d (%.0f s)\n", sum.Median, sum.Q1, sum.Q3, sum.Censored, time.Since(t0).Seconds())
	}
	return nil
}

// sixthError returns the error of the sixth trial of a DNMS run whose
// rule has theta_33 = theta.
func sixthError(p linalg.Precision, theta float64, seed uint64) (float64, error) {
	nc := network.DefaultConfig()
	nc.Seed = seed
	net, err := network.New(nc)
	if err != nil {
		return 0, err
	}
	d, err := task.NewDNMS(task.DefaultDNMS())
	if err != nil {
		return 0, err
	}
	cfg := learn.DefaultConfig()
	cfg.WarmUp, cfg.Seed, cfg.Precision, cfg.Serial = 0, seed, p, true
	r := rule.MiconiCubic()
	r.Theta[3][3], r.MaxDW, r.Eta = theta, 0, 0.01
	l, err := learn.New(net, d, r, cfg)
	if err != nil {
		return 0, err
	}
	var e float64
	for range 6 {
		if _, e, err = l.Episode(); err != nil {
			return 0, err
		}
	}
	return e, nil
}

func runFD() error {
	for _, seed := range []uint64{1, 2} {
		for _, p := range precisions {
			e, err := sixthError(p, 1, seed)
			if err != nil {
				return err
			}
			fmt.Printf("seed %d, %v: E_6 = %.9g; dE_6/dtheta_33:", seed, p, e)
			for _, h := range []float64{1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6} {
				up, err := sixthError(p, 1+h, seed)
				if err != nil {
					return err
				}
				down, err := sixthError(p, 1-h, seed)
				if err != nil {
					return err
				}
				fmt.Printf(" h=%g: %.6g", h, (up-down)/(2*h))
			}
			fmt.Println()
		}
	}
	return nil
}
