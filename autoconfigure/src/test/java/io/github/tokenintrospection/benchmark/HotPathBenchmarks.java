package io.github.tokenintrospection.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;

/**
 * Cost of one {@code introspect(token)} on a cache hit, from the raw 1.2 KB token to the
 * principal with its authorities (hash, both caches, every claim validator, authority
 * mapping), next to the floor measured in the same run: SHA-256 of the token and one
 * lookup in a bare Caffeine cache of the same size.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmark -DskipTests test}; JMH options
 * can be added with {@code -Dbenchmark.jmh.args="..."}.
 * <p>
 * Every operation is timed ({@link Mode#SampleTime}) and the ratio is taken of the
 * medians: on a shared machine a median is hardly moved by the other processes' bursts,
 * which inflate the means (reported too). The methods are named so that JMH measures the
 * floor and the starter for one thread count back to back (JMH runs benchmarks in name
 * order), in two forks: a change in the machine's load then hits both sides of a ratio
 * alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = { "-Xms3g", "-Xmx3g" })
public class HotPathBenchmarks {

	/** Distinct tokens looked up, so that lookups spread over the cache. */
	private static final int MAX_LOOKUP_TOKENS = 65_536;

	@Param({ "10000", "1000000" })
	int entries;

	String[] tokens;

	ValidatingOpaqueTokenIntrospector introspector;

	Cache<String, Object> floorCache;

	@Setup(Level.Trial)
	public void fillCaches() {
		SplittableRandom random = new SplittableRandom(42);
		IntrospectedToken answer = KeycloakSizedTokens.introspectedToken(random);
		Clock clock = Clock.systemUTC();
		CachingIntrospectionClient cachingClient = new CachingIntrospectionClient((token) -> answer,
				IntrospectionCaches.activeTokens(Duration.ofHours(1), this.entries, clock),
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 10_000), clock);
		this.introspector = KeycloakSizedTokens.introspector(cachingClient, clock);
		this.floorCache = Caffeine.newBuilder().maximumSize(this.entries).build();
		this.tokens = new String[Math.min(this.entries, MAX_LOOKUP_TOKENS)];
		for (int i = 0; i < this.entries; i++) {
			String token = KeycloakSizedTokens.randomToken(random);
			if (i < this.tokens.length) {
				this.tokens[i] = token;
			}
			cachingClient.introspect(token);
			this.floorCache.put(Floor.key(token), answer);
		}
	}

	/** Each thread walks the lookup tokens from its own starting point. */
	@State(Scope.Thread)
	public static class Cursor {

		int next = new SplittableRandom().nextInt(MAX_LOOKUP_TOKENS);

		String next(String[] tokens) {
			int index = this.next++;
			if (this.next >= tokens.length) {
				this.next = 0;
			}
			return tokens[index % tokens.length];
		}

	}

	/**
	 * SHA-256 of the token, hex-encoded as a key, and one lookup in a bare Caffeine
	 * cache.
	 */
	static final class Floor {

		private static final MessageDigest PROTOTYPE = sha256();

		private static final HexFormat HEX = HexFormat.of();

		static String key(String token) {
			MessageDigest digest;
			try {
				digest = (MessageDigest) PROTOTYPE.clone();
			}
			catch (CloneNotSupportedException ex) {
				digest = sha256();
			}
			return HEX.formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
		}

		private static MessageDigest sha256() {
			try {
				return MessageDigest.getInstance("SHA-256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	private Object floor(Cursor cursor) {
		return this.floorCache.getIfPresent(Floor.key(cursor.next(this.tokens)));
	}

	private OAuth2AuthenticatedPrincipal introspect(Cursor cursor) {
		return this.introspector.introspect(cursor.next(this.tokens));
	}

	@Benchmark
	@Threads(1)
	public Object t1_floor(Cursor cursor) {
		return floor(cursor);
	}

	@Benchmark
	@Threads(1)
	public Object t1_introspect(Cursor cursor) {
		return introspect(cursor);
	}

	@Benchmark
	@Threads(2)
	public Object t2_floor(Cursor cursor) {
		return floor(cursor);
	}

	@Benchmark
	@Threads(2)
	public Object t2_introspect(Cursor cursor) {
		return introspect(cursor);
	}

	@Benchmark
	@Threads(8)
	public Object t8_floor(Cursor cursor) {
		return floor(cursor);
	}

	@Benchmark
	@Threads(8)
	public Object t8_introspect(Cursor cursor) {
		return introspect(cursor);
	}

	/**
	 * Runs the benchmarks of this class and writes a table of ratios (introspect /
	 * floor).
	 * @param args the output directory, then any JMH command-line options
	 */
	public static void main(String[] args) throws RunnerException, IOException, CommandLineOptionException {
		Path output = Path.of(args[0]);
		Files.createDirectories(output);
		CommandLineOptions commandLine = new CommandLineOptions(Arrays.copyOfRange(args, 1, args.length));
		OptionsBuilder builder = new OptionsBuilder();
		builder.parent(commandLine);
		if (commandLine.getIncludes().isEmpty()) {
			builder.include(HotPathBenchmarks.class.getName());
		}
		Options options = builder.resultFormat(ResultFormatType.JSON)
			.result(output.resolve("hot-path.json").toString())
			.build();
		Collection<RunResult> results = new Runner(options).run();
		String table = ratioTable(results);
		System.out.println(table);
		Files.writeString(output.resolve("hot-path.md"), table);
	}

	private static String ratioTable(Collection<RunResult> results) {
		// entries -> threads -> {floor, introspect} statistics in ns/op
		Map<Integer, Map<Integer, Statistics[]>> table = new TreeMap<>();
		for (RunResult result : results) {
			if (result.getParams().getParam("entries") == null) {
				continue; // another class's benchmark, chosen with -Dbenchmark.jmh.args;
							// JMH prints it
			}
			String method = result.getParams().getBenchmark();
			method = method.substring(method.lastIndexOf('.') + 1);
			int threads = result.getParams().getThreads();
			int entries = Integer.parseInt(result.getParams().getParam("entries"));
			int slot = method.endsWith("floor") ? 0 : 1;
			table.computeIfAbsent(entries, (e) -> new TreeMap<>())
				.computeIfAbsent(threads, (t) -> new Statistics[2])[slot] = result.getPrimaryResult().getStatistics();
		}
		List<String> lines = new ArrayList<>();
		lines.add("| Entries | Threads | Floor p50 (ns) | introspect p50 (ns) | Ratio of p50 | Floor mean (ns) "
				+ "| introspect mean (ns) | Ratio of means |");
		lines.add("|---:|---:|---:|---:|---:|---:|---:|---:|");
		table.forEach((entries, byThreads) -> byThreads.forEach((threads, pair) -> {
			if (pair[0] == null || pair[1] == null) {
				return;
			}
			double floorMedian = pair[0].getPercentile(50);
			double median = pair[1].getPercentile(50);
			lines.add("| %,d | %d | %,.0f | %,.0f | %.2fx | %,.0f | %,.0f | %.2fx |".formatted(entries, threads,
					floorMedian, median, median / floorMedian, pair[0].getMean(), pair[1].getMean(),
					pair[1].getMean() / pair[0].getMean()));
		}));
		return String.join("\n", lines) + "\n";
	}

}
