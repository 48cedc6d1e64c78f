package io.github.tokenintrospection.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenLookup;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.jwt.JwtRoute;
import io.github.tokenintrospection.internal.jwt.LocalJwtLookup;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.jwt.TestIssuer;
import io.github.tokenintrospection.internal.jwt.VerifiedJwts;
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
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;

/**
 * Cost of one {@code introspect(token)} on the local JWT path (a Keycloak-sized RS256
 * JWT, 2048-bit key, keys cached: routing, signature verification, the same validators
 * and authority mapping), with and without the cache of verified JWTs, next to the
 * introspection cache hit (the same claims from the cache, the same decision), in the
 * same run.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmark -DskipTests test} (it runs
 * after the other benchmarks), or alone through {@code exec:exec@local-jwt}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class LocalJwtBenchmarks {

	/** Distinct tokens of each kind, looked up in turn. */
	private static final int TOKENS = 1024;

	String[] jwts;

	String[] opaqueTokens;

	ValidatingOpaqueTokenIntrospector local;

	ValidatingOpaqueTokenIntrospector localCached;

	ValidatingOpaqueTokenIntrospector cacheHit;

	TestIssuer issuer;

	@Setup(Level.Trial)
	public void prepare() throws ParseException {
		SplittableRandom random = new SplittableRandom(42);
		Clock clock = Clock.systemUTC();
		this.issuer = new TestIssuer();
		LocalJwtRouter router = new LocalJwtRouter(new LocalJwtRouter.Settings(KeycloakSizedTokens.ISSUER,
				List.of("RS256"), List.of("JWT"), List.of(), List.of()), this.issuer.keys());
		TokenLookup neverIntrospected = (token) -> {
			throw new IllegalStateException("introspected");
		};
		this.local = KeycloakSizedTokens
			.introspectorOver(new LocalJwtLookup(neverIntrospected, router, () -> "/api/notes"), clock);
		LocalJwtRouter cachingRouter = new LocalJwtRouter(new LocalJwtRouter.Settings(KeycloakSizedTokens.ISSUER,
				List.of("RS256"), List.of("JWT"), List.of(), List.of()), this.issuer.keys(),
				new VerifiedJwts(Duration.ofHours(1), 10_000, clock));
		this.localCached = KeycloakSizedTokens
			.introspectorOver(new LocalJwtLookup(neverIntrospected, cachingRouter, () -> "/api/notes"), clock);
		IntrospectedToken answer = KeycloakSizedTokens.introspectedToken(random);
		CachingIntrospectionClient cachingClient = new CachingIntrospectionClient((token) -> answer,
				IntrospectionCaches.activeTokens(Duration.ofHours(1), 10_000, clock),
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 10_000), clock);
		this.cacheHit = KeycloakSizedTokens.introspector(cachingClient, clock);
		this.jwts = new String[TOKENS];
		this.opaqueTokens = new String[TOKENS];
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.issuer.key().getKeyID())
			.type(JOSEObjectType.JWT)
			.build();
		for (int i = 0; i < TOKENS; i++) {
			Map<String, Object> claims = JSONObjectUtils.parse(KeycloakSizedTokens.introspectionResponse(random));
			// What only an introspection answer has.
			claims.remove("active");
			claims.remove("token_type");
			claims.remove("username");
			this.jwts[i] = TestIssuer.sign(header, claims, TestIssuer.signer(this.issuer.key()));
			this.opaqueTokens[i] = KeycloakSizedTokens.randomToken(random);
			cachingClient.introspect(this.opaqueTokens[i]);
			this.localCached.introspect(this.jwts[i]);
		}
		if (!(router.decide(this.jwts[0], "/api/notes") instanceof JwtRoute.Accepted)) {
			throw new IllegalStateException("The benchmark's JWT is not accepted locally");
		}
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.issuer.close();
	}

	/** Each thread walks the tokens from its own starting point. */
	@State(Scope.Thread)
	public static class Cursor {

		int next = new SplittableRandom().nextInt(TOKENS);

		int next() {
			int index = this.next++;
			if (this.next >= TOKENS) {
				this.next = 0;
			}
			return index;
		}

	}

	@Benchmark
	@Threads(1)
	public OAuth2AuthenticatedPrincipal t1_cacheHit(Cursor cursor) {
		return this.cacheHit.introspect(this.opaqueTokens[cursor.next()]);
	}

	@Benchmark
	@Threads(1)
	public OAuth2AuthenticatedPrincipal t1_localCached(Cursor cursor) {
		return this.localCached.introspect(this.jwts[cursor.next()]);
	}

	@Benchmark
	@Threads(2)
	public OAuth2AuthenticatedPrincipal t2_localCached(Cursor cursor) {
		return this.localCached.introspect(this.jwts[cursor.next()]);
	}

	@Benchmark
	@Threads(1)
	public OAuth2AuthenticatedPrincipal t1_localJwt(Cursor cursor) {
		return this.local.introspect(this.jwts[cursor.next()]);
	}

	@Benchmark
	@Threads(2)
	public OAuth2AuthenticatedPrincipal t2_cacheHit(Cursor cursor) {
		return this.cacheHit.introspect(this.opaqueTokens[cursor.next()]);
	}

	@Benchmark
	@Threads(2)
	public OAuth2AuthenticatedPrincipal t2_localJwt(Cursor cursor) {
		return this.local.introspect(this.jwts[cursor.next()]);
	}

	/**
	 * Runs the benchmarks of this class and writes a table of ratios (local / cache hit).
	 * @param args the output directory, then any JMH command-line options
	 */
	public static void main(String[] args) throws RunnerException, IOException, CommandLineOptionException {
		Path output = Path.of(args[0]);
		Files.createDirectories(output);
		CommandLineOptions commandLine = new CommandLineOptions(Arrays.copyOfRange(args, 1, args.length));
		OptionsBuilder builder = new OptionsBuilder();
		builder.parent(commandLine);
		if (commandLine.getIncludes().isEmpty()) {
			builder.include(LocalJwtBenchmarks.class.getName());
		}
		Options options = builder.resultFormat(ResultFormatType.JSON)
			.result(output.resolve("local-jwt.json").toString())
			.build();
		Collection<RunResult> results = new Runner(options).run();
		// threads -> {cache hit, local cached, local verified each time}
		Map<Integer, Statistics[]> byThreads = new TreeMap<>();
		for (RunResult result : results) {
			String method = result.getParams().getBenchmark();
			int slot = method.endsWith("cacheHit") ? 0 : method.endsWith("localCached") ? 1 : 2;
			byThreads.computeIfAbsent(result.getParams().getThreads(), (t) -> new Statistics[3])[slot] = result
				.getPrimaryResult()
				.getStatistics();
		}
		List<String> lines = new ArrayList<>();
		lines.add("| Threads | Cache hit p50 (ns) | Local, cached p50 (ns) | Ratio | Local, verified p50 (ns) | Ratio "
				+ "| Cache hit mean (ns) | Local, cached mean (ns) | Local, verified mean (ns) |");
		lines.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		byThreads.forEach((threads, row) -> {
			if (row[0] != null && row[1] != null && row[2] != null) {
				double hit = row[0].getPercentile(50);
				lines.add("| %d | %,.0f | %,.0f | %.1fx | %,.0f | %.1fx | %,.0f | %,.0f | %,.0f |".formatted(threads,
						hit, row[1].getPercentile(50), row[1].getPercentile(50) / hit, row[2].getPercentile(50),
						row[2].getPercentile(50) / hit, row[0].getMean(), row[1].getMean(), row[2].getMean()));
			}
		});
		String table = String.join("\n", lines) + "\n";
		System.out.println(table);
		Files.writeString(output.resolve("local-jwt.md"), table);
	}

}
