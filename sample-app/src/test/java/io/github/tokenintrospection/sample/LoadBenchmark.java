package io.github.tokenintrospection.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Load benchmarks of the notes API against one real Keycloak, in one JVM and one run.
 * <ol>
 * <li>End to end: {@code GET /api/notes} under wrk (fixed connections and duration, a
 * discarded warm-up first) in three configurations: (a) every request permitted, the floor;
 * (b) the starter with a warm cache; (c) Spring Security's stock introspector, which asks
 * Keycloak on every request; and, to tell where time goes, (d) the secured app with an
 * introspector that costs nothing.</li>
 * <li>Authorization-server load: N requests over M distinct tokens from C concurrent clients
 * that start together; counts the starter's calls to Keycloak's introspection endpoint.</li>
 * </ol>
 * Run with {@code .ci/with-keycloak ./mvnw -B -pl sample-app -am -Pload-benchmark -DskipTests test}
 * (see docs/benchmarks.md). Writes {@code docs/benchmarks-e2e.svg} and a table of results.
 */
public final class LoadBenchmark {

	private static final String PATH = "/api/notes";

	private final int warmupSeconds = Integer.getInteger("benchmark.warmup", 10);

	private final int durationSeconds = Integer.getInteger("benchmark.duration", 30);

	private final int connections = Integer.getInteger("benchmark.connections", 16);

	private final int wrkThreads = Integer.getInteger("benchmark.wrk-threads", 2);

	private LoadBenchmark() {
	}

	/**
	 * @param args the directory for the chart (docs/), then the directory for the results
	 */
	public static void main(String[] args) throws Exception {
		int status = 0;
		try {
			new LoadBenchmark().run(Path.of(args[0]), Path.of(args[1]));
		}
		catch (Throwable ex) {
			ex.printStackTrace();
			status = 1;
		}
		// Stops Keycloak (a shutdown hook) and the non-daemon threads of the clients.
		System.exit(status);
	}

	private void run(Path docs, Path output) throws Exception {
		Files.createDirectories(output);
		Files.createDirectories(docs);
		String wrk = ensureWrk();
		String keycloakUrl = NotesKeycloak.container().getAuthServerUrl();
		List<String> report = new ArrayList<>();
		report.add("Keycloak at " + keycloakUrl + ", wrk: " + wrkThreads + " threads, " + connections
				+ " connections, " + warmupSeconds + " s warm-up (discarded), " + durationSeconds + " s measured");
		report.add("");

		WrkResult permitAll;
		WrkResult starter;
		WrkResult stock;
		WrkResult fixed;
		long starterCallsDuringRun;
		try (ConfigurableApplicationContext app = start(PermitAllNotesApplication.class, keycloakUrl)) {
			permitAll = measure(wrk, "(a) permitAll", port(app), freshToken());
		}
		try (ConfigurableApplicationContext app = start(NotesApplication.class, keycloakUrl)) {
			RestClientIntrospectionClient client = app.getBean(RestClientIntrospectionClient.class);
			String token = freshToken();
			long before = client.requestCount();
			starter = measure(wrk, "(b) starter, warm cache", port(app), token);
			starterCallsDuringRun = client.requestCount() - before;
		}
		try (ConfigurableApplicationContext app = start(NotesApplication.class, keycloakUrl,
				"--token-introspection.enabled=false")) {
			stock = measure(wrk, "(c) stock introspector", port(app), freshToken());
		}
		try (ConfigurableApplicationContext app = start(new Class<?>[] { NotesApplication.class,
				FixedPrincipalIntrospector.class }, keycloakUrl)) {
			fixed = measure(wrk, "(d) diagnostic: zero-cost introspector", port(app), freshToken());
		}
		report.add("| Configuration | Requests/s | p50 | p99 | Requests measured |");
		report.add("|---|---:|---:|---:|---:|");
		for (WrkResult result : List.of(permitAll, starter, stock, fixed)) {
			report.add("| %s | %,.0f | %s | %s | %,d |".formatted(result.name, result.requestsPerSecond,
					millis(result.p50Micros), millis(result.p99Micros), result.requests));
		}
		report.add("");
		report.add("(b) / (a) throughput: %.1f%%".formatted(100 * starter.requestsPerSecond / permitAll.requestsPerSecond));
		report.add("(b) / (c) throughput: %.1fx".formatted(starter.requestsPerSecond / stock.requestsPerSecond));
		report.add("(d) / (a) throughput: %.1f%% (Spring Security's pipeline and method security alone)"
			.formatted(100 * fixed.requestsPerSecond / permitAll.requestsPerSecond));
		report.add("(b) / (d) throughput: %.1f%% (the starter's share)"
			.formatted(100 * starter.requestsPerSecond / fixed.requestsPerSecond));
		report.add("Introspection calls by the starter during (b)'s warm-up and measurement: " + starterCallsDuringRun);
		report.add("");
		Files.writeString(docs.resolve("benchmarks-e2e.svg"), Chart.svg(List.of(permitAll, starter, stock),
				wrkThreads, connections, durationSeconds));

		report.add("| N requests | M distinct tokens | C clients | Introspection calls | Expected |");
		report.add("|---:|---:|---:|---:|---:|");
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			tokens.add(freshToken());
		}
		int[][] scenarios = { { 1_000, 10, 1 }, { 2_000, 20, 4 }, { 20_000, 100, 16 }, { 20_000, 100, 64 } };
		for (int[] scenario : scenarios) {
			long calls = authorizationServerLoad(keycloakUrl, scenario[0], tokens.subList(0, scenario[1]), scenario[2]);
			report.add("| %,d | %d | %d | %d | %d |".formatted(scenario[0], scenario[1], scenario[2], calls,
					scenario[1]));
		}
		String text = String.join("\n", report) + "\n";
		System.out.println(text);
		Files.writeString(output.resolve("load.md"), text);
	}

	/**
	 * Sends {@code requests} requests from {@code clients} threads that start together and
	 * walk the tokens in the same order, so that first requests for a token are concurrent.
	 * @return the calls the starter made to the introspection endpoint
	 */
	private long authorizationServerLoad(String keycloakUrl, int requests, List<String> tokens, int clients)
			throws Exception {
		try (ConfigurableApplicationContext app = start(NotesApplication.class, keycloakUrl)) {
			RestClientIntrospectionClient introspection = app.getBean(RestClientIntrospectionClient.class);
			long before = introspection.requestCount();
			URI uri = URI.create("http://127.0.0.1:" + port(app) + PATH);
			CyclicBarrier start = new CyclicBarrier(clients);
			ExecutorService executor = Executors.newFixedThreadPool(clients);
			try {
				List<Future<Integer>> failures = new ArrayList<>();
				for (int c = 0; c < clients; c++) {
					int share = requests / clients + ((c < requests % clients) ? 1 : 0);
					failures.add(executor.submit(() -> {
						HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
						start.await();
						int failed = 0;
						for (int i = 0; i < share; i++) {
							HttpRequest request = HttpRequest.newBuilder(uri)
								.header("Authorization", "Bearer " + tokens.get(i % tokens.size()))
								.GET()
								.build();
							if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
								failed++;
							}
						}
						return failed;
					}));
				}
				for (Future<Integer> failed : failures) {
					if (failed.get() != 0) {
						throw new IllegalStateException(failed.get() + " requests did not get 200");
					}
				}
			}
			finally {
				executor.shutdownNow();
			}
			return introspection.requestCount() - before;
		}
	}

	private static ConfigurableApplicationContext start(Class<?> source, String keycloakUrl, String... extraArgs) {
		return start(new Class<?>[] { source }, keycloakUrl, extraArgs);
	}

	private static ConfigurableApplicationContext start(Class<?>[] sources, String keycloakUrl, String... extraArgs) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--keycloak.url=" + keycloakUrl,
				"--spring.main.banner-mode=off", "--logging.level.root=WARN"));
		args.addAll(List.of(extraArgs));
		return new SpringApplication(sources).run(args.toArray(String[]::new));
	}

	private static int port(ConfigurableApplicationContext app) {
		return ((WebServerApplicationContext) app).getWebServer().getPort();
	}

	private static String freshToken() {
		return NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
	}

	private WrkResult measure(String wrk, String name, int port, String token) throws Exception {
		String url = "http://127.0.0.1:" + port + PATH;
		int status = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
		if (status != 200) {
			throw new IllegalStateException(name + ": GET " + PATH + " answered " + status);
		}
		System.out.println(Instant.now() + " " + name + ": warm-up " + warmupSeconds + " s");
		runWrk(wrk, url, token, warmupSeconds);
		System.out.println(Instant.now() + " " + name + ": measuring " + durationSeconds + " s");
		String out = runWrk(wrk, url, token, durationSeconds);
		System.out.println(out);
		if (out.contains("Non-2xx or 3xx responses") || out.contains("Socket errors")) {
			throw new IllegalStateException(name + ": wrk saw failed requests:\n" + out);
		}
		return new WrkResult(name, number(out, "Requests/sec:\\s+([\\d.]+)"), latency(out, "50%"),
				latency(out, "99%"), (long) number(out, "(\\d+) requests in"));
	}

	private String runWrk(String wrk, String url, String token, int seconds) throws Exception {
		Process process = new ProcessBuilder(wrk, "-t" + wrkThreads, "-c" + connections, "-d" + seconds + "s",
				"--latency", "-H", "Authorization: Bearer " + token, url)
			.redirectErrorStream(true)
			.start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException("wrk failed:\n" + out);
		}
		return out;
	}

	/** wrk from the PATH, installed from the distribution's packages when missing. */
	private static String ensureWrk() throws Exception {
		if (onPath("wrk")) {
			return "wrk";
		}
		System.out.println("wrk is not installed: installing Debian's package");
		for (List<String> command : List.of(List.of("apt-get", "update", "-qq"),
				List.of("apt-get", "install", "-y", "-qq", "wrk"))) {
			Process process = new ProcessBuilder(command).inheritIO().start();
			if (process.waitFor() != 0) {
				throw new IllegalStateException("Could not install wrk (" + String.join(" ", command)
						+ "); install it and run again");
			}
		}
		return "wrk";
	}

	private static boolean onPath(String program) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (Files.isExecutable(Path.of(directory, program))) {
				return true;
			}
		}
		return false;
	}

	private static double number(String out, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(out);
		if (!matcher.find()) {
			throw new IllegalStateException("No " + regex + " in wrk's output:\n" + out);
		}
		return Double.parseDouble(matcher.group(1));
	}

	/** A latency percentile of wrk's distribution, in microseconds. */
	private static double latency(String out, String percentile) {
		Matcher matcher = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)\\b").matcher(out);
		if (!matcher.find()) {
			throw new IllegalStateException("No " + percentile + " latency in wrk's output:\n" + out);
		}
		double value = Double.parseDouble(matcher.group(1));
		return switch (matcher.group(2)) {
			case "us" -> value;
			case "ms" -> value * 1_000;
			default -> value * 1_000_000;
		};
	}

	static String millis(double micros) {
		return String.format(Locale.ROOT, "%.2f ms", micros / 1000);
	}

	record WrkResult(String name, double requestsPerSecond, double p50Micros, double p99Micros, long requests) {
	}

	/** A bar chart of throughput, with latencies as labels, written as SVG from the results. */
	static final class Chart {

		private Chart() {
		}

		static String svg(List<WrkResult> results, int threads, int connections, int seconds) {
			int width = 760;
			int barHeight = 46;
			int left = 230;
			int right = 40;
			int top = 70;
			int gap = 24;
			double max = results.stream().mapToDouble(WrkResult::requestsPerSecond).max().orElse(1);
			int height = top + results.size() * (barHeight + gap) + 40;
			String[] colors = { "#9aa5b1", "#2f855a", "#c05621" };
			StringBuilder svg = new StringBuilder();
			svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n"
				.formatted(width, height, width, height));
			svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
			svg.append("<text x=\"20\" y=\"30\" font-size=\"18\" font-weight=\"bold\">GET /api/notes: requests per second (higher is better)</text>\n");
			svg.append("<text x=\"20\" y=\"52\" font-size=\"12\" fill=\"#555\">wrk, %d threads, %d connections, %d s after a discarded warm-up; same Keycloak, same machine, one run</text>\n"
				.formatted(threads, connections, seconds));
			for (int i = 0; i < results.size(); i++) {
				WrkResult result = results.get(i);
				int y = top + i * (barHeight + gap);
				double barWidth = Math.max(2, (width - left - right - 150) * result.requestsPerSecond / max);
				svg.append("<text x=\"20\" y=\"%d\" font-size=\"14\">%s</text>\n".formatted(y + barHeight / 2 + 5,
						escape(result.name)));
				svg.append("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n".formatted(left, y,
						barWidth, barHeight, colors[i % colors.length]));
				svg.append("<text x=\"%.1f\" y=\"%d\" font-size=\"13\">%,.0f req/s</text>\n"
					.formatted(left + barWidth + 8, y + barHeight / 2 - 3, result.requestsPerSecond));
				svg.append("<text x=\"%.1f\" y=\"%d\" font-size=\"11\" fill=\"#555\">p50 %s, p99 %s</text>\n".formatted(
						left + barWidth + 8, y + barHeight / 2 + 13, millis(result.p50Micros), millis(result.p99Micros)));
			}
			svg.append("</svg>\n");
			return svg.toString();
		}

		private static String escape(String text) {
			return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
		}

	}

}
