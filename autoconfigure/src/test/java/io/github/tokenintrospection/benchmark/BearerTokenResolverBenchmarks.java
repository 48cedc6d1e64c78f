package io.github.tokenintrospection.benchmark;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.github.tokenintrospection.web.AuthorizationHeaderBearerTokenResolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Cost of reading a Keycloak-sized bearer token from the {@code Authorization} header:
 * Spring Security's default resolver (a case-insensitive regular expression) against the
 * starter's, on the same request. Run with
 * {@code ./mvnw -B -pl autoconfigure -Pbenchmark -DskipTests test -Dbenchmark.jmh.args=BearerTokenResolver}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BearerTokenResolverBenchmarks {

	private final DefaultBearerTokenResolver springDefault = new DefaultBearerTokenResolver();

	private final AuthorizationHeaderBearerTokenResolver starter = new AuthorizationHeaderBearerTokenResolver();

	private MockHttpServletRequest request;

	@Setup
	public void createRequest() {
		this.request = new MockHttpServletRequest("GET", "/api/notes");
		this.request.addHeader("Authorization", "Bearer " + KeycloakSizedTokens.randomToken(new SplittableRandom(1)));
	}

	@Benchmark
	public String springSecurityDefault() {
		return this.springDefault.resolve(this.request);
	}

	@Benchmark
	public String starter() {
		return this.starter.resolve(this.request);
	}

}
