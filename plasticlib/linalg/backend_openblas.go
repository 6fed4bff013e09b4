//go:build openblas && cgo

package linalg

/*
#cgo LDFLAGS: -lopenblas
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);
extern char *openblas_get_corename(void);
*/
import "C"

import (
	"os"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

func init() {
	// OpenBLAS reads OPENBLAS_NUM_THREADS when it is loaded; the explicit
	// call below is what takes effect, the variable keeps any child process
	// (or a late re-read) single-threaded too.
	os.Setenv("OPENBLAS_NUM_THREADS", "1")
	C.openblas_set_num_threads(1)
	blas64.Use(netlib.Implementation{})
}

// Backend reports the BLAS implementation in use: "openblas" here.
func Backend() string { return "openblas" }

// Threads reports the number of threads OpenBLAS uses (1, set in init).
func Threads() int { return int(C.openblas_get_num_threads()) }

// Core reports the CPU kernels OpenBLAS runs ("Cooperlake", "SkylakeX",
// "Haswell", ...): its choice for the CPU, or the environment's
// OPENBLAS_CORETYPE.
func Core() string { return C.GoString(C.openblas_get_corename()) }
