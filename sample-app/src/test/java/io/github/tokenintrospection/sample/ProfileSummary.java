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
				(m) -> m.getType().getName().startsWith("io.github.tokenintrospection.observation.")
						&& m.getName().equals("decisionMade"));
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
	 * @param recordings each configuration's name and its JFR file
	 * @param threadPrefix the prefix of the names of the request threads
	 * @param from samples taken before this instant (start-up, warm-up) are not counted
	 * @return a Markdown table, one column per configuration
	 */
	static List<String> table(Map<String, Path> recordings, String threadPrefix, Instant from) throws IOException {
		Map<String, int[]> counts = new LinkedHashMap<>();
		Map<String, Integer> totals = new LinkedHashMap<>();
		List<Predicate<RecordedMethod>> parts = new ArrayList<>(PARTS.values());
		for (Map.Entry<String, Path> recording : recordings.entrySet()) {
			int[] count = new int[PARTS.size()];
			int total = 0;
			for (RecordedEvent event : RecordingFile.readAllEvents(recording.getValue())) {
				if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
						|| event.getStartTime().isBefore(from)
						|| !event.getThread("sampledThread").getJavaName().startsWith(threadPrefix)) {
					continue;
				}
				total++;
				for (int i = 0; i < parts.size(); i++) {
					for (RecordedFrame frame : event.getStackTrace().getFrames()) {
						if (frame.isJavaFrame() && parts.get(i).test(frame.getMethod())) {
							count[i]++;
							break;
						}
					}
				}
			}
			counts.put(recording.getKey(), count);
			totals.put(recording.getKey(), total);
		}
		List<String> table = new ArrayList<>();
		table.add("| Share of CPU samples (inclusive) | " + String.join(" | ", recordings.keySet()) + " |");
		table.add("|---" + "|---:".repeat(recordings.size()) + "|");
		List<String> names = new ArrayList<>(PARTS.keySet());
		for (int i = 0; i < names.size(); i++) {
			StringBuilder row = new StringBuilder("| " + names.get(i) + " |");
			for (String configuration : recordings.keySet()) {
				int total = totals.get(configuration);
				row.append(" %.1f%% |".formatted((total == 0) ? 0.0 : 100.0 * counts.get(configuration)[i] / total));
			}
			table.add(row.toString());
		}
		StringBuilder samples = new StringBuilder("| Samples |");
		recordings.keySet().forEach((configuration) -> samples.append(" %,d |".formatted(totals.get(configuration))));
		table.add(samples.toString());
		return table;
	}

	private static Predicate<RecordedMethod> method(String type, String name) {
		return (m) -> m.getType().getName().equals(type) && m.getName().equals(name);
	}

}
