package io.starling.bench.aggregate;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * STREAM-style copy bandwidth in Java (McCalpin's "Copy" kernel, {@code c[i] = a[i]}) over arrays
 * far larger than the last-level cache, so aggregation throughput can be read as a fraction of
 * what this machine's memory delivers. By STREAM's convention one copy moves
 * {@code 2 * floats * 4} bytes (one read, one write). Both a plain loop and
 * {@link System#arraycopy} are measured; the faster is the reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-XX:+UseTransparentHugePages"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 2)
public class MemoryBandwidthBenchmark {
    /** 32 Mi floats = 128 MiB per array, four times a 32 MiB L3. */
    @Param("33554432")
    public int floats;

    private float[] a;
    private float[] c;

    @Setup(Level.Trial)
    public void allocate() {
        a = new float[floats];
        c = new float[floats];
        for (int i = 0; i < floats; i++) {
            a[i] = i;
        }
    }

    @Benchmark
    public float[] copyLoop() {
        float[] src = a;
        float[] dst = c;
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i];
        }
        return dst;
    }

    @Benchmark
    public float[] copyArraycopy() {
        System.arraycopy(a, 0, c, 0, a.length);
        return c;
    }
}
