// The serial limit of a trial: 1000 steps of the bare recurrence
// x += a (-x + J r), r = tanh(x) at N = 200, nothing else (no input, no
// perturbations, no plasticity), as an Eigen loop built with
// g++ -O3 -march=native. Prints milliseconds per 1000 steps in float64 and
// in float32 (the median of REPS runs of 1000 steps each, as a benchmark's
// figure is a typical run's, not its best), then the same two as CPU time
// of the thread (less sensitive than wall time to other processes taking
// the core).
#include <Eigen/Dense>
#include <chrono>
#include <ctime>
#include <algorithm>
#include <cstdio>
#include <vector>
#include <random>
using namespace Eigen;

static double cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

template <typename S> void run(double *wall, double *cpu) {
  typedef Matrix<S, Dynamic, Dynamic> Mat;
  typedef Matrix<S, Dynamic, 1> Vec;
  const int N = 200, T = 1000, REPS = 250; // ~1 s, as long as a Go benchmark runs
  std::mt19937 rng(1);
  std::normal_distribution<double> g(0, 1);
  Mat J(N, N);
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) J(i, j) = S(1.5 * g(rng) / std::sqrt(double(N)));
  Vec x = Vec::Constant(N, S(0.1)), r = x.array().tanh(), h(N);
  const S a = S(1.0 / 30.0);
  std::vector<double> ms, cms;
  double sink = 0;
  for (int rep = 0; rep < REPS; rep++) {
    auto t0 = std::chrono::steady_clock::now();
    double c0 = cpu_ms();
    for (int t = 0; t < T; t++) {
      h.noalias() = J * r;
      x += a * (h - x);
      r = x.array().tanh();
    }
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    cms.push_back(cpu_ms() - c0);
    sink += double(r.sum());
  }
  std::fprintf(stderr, "%g\n", sink);
  std::sort(ms.begin(), ms.end());
  std::sort(cms.begin(), cms.end());
  *wall = ms[REPS / 2];
  *cpu = cms[REPS / 2];
}

int main() {
  double d, f, dc, fc;
  run<double>(&d, &dc);
  run<float>(&f, &fc);
  std::printf("%.4f %.4f %.4f %.4f\n", d, f, dc, fc);
}
