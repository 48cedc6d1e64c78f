package io.github.tokenintrospection.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Load benchmarks of the notes API against one real Keycloak, in one run.
 * <ol>
 * <li>End to end: {@code GET /api/notes} under wrk (fixed connections and duration, a
 * discarded warm-up first) in three configurations: (a) every request permitted, the
 * floor; (b) the starter with a warm cache; (c) Spring Security's stock introspector,
 * which asks Keycloak on every request; and, to tell where time goes, (d) the secured app
 * with an introspector that costs nothing and (e) the starter with Spring Security's own
 * bearer-token resolver; (f) is (b) again, an A/A check of the method. Each runs in a JVM
 * of its own, all side by side, measured in turns (see {@link #measureInterleaved}).</li>
 * <li>Authorization-server load: N requests over M distinct tokens from C concurrent
 * clients that start together; counts the starter's calls to Keycloak's introspection
 * endpoint.</li>
 * </ol>
 * Run with
 * {@code .ci/with-keycloak ./mvnw -B -pl sample-app -am -Pload-benchmark -DskipTests test}
 * (see docs/benchmarks.md). Writes {@code docs/benchmarks-e2e.svg} and a table of
 * results.
 */
public final class LoadBenchmark {

	private static final String PATH = "/api/notes";

	private final int warmupSeconds = Integer.getInteger("benchmark.warmup", 30);

	private final int durationSeconds = Integer.getInteger("benchmark.duration", 12);

	private final int connections = Integer.getInteger("benchmark.connections", 16);

	private final int wrkThreads = Integer.getInteger("benchmark.wrk-threads", 2);

	private final int rounds = Integer.getInteger("benchmark.rounds", 2);

	private final int slotWarmupSeconds = Integer.getInteger("benchmark.slot-warmup", 2);

	private final int forks = Integer.getInteger("benchmark.forks", 4);

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
		report.add("Keycloak at " + keycloakUrl + ", wrk: " + wrkThreads + " threads, " + connections + " connections; "
				+ forks + " forks (a new JVM for every configuration in each), each with " + warmupSeconds
				+ " s of warm-up per configuration (discarded) and " + durationSeconds
				+ " s measured per configuration in " + rounds + " interleaved rounds, each slice after "
				+ slotWarmupSeconds + " s of discarded load");
		report.add("");
		List<Configuration> configurations = List.of(
				new Configuration("(a) permitAll", PermitAllNotesApplication.class),
				new Configuration("(b) starter, warm cache", NotesApplication.class),
				new Configuration("(c) stock introspector", new Class<?>[] { NotesApplication.class },
						"--token-introspection.enabled=false"),
				new Configuration("(d) diagnostic: the starter's first answer, then zero cost", NotesApplication.class,
						FixedPrincipalIntrospector.class),
				new Configuration("(e) diagnostic: starter with Spring Security's regex resolver",
						NotesApplication.class, SpringDefaultBearerTokenResolver.class),
				// The method's own noise: the same application as (b), measured as
				// another one.
				new Configuration("(f) A/A check: (b) again", NotesApplication.class));
		for (int fork = 1; fork <= forks; fork++) {
			try {
				for (Configuration configuration : configurations) {
					configuration.launch(keycloakUrl, output, fork);
				}
				for (Configuration configuration : configurations) {
					configuration.awaitStarted();
				}
				measureInterleaved(wrk, configurations, fork, output);
			}
			finally {
				for (Configuration configuration : configurations) {
					configuration.stop();
				}
			}
		}
		report.addAll(LoadReport.of(configurations));
		report.add("");
		report.add("Profile of the measured slices (JFR execution samples of each application's request threads, "
				+ "load-<configuration>-<fork>.jfr, all forks):");
		report.add("");
		report.addAll(ProfileSummary.table(configurations, "http-nio-"));
		report.add("");
		List<WrkResult> results = configurations.stream().map(Configuration::result).toList();
		Files.writeString(docs.resolve("benchmarks-e2e.svg"),
				Chart.svg(results.subList(0, 3), wrkThreads, connections, durationSeconds * forks));

		report.add("| N requests | M distinct tokens | C clients | Introspection calls | Expected |");
		report.add("|---:|---:|---:|---:|---:|");
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			tokens.add(freshToken());
		}
		int[][] scenarios = { { 1_000, 10, 1 }, { 2_000, 20, 4 }, { 20_000, 100, 16 }, { 20_000, 100, 64 } };
		for (int[] scenario : scenarios) {
			long calls = authorizationServerLoad(keycloakUrl, scenario[0], tokens.subList(0, scenario[1]), scenario[2]);
			report.add(
					"| %,d | %d | %d | %d | %d |".formatted(scenario[0], scenario[1], scenario[2], calls, scenario[1]));
		}
		String text = String.join("\n", report) + "\n";
		System.out.println(text);
		Files.writeString(output.resolve("load.md"), text);
	}

	/**
	 * Sends {@code requests} requests from {@code clients} threads that start together
	 * and walk the tokens in the same order, so that first requests for a token are
	 * concurrent.
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

	/** The sample application in this JVM, for the authorization-server load count. */
	private static ConfigurableApplicationContext start(Class<?> source, String keycloakUrl) {
		return new SpringApplication(source).run("--server.port=0", "--keycloak.url=" + keycloakUrl,
				"--spring.main.banner-mode=off", "--logging.level.root=WARN");
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int port(ConfigurableApplicationContext app) {
		return ((WebServerApplicationContext) app).getWebServer().getPort();
	}

	private static String freshToken() {
		return NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken();
	}

	/**
	 * Warms every configuration of one fork up, then measures them in turns:
	 * {@code rounds} rounds, each giving every configuration an equal slice of the
	 * measured time, in an order that changes from round to round. A burst of load from
	 * elsewhere on the machine then falls on all configurations alike instead of on
	 * whichever ran at that moment.
	 */
	private void measureInterleaved(String wrk, List<Configuration> configurations, int fork, Path output)
			throws Exception {
		for (Configuration configuration : configurations) {
			configuration.token = freshToken();
			checkAnswers200(configuration);
			System.out.println(
					Instant.now() + " fork " + fork + ", " + configuration.name + ": warm-up " + warmupSeconds + " s");
			runWrk(wrk, configuration.url(), configuration.token, warmupSeconds);
		}
		int slice = Math.max(1, durationSeconds / rounds);
		for (int round = 0; round < rounds; round++) {
			for (Configuration configuration : orderOfRound(configurations, fork * 1_000 + round)) {
				System.out.println(Instant.now() + " fork " + fork + ", " + configuration.name + ": round "
						+ (round + 1) + ", " + slice + " s");
				// A token of its own per slice: Keycloak's live 5 minutes, less than the
				// whole run. Discarded: the first requests after the application sat
				// idle run colder, and the starter introspects the new token once.
				configuration.token = freshToken();
				runWrk(wrk, configuration.url(), configuration.token, this.slotWarmupSeconds);
				ThreadCpu.Snapshot before = configuration.threadCpu();
				Instant from = Instant.now();
				String out = runWrk(wrk, configuration.url(), configuration.token, slice);
				Instant to = Instant.now();
				ThreadCpu.Snapshot after = configuration.threadCpu();
				if (out.contains("Non-2xx or 3xx responses") || out.contains("Socket errors")) {
					throw new IllegalStateException(configuration.name + ": wrk saw failed requests:\n" + out);
				}
				configuration.measured(
						new WrkRound(fork, (long) number(out, "(\\d+) requests in"), seconds(out), latency(out, "50%"),
								latency(out, "99%"), after.processNanos() - before.processNanos(), from, to),
						ThreadCpu.between(before, after, configuration.threadNames(after)));
			}
		}
		for (Configuration configuration : configurations) {
			Path jfr = output.resolve("load-" + configuration.letter() + "-" + fork + ".jfr").toAbsolutePath();
			configuration.jcmd("JFR.dump", "name=benchmark", "filename=" + jfr);
			configuration.recordings.add(jfr);
		}
	}

	/**
	 * The order of one round: shuffled with the round's number as the seed, so that a run
	 * is repeatable. A mere rotation keeps every configuration behind the same one in
	 * every round: the one after the stock introspector then always inherits Keycloak's
	 * after-work from (c)'s load.
	 */
	static List<Configuration> orderOfRound(List<Configuration> configurations, int round) {
		List<Configuration> order = new ArrayList<>(configurations);
		Collections.shuffle(order, new Random(round));
		return order;
	}

	private static void checkAnswers200(Configuration configuration) throws Exception {
		int status = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(configuration.url()))
				.header("Authorization", "Bearer " + configuration.token)
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
		if (status != 200) {
			throw new IllegalStateException(configuration.name + ": GET " + PATH + " answered " + status);
		}
	}

	private String runWrk(String wrk, String url, String token, int seconds) throws Exception {
		Process process = new ProcessBuilder(wrk, "-t" + wrkThreads, "-c" + connections, "-d" + seconds + "s",
				"--latency", "--timeout", "10s", "-H", "Authorization: Bearer " + token, url)
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
				throw new IllegalStateException(
						"Could not install wrk (" + String.join(" ", command) + "); install it and run again");
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

	/** The measured duration wrk reports ("N requests in 10.01s"). */
	private static double seconds(String out) {
		Matcher matcher = Pattern.compile("requests in ([\\d.]+)(ms|s|m)\\b").matcher(out);
		if (!matcher.find()) {
			throw new IllegalStateException("No duration in wrk's output:\n" + out);
		}
		double value = Double.parseDouble(matcher.group(1));
		return switch (matcher.group(2)) {
			case "ms" -> value / 1_000;
			case "m" -> value * 60;
			default -> value;
		};
	}

	static String millis(double micros) {
		return String.format(Locale.ROOT, "%.2f ms", micros / 1000);
	}

	record WrkResult(String name, double requestsPerSecond, double p50Micros, double p99Micros, long requests,
			double cpuMicrosPerRequest) {
	}

	/** One measured slice of one configuration. */
	record WrkRound(int fork, long requests, double seconds, double p50Micros, double p99Micros, long cpuNanos,
			Instant from, Instant to) {
	}

	/**
	 * One configuration under test: in each fork a new JVM of its own (so that no two
	 * configurations share JIT-compiled code or a heap, and no configuration's result
	 * hangs on one JVM's compilation luck), and its measured slices over all forks.
	 */
	static final class Configuration {

		final String name;

		private final Class<?>[] sources;

		private final String[] extraArgs;

		final List<WrkRound> rounds = new ArrayList<>();

		/** CPU nanoseconds (user, kernel) by kind of thread over all measured slices. */
		final Map<ThreadCpu.Part, long[]> cpuByPart = new EnumMap<>(ThreadCpu.Part.class);

		final List<Path> recordings = new ArrayList<>();

		private Process process;

		private Map<Long, String> threadNames = Map.of();

		private int port;

		String token;

		Configuration(String name, Class<?>... sources) {
			this(name, sources, new String[0]);
		}

		Configuration(String name, Class<?>[] sources, String... extraArgs) {
			this.name = name;
			this.sources = sources;
			this.extraArgs = extraArgs;
			for (ThreadCpu.Part part : ThreadCpu.Part.values()) {
				this.cpuByPart.put(part, new long[2]);
			}
		}

		/** The configuration's letter: {@code b} for "(b) ...". */
		String letter() {
			return this.name.substring(1, 2);
		}

		void launch(String keycloakUrl, Path output, int fork) throws IOException {
			this.port = freePort();
			this.threadNames = Map.of();
			List<String> command = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
							"-XX:FlightRecorderOptions:stackdepth=512",
							// Recording from the start: JFR started later through jcmd
							// changes
							// the JVM's instrumentation state mid-run. Once, a
							// compilation was
							// dropped at that moment and Tomcat's header parser then took
							// most of
							// (a)'s samples and 3x its CPU.
							"-XX:StartFlightRecording:name=benchmark,settings=profile", "-cp",
							System.getProperty("java.class.path"), BenchmarkApplication.class.getName(),
							String.join(",", Arrays.stream(this.sources).map(Class::getName).toList()),
							"--server.port=" + this.port, "--keycloak.url=" + keycloakUrl,
							"--spring.main.banner-mode=off", "--logging.level.root=WARN"));
			command.addAll(List.of(this.extraArgs));
			Path log = output.resolve("app-" + letter() + "-" + fork + ".log");
			this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		}

		void awaitStarted() throws Exception {
			HttpClient http = HttpClient.newHttpClient();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(this.name + " exited with " + this.process.exitValue());
				}
				try {
					http.send(HttpRequest.newBuilder(URI.create(url())).build(),
							HttpResponse.BodyHandlers.discarding());
					return;
				}
				catch (IOException ex) {
					Thread.sleep(500);
				}
			}
			throw new IllegalStateException(this.name + " did not start within 180 s");
		}

		ThreadCpu.Snapshot threadCpu() throws IOException {
			return ThreadCpu.snapshot(this.process.pid());
		}

		/**
		 * Names of the JVM's threads by native id; {@code jcmd} asked again only when a
		 * thread is not known yet (a new pool thread, another fork).
		 */
		Map<Long, String> threadNames(ThreadCpu.Snapshot snapshot) throws Exception {
			if (!this.threadNames.keySet().containsAll(snapshot.threads().keySet())) {
				this.threadNames = ThreadCpu.names(jcmd("Thread.print"));
			}
			return this.threadNames;
		}

		void measured(WrkRound round, Map<ThreadCpu.Part, long[]> cpu) {
			this.rounds.add(round);
			cpu.forEach((part, nanos) -> {
				long[] sum = this.cpuByPart.get(part);
				sum[0] += nanos[0];
				sum[1] += nanos[1];
			});
		}

		/** Runs a diagnostic command in the JVM and returns what it printed. */
		String jcmd(String... command) throws Exception {
			List<String> line = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
							Long.toString(this.process.pid())));
			line.addAll(List.of(command));
			Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
			String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (jcmd.waitFor() != 0) {
				throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
			}
			return out;
		}

		void stop() throws InterruptedException {
			if (this.process == null) {
				return;
			}
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
			this.process = null;
		}

		String url() {
			return "http://127.0.0.1:" + this.port + PATH;
		}

		long requests() {
			return this.rounds.stream().mapToLong(WrkRound::requests).sum();
		}

		/**
		 * Throughput and CPU per request over all slices of all forks together; latency
		 * percentiles are the median of the slices' (wrk reports percentiles per run, not
		 * its samples).
		 */
		WrkResult result() {
			return result(this.name, this.rounds);
		}

		/** CPU per request of each fork, in microseconds. */
		double[] cpuMicrosPerRequestByFork() {
			return this.rounds.stream()
				.mapToInt(WrkRound::fork)
				.distinct()
				.sorted()
				.mapToDouble((fork) -> result(this.name, this.rounds.stream().filter((r) -> r.fork() == fork).toList())
					.cpuMicrosPerRequest())
				.toArray();
		}

		static WrkResult result(String name, List<WrkRound> rounds) {
			long requests = rounds.stream().mapToLong(WrkRound::requests).sum();
			double seconds = rounds.stream().mapToDouble(WrkRound::seconds).sum();
			long cpuNanos = rounds.stream().mapToLong(WrkRound::cpuNanos).sum();
			return new WrkResult(name, requests / seconds, median(rounds.stream().mapToDouble(WrkRound::p50Micros)),
					median(rounds.stream().mapToDouble(WrkRound::p99Micros)), requests, cpuNanos / 1_000.0 / requests);
		}

		private static double median(DoubleStream values) {
			double[] sorted = values.sorted().toArray();
			int middle = sorted.length / 2;
			return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
		}

	}

	/**
	 * A bar chart of throughput, with latencies as labels, written as SVG from the
	 * results.
	 */
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
			svg.append(
					"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n"
						.formatted(width, height, width, height));
			svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
			svg.append(
					"<text x=\"20\" y=\"30\" font-size=\"18\" font-weight=\"bold\">GET /api/notes: requests per second (higher is better)</text>\n");
			svg.append(
					"<text x=\"20\" y=\"52\" font-size=\"12\" fill=\"#555\">wrk, %d threads, %d connections, %d s after a discarded warm-up; same Keycloak, same machine, one run</text>\n"
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
						left + barWidth + 8, y + barHeight / 2 + 13, millis(result.p50Micros),
						millis(result.p99Micros)));
			}
			svg.append("</svg>\n");
			return svg.toString();
		}

		private static String escape(String text) {
			return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
		}

	}

}
