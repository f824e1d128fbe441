#!/usr/bin/env python3
"""NumPy baseline for Starling's FedAvg benchmark.

Computes the sample-weighted mean of UPDATES float32 vectors of DIM entries, the same shapes and
arithmetic as io.starling.bench.aggregate.FedAvgBenchmark, in the two ways a NumPy user would
write it, and prints one JSON object:

  axpy_loop     acc = sum_i (n_i / N) * u_i with in-place ufuncs over a list of arrays
                (np.multiply(..., out=tmp); acc += tmp), the usual FL-framework code path;
  stacked_gemv  (n / N) @ U over a pre-stacked (UPDATES, DIM) float32 matrix, one BLAS sgemv.

Timings are wall-clock seconds per aggregation (mean and min over --repeats after one warm-up).
GB/s counts update bytes read: UPDATES * DIM * 4. Set OPENBLAS_NUM_THREADS=1 (the Java runner
does) to compare single-threaded kernels.
"""
import argparse
import json
import sys
import time

try:
    import numpy as np
except ImportError:  # the Java runner reports this as "skipped"
    print(json.dumps({"skipped": "numpy is not installed (pip install numpy or apt install python3-numpy)"}))
    sys.exit(0)


def axpy_loop(updates, weights):
    acc = np.zeros_like(updates[0])
    tmp = np.empty_like(updates[0])
    for u, w in zip(updates, weights):
        np.multiply(u, w, out=tmp)
        acc += tmp
    return acc


def stacked_gemv(stack, weights):
    return weights @ stack


def time_it(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=100)
    parser.add_argument("--dim", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    stack = rng.standard_normal((args.updates, args.dim), dtype=np.float32)
    updates = [stack[i].copy() for i in range(args.updates)]
    samples = rng.integers(50, 500, size=args.updates).astype(np.float64)
    weights = (samples / samples.sum()).astype(np.float32)

    a = axpy_loop(updates, weights)
    b = stacked_gemv(stack, weights)
    if not np.allclose(a, b, atol=1e-4):
        print(json.dumps({"error": "the two NumPy formulations disagree"}))
        sys.exit(1)

    bytes_read = args.updates * args.dim * 4
    result = {
        "numpy_version": np.__version__,
        "updates": args.updates,
        "dim": args.dim,
        "repeats": args.repeats,
        "bytes_read": bytes_read,
        "methods": {},
    }
    for name, fn in (("axpy_loop", lambda: axpy_loop(updates, weights)),
                     ("stacked_gemv", lambda: stacked_gemv(stack, weights))):
        times = time_it(fn, args.repeats)
        mean = sum(times) / len(times)
        result["methods"][name] = {
            "mean_s": mean,
            "min_s": min(times),
            "gb_per_s_mean": bytes_read / mean / 1e9,
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
