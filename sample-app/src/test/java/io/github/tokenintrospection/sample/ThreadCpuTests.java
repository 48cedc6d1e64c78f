package io.github.tokenintrospection.sample;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.tokenintrospection.sample.ThreadCpu.Part;
import io.github.tokenintrospection.sample.ThreadCpu.Snapshot;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load benchmark's account of CPU by kind of thread: what it reports is only as good
 * as these sums.
 */
class ThreadCpuTests {

	private static final long TICK = 10_000_000L; // nanoseconds per clock tick

	@Test
	void partOfWhenJvmThreadNamesThenEachKindFound() {
		assertThat(Part.of("http-nio-43117-exec-12")).isEqualTo(Part.REQUEST);
		assertThat(Part.of("http-nio-43117-Poller")).isEqualTo(Part.SERVER_IO);
		assertThat(Part.of("http-nio-43117-Acceptor")).isEqualTo(Part.SERVER_IO);
		assertThat(Part.of("GC Thread#1")).isEqualTo(Part.GC);
		assertThat(Part.of("G1 Conc#0")).isEqualTo(Part.GC);
		assertThat(Part.of("C2 CompilerThread0")).isEqualTo(Part.JIT);
		assertThat(Part.of("C1 CompilerThread0")).isEqualTo(Part.JIT);
		assertThat(Part.of("ForkJoinPool.commonPool-worker-1")).isEqualTo(Part.COMMON_POOL);
		assertThat(Part.of("JFR Recorder Thread")).isEqualTo(Part.JFR);
		assertThat(Part.of("VM Thread")).isEqualTo(Part.VM);
		assertThat(Part.of("")).isEqualTo(Part.OTHER);
	}

	@Test
	void betweenWhenThreadsRanStartedAndEndedThenEachCountedOnceInItsPart() {
		// Thread 1 (a request thread) ran 5 ticks of user time and 2 of kernel time;
		// thread 2 (GC) started in between and ran 3; thread 3 ended in between, and
		// what it ran shows only in the process's total (4 more user ticks).
		Snapshot before = new Snapshot(Map.of(1L, new long[] { 10, 1 }, 3L, new long[] { 7, 0 }), new long[] { 17, 1 });
		Snapshot after = new Snapshot(Map.of(1L, new long[] { 15, 3 }, 2L, new long[] { 3, 0 }),
				new long[] { 17 + 5 + 3 + 4 + 7 - 7, 3 });
		Map<Long, String> names = Map.of(1L, "http-nio-8081-exec-1", 2L, "GC Thread#0");

		Map<Part, long[]> used = ThreadCpu.between(before, after, names);

		assertThat(used.get(Part.REQUEST)).containsExactly(5 * TICK, 2 * TICK);
		assertThat(used.get(Part.GC)).containsExactly(3 * TICK, 0);
		assertThat(used.get(Part.GONE)).containsExactly(4 * TICK, 0);
		assertThat(used.get(Part.JIT)).containsExactly(0, 0);
		long total = used.values().stream().mapToLong((nanos) -> nanos[0] + nanos[1]).sum();
		assertThat(total).isEqualTo(after.processNanos() - before.processNanos());
	}

}
