package io.github.tokenintrospection.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import io.github.tokenintrospection.sample.LoadBenchmark.Configuration;
import io.github.tokenintrospection.sample.LoadBenchmark.WrkResult;
import io.github.tokenintrospection.sample.LoadBenchmark.WrkRound;

/**
 * The end-to-end benchmark's tables: CPU per request first (the work done, steadier on a
 * shared machine than the share of it obtained), then throughput and latency, the A/A
 * check, the ratios, and where the CPU went by kind of thread.
 */
final class LoadReport {

	private LoadReport() {
	}

	/**
	 * @param configurations (a) to (f), in that order, measured
	 * @return Markdown lines
	 */
	static List<String> of(List<Configuration> configurations) {
		List<String> report = new ArrayList<>();
		report.add("| Configuration | CPU per request | CPU per request, each fork | Requests/s | p50 | p99 "
				+ "| Requests measured |");
		report.add("|---|---:|---:|---:|---:|---:|---:|");
		for (Configuration configuration : configurations) {
			WrkResult result = configuration.result();
			report.add("| %s | %.0f us | %s | %,.0f | %s | %s | %,d |".formatted(result.name(),
					result.cpuMicrosPerRequest(), perFork(configuration.cpuMicrosPerRequestByFork()),
					result.requestsPerSecond(), LoadBenchmark.millis(result.p50Micros()),
					LoadBenchmark.millis(result.p99Micros()), result.requests()));
		}
		report.add("");
		WrkResult permitAll = configurations.get(0).result();
		WrkResult starter = configurations.get(1).result();
		WrkResult stock = configurations.get(2).result();
		WrkResult zeroCost = configurations.get(3).result();
		WrkResult regexResolver = configurations.get(4).result();
		WrkResult again = configurations.get(5).result();
		List<WrkRound> bothStarterRounds = new ArrayList<>(configurations.get(1).rounds);
		bothStarterRounds.addAll(configurations.get(5).rounds);
		WrkResult bothStarters = Configuration.result("(b) and (f)", bothStarterRounds);
		report
			.add("A/A, (f) / (b): CPU per request %.3fx, throughput %.3fx (identical applications: the method's noise)"
				.formatted(again.cpuMicrosPerRequest() / starter.cpuMicrosPerRequest(),
						again.requestsPerSecond() / starter.requestsPerSecond()));
		report.add("The starter against the same principal at zero cost, CPU per request: (b) / (d) %.3fx, "
			.formatted(starter.cpuMicrosPerRequest() / zeroCost.cpuMicrosPerRequest())
				+ "(f) / (d) %.3fx, (b and f) / (d) %.3fx".formatted(
						again.cpuMicrosPerRequest() / zeroCost.cpuMicrosPerRequest(),
						bothStarters.cpuMicrosPerRequest() / zeroCost.cpuMicrosPerRequest()));
		report.add("CPU per request, (a) / (b): %.1f%% (the share of (a)'s capacity (b) keeps when CPU-bound)"
			.formatted(100 * permitAll.cpuMicrosPerRequest() / starter.cpuMicrosPerRequest()));
		report.add("CPU per request, (c) / (b): %.2fx (what the cache saves over the stock introspector)"
			.formatted(stock.cpuMicrosPerRequest() / starter.cpuMicrosPerRequest()));
		report.add("CPU per request, (e) / (b): %.2fx (what the starter's bearer-token resolver saves)"
			.formatted(regexResolver.cpuMicrosPerRequest() / starter.cpuMicrosPerRequest()));
		report.add("Throughput: (b) / (a) %.1f%%, (b) / (c) %.1fx, (d) / (a) %.1f%%, (b) / (d) %.1f%%".formatted(
				100 * starter.requestsPerSecond() / permitAll.requestsPerSecond(),
				starter.requestsPerSecond() / stock.requestsPerSecond(),
				100 * zeroCost.requestsPerSecond() / permitAll.requestsPerSecond(),
				100 * starter.requestsPerSecond() / zeroCost.requestsPerSecond()));
		report.add("");
		report.addAll(cpuByThread(configurations));
		return report;
	}

	/**
	 * CPU per request by kind of thread, in microseconds: what a profile of the request
	 * threads cannot show (GC, JIT, the common pool, kernel time).
	 */
	static List<String> cpuByThread(List<Configuration> configurations) {
		List<String> table = new ArrayList<>();
		table.add("| CPU per request by thread (us) | "
				+ configurations.stream().map((c) -> c.name.substring(0, 3)).collect(Collectors.joining(" | ")) + " |");
		table.add("|---" + "|---:".repeat(configurations.size()) + "|");
		for (ThreadCpu.Part part : ThreadCpu.Part.values()) {
			table.add(row(part.label, configurations, (c) -> total(c.cpuByPart.get(part))));
			if (part == ThreadCpu.Part.REQUEST) {
				table.add(row("- of which kernel time", configurations, (c) -> c.cpuByPart.get(part)[1]));
			}
		}
		table.add(row("all threads", configurations,
				(c) -> c.cpuByPart.values().stream().mapToLong(LoadReport::total).sum()));
		table.add(row("- of which kernel time", configurations,
				(c) -> c.cpuByPart.values().stream().mapToLong((nanos) -> nanos[1]).sum()));
		return table;
	}

	private static String row(String label, List<Configuration> configurations, ToLongFunction<Configuration> nanos) {
		StringBuilder row = new StringBuilder("| " + label + " |");
		for (Configuration configuration : configurations) {
			row.append(" %.1f |".formatted(nanos.applyAsLong(configuration) / 1_000.0 / configuration.requests()));
		}
		return row.toString();
	}

	private static long total(long[] nanos) {
		return nanos[0] + nanos[1];
	}

	private static String perFork(double[] micros) {
		return Arrays.stream(micros).mapToObj((m) -> "%.0f".formatted(m)).collect(Collectors.joining(", "));
	}

}
