package io.github.tokenintrospection.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.shared.EvictionChannel;
import io.github.tokenintrospection.internal.cache.shared.RedisAccess;
import io.github.tokenintrospection.internal.cache.shared.SharedTokenCaches;
import io.github.tokenintrospection.internal.cache.shared.TwoLevelCache;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.testsupport.RedisServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;

/**
 * Cost of one {@code introspect(token)} through the two-level cache against a local
 * redis-server started for the run: a local hit (Redis not touched), and a Redis hit (the
 * local entry dropped first, so the claims come from Redis and are parsed and validated
 * again), next to the local-only cache of the same size. 10,000 cached Keycloak-sized
 * tokens.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmark -DskipTests test} (with
 * redis-server installed: {@code .ci/provision-redis}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class SharedCacheBenchmarks {

	private static final int ENTRIES = 10_000;

	String[] tokens;

	String[] keys;

	RedisServer redis;

	LettuceConnectionFactory connectionFactory;

	RedisAccess access;

	EvictionChannel evictions;

	TwoLevelCache twoLevel;

	ValidatingOpaqueTokenIntrospector sharedIntrospector;

	ValidatingOpaqueTokenIntrospector localIntrospector;

	@Setup(Level.Trial)
	public void fillCaches() {
		this.redis = RedisServer.start();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", this.redis.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.access = new RedisAccess(Duration.ofSeconds(2));
		this.evictions = new EvictionChannel(this.connectionFactory, "benchmark:evictions", this.access);
		this.evictions.start();
		SplittableRandom random = new SplittableRandom(42);
		IntrospectedToken answer = KeycloakSizedTokens.introspectedToken(random);
		Clock clock = Clock.systemUTC();
		this.twoLevel = SharedTokenCaches.activeTokens(
				IntrospectionCaches.activeTokens(Duration.ofMinutes(30), ENTRIES, clock), this.connectionFactory,
				"benchmark:", Duration.ofHours(1), null, this.access, this.evictions, clock);
		CachingIntrospectionClient shared = new CachingIntrospectionClient((token) -> answer, this.twoLevel,
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 10_000), clock);
		CachingIntrospectionClient local = new CachingIntrospectionClient((token) -> answer,
				IntrospectionCaches.activeTokens(Duration.ofHours(1), ENTRIES, clock),
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 10_000), clock);
		this.sharedIntrospector = KeycloakSizedTokens.introspector(shared, clock);
		this.localIntrospector = KeycloakSizedTokens.introspector(local, clock);
		this.tokens = new String[ENTRIES];
		this.keys = new String[ENTRIES];
		for (int i = 0; i < ENTRIES; i++) {
			this.tokens[i] = KeycloakSizedTokens.randomToken(random);
			this.keys[i] = HotPathBenchmarks.Floor.key(this.tokens[i]);
			shared.introspect(this.tokens[i]);
			local.introspect(this.tokens[i]);
		}
		if (this.access.failures() > 0) {
			throw new IllegalStateException("Redis failed while filling the cache");
		}
	}

	@TearDown(Level.Trial)
	public void stopRedis() {
		if (this.access.failures() > 0) {
			throw new IllegalStateException(
					this.access.failures() + " Redis calls failed: the results are not Redis hits");
		}
		this.evictions.stop();
		this.access.close();
		this.connectionFactory.destroy();
		this.redis.close();
	}

	/** Each thread walks the tokens from its own starting point. */
	@State(Scope.Thread)
	public static class Cursor {

		int next = new SplittableRandom().nextInt(ENTRIES);

		int next() {
			int index = this.next++;
			if (this.next >= ENTRIES) {
				this.next = 0;
			}
			return index;
		}

	}

	@Benchmark
	@Threads(1)
	public OAuth2AuthenticatedPrincipal localOnlyHit(Cursor cursor) {
		return this.localIntrospector.introspect(this.tokens[cursor.next()]);
	}

	@Benchmark
	@Threads(1)
	public OAuth2AuthenticatedPrincipal twoLevelLocalHit(Cursor cursor) {
		return this.sharedIntrospector.introspect(this.tokens[cursor.next()]);
	}

	@Benchmark
	@Threads(1)
	public OAuth2AuthenticatedPrincipal twoLevelRedisHit(Cursor cursor) {
		int index = cursor.next();
		// Only this instance's copy goes; the Redis entry stays and is read back.
		this.twoLevel.local().evict(this.keys[index]);
		return this.sharedIntrospector.introspect(this.tokens[index]);
	}

	/**
	 * Runs the benchmarks of this class and writes a table of medians.
	 * @param args the output directory, then any JMH command-line options
	 */
	public static void main(String[] args) throws RunnerException, IOException, CommandLineOptionException {
		Path output = Path.of(args[0]);
		Files.createDirectories(output);
		CommandLineOptions commandLine = new CommandLineOptions(Arrays.copyOfRange(args, 1, args.length));
		OptionsBuilder builder = new OptionsBuilder();
		builder.parent(commandLine);
		if (commandLine.getIncludes().isEmpty()) {
			builder.include(SharedCacheBenchmarks.class.getName());
		}
		Collection<RunResult> results = new Runner(builder.resultFormat(ResultFormatType.JSON)
			.result(output.resolve("shared-cache.json").toString())
			.build()).run();
		List<String> lines = new ArrayList<>();
		lines.add("| Case | p50 (ns) | p90 (ns) | p99 (ns) | mean (ns) |");
		lines.add("|---|---:|---:|---:|---:|");
		for (RunResult result : results) {
			String method = result.getParams().getBenchmark();
			Statistics statistics = result.getPrimaryResult().getStatistics();
			lines.add("| %s | %,.0f | %,.0f | %,.0f | %,.0f |".formatted(method.substring(method.lastIndexOf('.') + 1),
					statistics.getPercentile(50), statistics.getPercentile(90), statistics.getPercentile(99),
					statistics.getMean()));
		}
		String table = String.join("\n", lines) + "\n";
		System.out.println(table);
		Files.writeString(output.resolve("shared-cache.md"), table);
	}

}
