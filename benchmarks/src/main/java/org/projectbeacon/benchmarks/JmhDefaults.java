package org.projectbeacon.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings the issue #15 benchmarks share (JMH reads them from the superclass): average time,
 * 3 warm-up and 5 measured iterations of 2 s, one fork, state per benchmark. A subclass overrides
 * {@link OutputTimeUnit} when microseconds fit its figures better; {@code run.sh}'s {@code JMH_ARGS}
 * override the rest.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public abstract class JmhDefaults {
}
