package io.github.tokenintrospection.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where each application's request threads spent their CPU samples in a JFR recording of
 * the load benchmark: the share of samples whose stack contains a given method
 * (inclusive: a method's share includes what it calls, so shares overlap and do not add
 * up to 100%).
 */
final class ProfileSummary {

	/** What is looked for on the stacks, in the order of the report. */
	private static final Map<String, Predicate<RecordedMethod>> PARTS = new LinkedHashMap<>();

	static {
		PARTS.put("Spring Security's filter chain (all of it)",
				method("org.springframework.security.web.FilterChainProxy", "doFilter"));
		PARTS.put("Bearer-token resolver (either)",
				(m) -> m.getType().getName().endsWith("BearerTokenResolver") && m.getName().equals("resolve"));
		PARTS.put("OpaqueTokenAuthenticationProvider.authenticate", method(
				"org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider",
				"authenticate"));
		PARTS.put("- the starter's introspect (lookup, validation, authorities, listeners)", method(
				"io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector", "introspect"));
		PARTS.put("- - the starter's listeners (metrics, audit trail)",
				(m) -> m.getType().getName().startsWith("io.github.tokenintrospection.")
						&& m.getName().equals("decisionMade"));
		PARTS.put("Micrometer observations (Spring Security's and MVC's)",
				(m) -> m.getType().getName().startsWith("io.micrometer.observation."));
		PARTS.put("StrictHttpFirewall", (m) -> m.getType().getName().endsWith(".StrictHttpFirewall"));
		PARTS.put("Method security (@PreAuthorize)",
				method("org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor",
						"invoke"));
		PARTS.put("Spring MVC dispatch (controller, JSON)",
				method("org.springframework.web.servlet.DispatcherServlet", "doDispatch"));
	}

	private ProfileSummary() {
	}

	/**
	 * @param configurations the measured configurations, with their recordings (one per
	 * fork) and the measured slices: samples outside the slices (start-up, warm-up) are
	 * not counted
	 * @param threadPrefix the prefix of the names of the request threads
	 * @return a Markdown table, one column per configuration, and the bytes allocated per
	 * request on the request threads (the weights of JFR's allocation samples)
	 */
	static List<String> table(List<LoadBenchmark.Configuration> configurations, String threadPrefix)
			throws IOException {
		Map<String, int[]> counts = new LinkedHashMap<>();
		Map<String, Integer> totals = new LinkedHashMap<>();
		Map<String, Long> allocated = new LinkedHashMap<>();
		Map<String, Integer> filterWork = new LinkedHashMap<>();
		List<Predicate<RecordedMethod>> parts = new ArrayList<>(PARTS.values());
		for (LoadBenchmark.Configuration configuration : configurations) {
			String column = configuration.name.substring(0, 3);
			int[] count = new int[PARTS.size()];
			int total = 0;
			int ownFilterWork = 0;
			long bytes = 0;
			for (Path recording : configuration.recordings) {
				for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
					String type = event.getEventType().getName();
					boolean sample = type.equals("jdk.ExecutionSample");
					if (!(sample || type.equals("jdk.ObjectAllocationSample")) || !measured(configuration, event)) {
						continue;
					}
					RecordedThread thread = event.getThread(sample ? "sampledThread" : "eventThread");
					if (thread == null || thread.getJavaName() == null
							|| !thread.getJavaName().startsWith(threadPrefix)) {
						continue;
					}
					if (!sample) {
						bytes += event.getLong("weight");
						continue;
					}
					if (event.getStackTrace() == null) {
						continue;
					}
					total++;
					if (inStarterFilterItself(event.getStackTrace().getFrames())) {
						ownFilterWork++;
					}
					for (int i = 0; i < parts.size(); i++) {
						for (RecordedFrame frame : event.getStackTrace().getFrames()) {
							if (frame.isJavaFrame() && parts.get(i).test(frame.getMethod())) {
								count[i]++;
								break;
							}
						}
					}
				}
			}
			counts.put(column, count);
			totals.put(column, total);
			filterWork.put(column, ownFilterWork);
			allocated.put(column, bytes / Math.max(1, configuration.requests()));
		}
		List<String> table = new ArrayList<>();
		table.add("| Share of CPU samples (inclusive) | " + String.join(" | ", counts.keySet()) + " |");
		table.add("|---" + "|---:".repeat(counts.size()) + "|");
		List<String> names = new ArrayList<>(PARTS.keySet());
		for (int i = 0; i < names.size(); i++) {
			StringBuilder row = new StringBuilder("| " + names.get(i) + " |");
			for (String column : counts.keySet()) {
				int total = totals.get(column);
				row.append(" %.1f%% |".formatted((total == 0) ? 0.0 : 100.0 * counts.get(column)[i] / total));
			}
			table.add(row.toString());
		}
		StringBuilder filters = new StringBuilder(
				"| The starter's servlet filters' own work (outage answer, request audit, DPoP scheme) |");
		filterWork.forEach((column, count) -> filters
			.append(" %.1f%% |".formatted((totals.get(column) == 0) ? 0.0 : 100.0 * count / totals.get(column))));
		table.add(filters.toString());
		StringBuilder samples = new StringBuilder("| Samples |");
		totals.values().forEach((total) -> samples.append(" %,d |".formatted(total)));
		table.add(samples.toString());
		StringBuilder bytes = new StringBuilder("| Allocated per request on the request threads (JFR) |");
		allocated.values().forEach((perRequest) -> bytes.append(" %,d B |".formatted(perRequest)));
		table.add(bytes.toString());
		return table;
	}

	/**
	 * The starter's servlet filters' own work: a sample whose innermost frame of a filter
	 * or filter chain is one of the starter's filters (so not the rest of the chain,
	 * which they call).
	 */
	static boolean inStarterFilterItself(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			if (!frame.isJavaFrame()) {
				continue;
			}
			String type = frame.getMethod().getType().getName();
			String name = frame.getMethod().getName();
			if (name.startsWith("doFilter")) {
				return type.startsWith("io.github.tokenintrospection.");
			}
		}
		return false;
	}

	private static boolean measured(LoadBenchmark.Configuration configuration, RecordedEvent event) {
		Instant at = event.getStartTime();
		for (LoadBenchmark.WrkRound round : configuration.rounds) {
			if (!at.isBefore(round.from()) && !at.isAfter(round.to())) {
				return true;
			}
		}
		return false;
	}

	private static Predicate<RecordedMethod> method(String type, String name) {
		return (m) -> m.getType().getName().equals(type) && m.getName().equals(name);
	}

}
