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
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.client.IntrospectionResponses;
import io.github.tokenintrospection.internal.possession.DPoPProofVerifier;
import io.github.tokenintrospection.internal.possession.LocalProofReplays;
import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.internal.possession.PresentedCredentials;
import io.github.tokenintrospection.internal.possession.ProofOfPossessionException;
import io.github.tokenintrospection.testsupport.DPoPProofs;
import org.jspecify.annotations.Nullable;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.util.Statistics;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;

/**
 * Cost of one {@code introspect(token)} of a DPoP request with a cached, DPoP-bound
 * Keycloak-sized answer (the proof checked: parse, the cheap rules, ES256 signature by
 * its jwk, replay record; then the binding), next to the bearer cache hit of the same
 * introspector, in the same run. Each DPoP call presents a new proof (a proof is accepted
 * once), signed before the measurement.
 * <p>
 * Run with {@code ./mvnw -B -pl autoconfigure -Pbenchmark -DskipTests test} (after the
 * other benchmarks), or alone through {@code exec:exec@dpop}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class DPoPBenchmarks {

	/** Distinct tokens, looked up in turn. */
	private static final int TOKENS = 1024;

	/**
	 * Proofs signed ahead: more than the calls of one fork at a few thousand a second.
	 */
	private static final int PROOFS = 120_000;

	private static final String URI = "https://notes.example.com/api/notes";

	String[] bearerTokens;

	String[] boundTokens;

	String[] proofs;

	int nextProof;

	int nextToken;

	@Nullable PresentedCredentials current;

	ValidatingOpaqueTokenIntrospector introspector;

	@Setup(Level.Trial)
	public void prepare() {
		SplittableRandom random = new SplittableRandom(42);
		Clock clock = Clock.systemUTC();
		DPoPProofs client = DPoPProofs.generate();
		IntrospectedToken unbound = KeycloakSizedTokens.introspectedToken(random);
		String boundJson = KeycloakSizedTokens.introspectionResponse(random)
			.replaceFirst("\\{", "{\"cnf\":{\"jkt\":\"" + client.thumbprint() + "\"},");
		IntrospectedToken bound = IntrospectionResponses.parse(boundJson);
		this.bearerTokens = new String[TOKENS];
		this.boundTokens = new String[TOKENS];
		for (int i = 0; i < TOKENS; i++) {
			this.bearerTokens[i] = KeycloakSizedTokens.randomToken(random);
			this.boundTokens[i] = KeycloakSizedTokens.randomToken(random);
		}
		List<String> boundList = Arrays.asList(this.boundTokens);
		CachingIntrospectionClient cache = new CachingIntrospectionClient(
				(token) -> boundList.contains(token) ? bound : unbound,
				IntrospectionCaches.activeTokens(Duration.ofHours(1), 10_000, clock),
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 10_000), clock);
		PossessionCheck possession = new PossessionCheck(new DPoPProofVerifier(List.of("ES256", "PS256", "RS256"),
				Duration.ofMinutes(10), Duration.ofSeconds(5), new LocalProofReplays(PROOFS * 2L), clock), false,
				List.of());
		this.introspector = KeycloakSizedTokens.introspectorOver(cache, clock, possession, () -> this.current);
		this.proofs = new String[PROOFS];
		for (int i = 0; i < PROOFS; i++) {
			this.proofs[i] = client.proof("GET", URI, this.boundTokens[i % TOKENS]);
		}
		for (int i = 0; i < TOKENS; i++) {
			cache.introspect(this.bearerTokens[i]);
			cache.introspect(this.boundTokens[i]);
		}
	}

	@Benchmark
	@Threads(1)
	public OAuth2AuthenticatedPrincipal t1_bearerHit() {
		int index = nextToken();
		this.current = new Presented(PresentedCredentials.Scheme.BEARER, List.of());
		return this.introspector.introspect(this.bearerTokens[index]);
	}

	@Benchmark
	@Threads(1)
	public OAuth2AuthenticatedPrincipal t1_dpopHit() {
		int proof = this.nextProof++;
		if (proof >= PROOFS) {
			throw new IllegalStateException("More calls than proofs signed ahead: raise PROOFS");
		}
		this.current = new Presented(PresentedCredentials.Scheme.DPOP, List.of(this.proofs[proof]));
		return this.introspector.introspect(this.boundTokens[proof % TOKENS]);
	}

	private int nextToken() {
		int index = this.nextToken++;
		if (this.nextToken >= TOKENS) {
			this.nextToken = 0;
		}
		return index;
	}

	/** What a request presents, as the servlet stack reads it. */
	private record Presented(Scheme scheme, List<String> proofs) implements PresentedCredentials {

		@Override
		public String method() {
			return "GET";
		}

		@Override
		public String uri() {
			return URI;
		}

		@Override
		public String path() {
			return "/api/notes";
		}

		@Override
		public @Nullable String certificateThumbprint() {
			return null;
		}

		@Override
		public @Nullable String header(String name) {
			return null;
		}

		@Override
		public @Nullable String verifiedProof() {
			return null;
		}

		@Override
		public void proofVerified(String thumbprint) {
		}

		@Override
		public void failed(ProofOfPossessionException failure) {
		}

	}

	/**
	 * Runs the benchmarks and writes a table: the DPoP hit against the bearer hit.
	 * @param args the output directory, then JMH options
	 */
	public static void main(String[] args) throws RunnerException, IOException, CommandLineOptionException {
		Path output = Path.of(args[0]);
		Files.createDirectories(output);
		CommandLineOptions commandLine = new CommandLineOptions(Arrays.copyOfRange(args, 1, args.length));
		OptionsBuilder builder = new OptionsBuilder();
		builder.parent(commandLine);
		if (commandLine.getIncludes().isEmpty()) {
			builder.include(DPoPBenchmarks.class.getName());
		}
		Options options = builder.resultFormat(ResultFormatType.JSON)
			.result(output.resolve("dpop.json").toString())
			.build();
		Collection<RunResult> results = new Runner(options).run();
		Statistics bearer = null;
		Statistics dpop = null;
		for (RunResult result : results) {
			Statistics statistics = result.getPrimaryResult().getStatistics();
			if (result.getParams().getBenchmark().endsWith("bearerHit")) {
				bearer = statistics;
			}
			else {
				dpop = statistics;
			}
		}
		List<String> lines = new ArrayList<>();
		lines.add("| Bearer hit p50 (ns) | DPoP hit p50 (ns) | Ratio | Bearer hit mean (ns) | DPoP hit mean (ns) |");
		lines.add("|---:|---:|---:|---:|---:|");
		if (bearer != null && dpop != null) {
			lines.add("| %,.0f | %,.0f | %.1fx | %,.0f | %,.0f |".formatted(bearer.getPercentile(50),
					dpop.getPercentile(50), dpop.getPercentile(50) / bearer.getPercentile(50), bearer.getMean(),
					dpop.getMean()));
		}
		String table = String.join("\n", lines) + "\n";
		System.out.println(table);
		Files.writeString(output.resolve("dpop.md"), table);
	}

}
