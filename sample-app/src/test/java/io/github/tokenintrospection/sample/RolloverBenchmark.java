package io.github.tokenintrospection.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Rollover under steady load, against one real Keycloak: many tokens, a short cache TTL
 * so that every token's entry ends many times during the measurement, and requests spread
 * over the tokens. Three configurations of the notes API, in this JVM, measured in turns:
 * (1) a TTL longer than the run, so every request is a cache hit (the reference); (2) a 2
 * s TTL; (3) the same with refresh-ahead. Reports the latency percentiles each client saw
 * and the introspection calls per token per TTL.
 * <p>
 * Run with
 * {@code .ci/with-keycloak ./mvnw -B -pl sample-app -am -Prollover-benchmark -DskipTests test}
 * (see docs/benchmarks.md); writes {@code target/benchmarks/rollover.md}.
 */
public final class RolloverBenchmark {

	private static final String PATH = "/api/notes";

	private final int tokens = Integer.getInteger("benchmark.tokens", 200);

	private final int clients = Integer.getInteger("benchmark.clients", 4);

	private final int slotSeconds = Integer.getInteger("benchmark.slot", 10);

	private final int rounds = Integer.getInteger("benchmark.rounds", 3);

	private final int ttlSeconds = Integer.getInteger("benchmark.ttl", 2);

	private RolloverBenchmark() {
	}

	/**
	 * @param args the directory for the results
	 */
	public static void main(String[] args) throws Exception {
		int status = 0;
		try {
			new RolloverBenchmark().run(Path.of(args[0]));
		}
		catch (Exception ex) {
			ex.printStackTrace();
			status = 1;
		}
		System.exit(status);
	}

	private void run(Path output) throws Exception {
		String keycloak = NotesKeycloak.container().getAuthServerUrl();
		List<String> tokens = new ArrayList<>();
		for (int i = 0; i < this.tokens; i++) {
			tokens.add(NotesKeycloak.passwordGrant("notes-web", "bob", "").accessToken());
		}
		String ttl = this.ttlSeconds + "s";
		List<App> apps = List.of(App.start("(1) all hits (TTL 10 min)", keycloak, "10m", false),
				App.start("(2) TTL " + ttl, keycloak, ttl, false),
				App.start("(3) TTL " + ttl + " + refresh-ahead", keycloak, ttl, true));
		try {
			for (App app : apps) {
				System.out.println(Instant.now() + " " + app.name + ": warm-up");
				load(app, tokens, Math.max(5, this.slotSeconds / 2));
				app.reset();
			}
			for (int round = 0; round < this.rounds; round++) {
				for (int i = 0; i < apps.size(); i++) {
					App app = apps.get((i + round) % apps.size());
					System.out.println(Instant.now() + " " + app.name + ": round " + (round + 1));
					long callsBefore = app.calls();
					app.add(load(app, tokens, this.slotSeconds));
					app.measuredCalls += app.calls() - callsBefore;
					app.measuredSeconds += this.slotSeconds;
				}
			}
			List<String> report = new ArrayList<>();
			report.add(String.format(Locale.ROOT,
					"%d tokens, %d clients, %d rounds of %d s per configuration, cache TTL %d s in (2) and (3)",
					this.tokens, this.clients, this.rounds, this.slotSeconds, this.ttlSeconds));
			report.add("");
			report.add("| Configuration | requests | p50 | p99 | p99.9 | max | calls per token per TTL |");
			report.add("|---|---|---|---|---|---|---|");
			for (App app : apps) {
				report.add(app.row(this.tokens, this.ttlSeconds));
			}
			report.forEach(System.out::println);
			Files.createDirectories(output);
			Files.write(output.resolve("rollover.md"), report);
		}
		finally {
			apps.forEach((app) -> app.context.close());
		}
	}

	/**
	 * Requests from {@code clients} threads, each on a random token, for some seconds.
	 */
	private long[] load(App app, List<String> tokens, int seconds) throws Exception {
		URI uri = URI.create("http://127.0.0.1:" + app.port + PATH);
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		ExecutorService executor = Executors.newFixedThreadPool(this.clients);
		try {
			List<Future<long[]>> results = new ArrayList<>();
			for (int c = 0; c < this.clients; c++) {
				results.add(executor.submit(() -> {
					HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
					long[] latencies = new long[1 << 16];
					int count = 0;
					while (System.nanoTime() < end) {
						String token = tokens.get(ThreadLocalRandom.current().nextInt(tokens.size()));
						HttpRequest request = HttpRequest.newBuilder(uri)
							.header("Authorization", "Bearer " + token)
							.GET()
							.build();
						long start = System.nanoTime();
						int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
						long took = System.nanoTime() - start;
						if (status != 200) {
							throw new IllegalStateException("GET " + PATH + " answered " + status);
						}
						if (count == latencies.length) {
							latencies = Arrays.copyOf(latencies, count * 2);
						}
						latencies[count++] = took;
					}
					return Arrays.copyOf(latencies, count);
				}));
			}
			long[] all = new long[0];
			for (Future<long[]> result : results) {
				long[] part = result.get();
				long[] merged = Arrays.copyOf(all, all.length + part.length);
				System.arraycopy(part, 0, merged, all.length, part.length);
				all = merged;
			}
			return all;
		}
		finally {
			executor.shutdownNow();
		}
	}

	/** One configuration of the notes API, in this JVM. */
	private static final class App {

		final String name;

		final ConfigurableApplicationContext context;

		final int port;

		long[] latencies = new long[0];

		long measuredCalls;

		long measuredSeconds;

		private App(String name, ConfigurableApplicationContext context) {
			this.name = name;
			this.context = context;
			this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
		}

		static App start(String name, String keycloak, String ttl, boolean refreshAhead) {
			return new App(name, new SpringApplication(NotesApplication.class).run("--server.port=0",
					"--keycloak.url=" + keycloak, "--spring.main.banner-mode=off", "--logging.level.root=WARN",
					"--logging.level.io.github.tokenintrospection.audit=WARN", "--token-introspection.cache.ttl=" + ttl,
					"--token-introspection.cache.refresh-ahead.enabled=" + refreshAhead,
					// Enough for every token once per TTL: what is measured is the
					// rollover, not the budget.
					"--token-introspection.cache.refresh-ahead.max-per-second=1000"));
		}

		long calls() {
			return this.context.getBean(RestClientIntrospectionClient.class).requestCount();
		}

		void reset() {
			this.latencies = new long[0];
		}

		void add(long[] more) {
			long[] merged = Arrays.copyOf(this.latencies, this.latencies.length + more.length);
			System.arraycopy(more, 0, merged, this.latencies.length, more.length);
			this.latencies = merged;
		}

		String row(int tokens, int ttlSeconds) {
			long[] sorted = this.latencies.clone();
			Arrays.sort(sorted);
			double perTokenPerTtl = this.measuredCalls
					/ ((double) tokens * Math.max(1.0, this.measuredSeconds / (double) ttlSeconds));
			return String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %.2f |", this.name, sorted.length,
					millis(percentile(sorted, 0.50)), millis(percentile(sorted, 0.99)),
					millis(percentile(sorted, 0.999)), millis(sorted[sorted.length - 1]), perTokenPerTtl);
		}

		private static long percentile(long[] sorted, double p) {
			return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
		}

		private static String millis(long nanos) {
			return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
		}

	}

}
