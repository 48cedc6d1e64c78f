package io.github.tokenintrospection.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a JVM's CPU time goes, by kind of thread and split into user and kernel time: the
 * request threads, the garbage collector, the JIT compilers, the common pool (Caffeine's
 * upkeep), JFR and the rest. The time is the kernel's per-thread account
 * ({@code /proc/<pid>/task/<tid>/stat}); the threads are named from {@code jcmd
 * Thread.print}, which lists every JVM thread, GC and compiler threads included, with its
 * native id. A request-thread profile cannot see the CPU spent outside the request
 * threads; this can.
 */
final class ThreadCpu {

	private static final long CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

	private static final Pattern THREAD_LINE = Pattern.compile("^\"(.*)\" .*nid=0x([0-9a-f]+)", Pattern.MULTILINE);

	/** The kinds of thread, in the order of the report. */
	enum Part {

		REQUEST("request threads"), SERVER_IO("Tomcat poller and acceptor"), GC("garbage collector"),
		JIT("JIT compilers"), COMMON_POOL("common pool (Caffeine's upkeep)"), JFR("JFR"), VM("VM thread (safepoints)"),
		OTHER("other threads"), GONE("threads that ended during the slice");

		final String label;

		Part(String label) {
			this.label = label;
		}

		static Part of(String name) {
			if (name.matches("http-nio-.*-exec-\\d+")) {
				return REQUEST;
			}
			if (name.startsWith("http-nio-")) {
				return SERVER_IO;
			}
			if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
				return GC;
			}
			if (name.contains("CompilerThread") || name.startsWith("Sweeper")) {
				return JIT;
			}
			if (name.startsWith("ForkJoinPool.commonPool")) {
				return COMMON_POOL;
			}
			if (name.startsWith("JFR ")) {
				return JFR;
			}
			if (name.equals("VM Thread")) {
				return VM;
			}
			return OTHER;
		}

	}

	/** User and kernel clock ticks per thread id, and the whole process's. */
	record Snapshot(Map<Long, long[]> threads, long[] process) {

		long processNanos() {
			return nanos(this.process[0] + this.process[1]);
		}

	}

	private ThreadCpu() {
	}

	static Snapshot snapshot(long pid) throws IOException {
		Map<Long, long[]> threads = new HashMap<>();
		Path tasks = Path.of("/proc", Long.toString(pid), "task");
		try (Stream<Path> list = Files.list(tasks)) {
			for (Path task : list.toList()) {
				long[] ticks = ticks(task.resolve("stat"));
				if (ticks != null) {
					threads.put(Long.parseLong(task.getFileName().toString()), ticks);
				}
			}
		}
		long[] process = ticks(Path.of("/proc", Long.toString(pid), "stat"));
		return new Snapshot(threads, (process != null) ? process : new long[2]);
	}

	/**
	 * The CPU used between two snapshots, by kind of thread, in nanoseconds: index 0
	 * user, index 1 kernel. What the process used beyond its living threads' sum went to
	 * threads that ended in between ({@link Part#GONE}).
	 */
	static Map<Part, long[]> between(Snapshot before, Snapshot after, Map<Long, String> names) {
		Map<Part, long[]> parts = new EnumMap<>(Part.class);
		for (Part part : Part.values()) {
			parts.put(part, new long[2]);
		}
		long[] counted = new long[2];
		after.threads().forEach((tid, ticks) -> {
			long[] start = before.threads().getOrDefault(tid, new long[2]);
			long[] sum = parts.get(Part.of(names.getOrDefault(tid, "")));
			for (int i = 0; i < 2; i++) {
				long used = ticks[i] - start[i];
				sum[i] += nanos(used);
				counted[i] += used;
			}
		});
		long[] gone = parts.get(Part.GONE);
		for (int i = 0; i < 2; i++) {
			gone[i] = Math.max(0, nanos(after.process()[i] - before.process()[i] - counted[i]));
		}
		return parts;
	}

	/**
	 * Thread names by native id.
	 * @param threadPrint the output of {@code jcmd <pid> Thread.print}
	 */
	static Map<Long, String> names(String threadPrint) {
		Map<Long, String> names = new HashMap<>();
		Matcher matcher = THREAD_LINE.matcher(threadPrint);
		while (matcher.find()) {
			names.put(Long.parseLong(matcher.group(2), 16), matcher.group(1));
		}
		return names;
	}

	private static long nanos(long ticks) {
		return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
	}

	/** utime and stime of a stat file, or {@code null} when the thread is gone. */
	private static long[] ticks(Path stat) throws IOException {
		String text;
		try {
			text = Files.readString(stat);
		}
		catch (IOException ex) {
			// The thread ended between listing and reading.
			return null;
		}
		// Fields after the command name, which is in parentheses and may hold spaces.
		String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
		return new long[] { Long.parseLong(fields[11]), Long.parseLong(fields[12]) };
	}

}
