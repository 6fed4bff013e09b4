//go:build openblas && cgo

package linalg

/*
#cgo LDFLAGS: -lopenblas
#include <stdlib.h>
extern void openblas_set_num_threads(int num_threads);
extern int openblas_get_num_threads(void);
extern char *openblas_get_corename(void);
// Present in OpenBLAS builds with DYNAMIC_ARCH (Debian's, conda's, pip's):
// weak, so that a build for one fixed CPU links too (and keeps its kernels).
extern void gotoblas_dynamic_init(void) __attribute__((weak));
extern void gotoblas_dynamic_quit(void) __attribute__((weak));

// cpu_kernels names the newest OpenBLAS x86-64 kernels the CPU and the OS
// support, "" if none newer than Prescott's (or not on x86-64).
static const char *cpu_kernels(void) {
#if defined(__x86_64__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
	    __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
	    __builtin_cpu_supports("avx512cd"))
		return "SkylakeX";
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		return "Haswell";
	if (__builtin_cpu_supports("avx"))
		return "Sandybridge";
#endif
	return "";
}

// reselect makes OpenBLAS pick its kernels again, as OPENBLAS_CORETYPE=core
// would have made it at load time; it reports whether it could.
static int reselect(const char *core) {
	if (!gotoblas_dynamic_init || !gotoblas_dynamic_quit)
		return 0;
	setenv("OPENBLAS_CORETYPE", core, 1);
	gotoblas_dynamic_quit();
	gotoblas_dynamic_init();
	unsetenv("OPENBLAS_CORETYPE");
	return 1;
}
*/
import "C"

import (
	"os"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// coreDetected is the kernels OpenBLAS chose when it was loaded.
var coreDetected string

func init() {
	// OpenBLAS reads OPENBLAS_NUM_THREADS when it is loaded; the explicit
	// call below is what takes effect, the variable keeps any child process
	// (or a late re-read) single-threaded too.
	os.Setenv("OPENBLAS_NUM_THREADS", "1")
	C.openblas_set_num_threads(1)
	coreDetected = Core()
	// OpenBLAS falls back to its Prescott (SSE3) kernels on a CPU it does
	// not know, such as an Intel Xeon of family 6, model 207 under
	// OpenBLAS 0.3.21: the trace products then ran at ~10 GFLOP/s. Unless
	// OPENBLAS_CORETYPE says which kernels to use, select the newest the
	// CPU supports. No BLAS call has run yet, so nothing was computed on
	// the old kernels (their buffers are allocated at the first call).
	if _, set := os.LookupEnv("OPENBLAS_CORETYPE"); !set && coreDetected == "Prescott" {
		if k := C.cpu_kernels(); *k != 0 {
			C.reselect(k)
		}
	}
	blas64.Use(netlib.Implementation{})
	blas32.Use(netlib.Implementation{})
}

// Backend reports the BLAS implementation in use: "openblas" here.
func Backend() string { return "openblas" }

// Threads reports the number of threads OpenBLAS uses (1, set in init).
func Threads() int { return int(C.openblas_get_num_threads()) }

// Core reports the CPU kernels OpenBLAS runs ("Cooperlake", "SkylakeX",
// "Haswell", ...): its choice for the CPU, the environment's
// OPENBLAS_CORETYPE, or, where OpenBLAS did not know the CPU and fell back
// to its Prescott kernels (see CoreDetected), the newest the CPU supports
// (SkylakeX with AVX-512, Haswell with AVX2 and FMA3, Sandybridge with
// AVX).
func Core() string { return C.GoString(C.openblas_get_corename()) }

// CoreDetected reports the kernels OpenBLAS chose by itself when it was
// loaded (before linalg's re-selection; see Core).
func CoreDetected() string { return coreDetected }
