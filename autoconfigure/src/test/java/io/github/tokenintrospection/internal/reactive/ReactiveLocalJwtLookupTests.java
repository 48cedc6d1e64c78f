package io.github.tokenintrospection.internal.reactive;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.internal.jwt.LocalJwtRejectedException;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.jwt.Revalidation;
import io.github.tokenintrospection.internal.jwt.TestIssuer;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionDecision.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reactive local JWT stage on a non-blocking thread, with BlockHound installed (as
 * for every test of this module): fetching the keys moves off the thread, verifying with
 * cached keys does not; refused tokens fail, others go to the introspecting lookup; a
 * revalidated token is introspected without the request waiting.
 */
class ReactiveLocalJwtLookupTests {

	private final TestIssuer issuer = new TestIssuer();

	private final AtomicInteger introspections = new AtomicInteger();

	private final ReactiveTokenLookup introspecting = (token) -> {
		this.introspections.incrementAndGet();
		return Mono.just(new Lookup(IntrospectedToken.inactive(), CacheStatus.MISS, "fingerprint"));
	};

	@AfterEach
	void stop() {
		this.issuer.close();
	}

	@Test
	void lookupWhenKeysNotCachedOnNonBlockingThreadThenFetchedOffItAndAccepted() {
		ReactiveLocalJwtLookup lookup = new ReactiveLocalJwtLookup(this.introspecting, router(List.of()));

		Lookup first = onParallel(lookup, this.issuer.accessToken());
		Lookup second = onParallel(lookup, this.issuer.accessToken());

		assertThat(first.path()).isEqualTo(Path.LOCAL);
		assertThat(first.token().getClaims()).containsEntry("sub", "alice");
		assertThat(second.path()).isEqualTo(Path.LOCAL);
		assertThat(this.issuer.jwksFetches()).isEqualTo(1);
		assertThat(this.introspections).hasValue(0);
	}

	@Test
	void lookupWhenAlgorithmNotAllowedThenFailsWithoutIntrospection() {
		ReactiveLocalJwtLookup lookup = new ReactiveLocalJwtLookup(this.introspecting, router(List.of()));

		assertThatExceptionOfType(LocalJwtRejectedException.class)
			.isThrownBy(() -> onParallel(lookup, this.issuer.unsecured()))
			.satisfies((rejected) -> assertThat(rejected.getReason()).isEqualTo("algorithm"));
		assertThat(this.introspections).hasValue(0);
	}

	@Test
	void lookupWhenOpaqueTokenThenIntrospected() {
		ReactiveLocalJwtLookup lookup = new ReactiveLocalJwtLookup(this.introspecting, router(List.of()));

		assertThat(onParallel(lookup, "2YotnFZFEjr1zCsicMWpAA").path()).isEqualTo(Path.INTROSPECTION);
		assertThat(this.introspections).hasValue(1);
	}

	@Test
	void lookupWhenExchangePathMustIntrospectThenIntrospected() {
		ReactiveLocalJwtLookup lookup = new ReactiveLocalJwtLookup(this.introspecting, router(List.of("/admin/**")));
		String token = this.issuer.accessToken();

		Lookup admin = lookup.lookup(token)
			.contextWrite((context) -> context.put(ServerWebExchangeContextFilter.EXCHANGE_CONTEXT_ATTRIBUTE,
					exchange("/admin/users")))
			.block();
		Lookup notes = lookup.lookup(token)
			.contextWrite((context) -> context.put(ServerWebExchangeContextFilter.EXCHANGE_CONTEXT_ATTRIBUTE,
					exchange("/notes")))
			.block();

		assertThat(admin.path()).isEqualTo(Path.INTROSPECTION);
		assertThat(notes.path()).isEqualTo(Path.LOCAL);
		assertThat(this.introspections).hasValue(1);
	}

	@Test
	void lookupWhenRevalidatingThenAcceptedLocallyWithoutWaitingAndIntrospectedOnceInTheBackground() {
		Sinks.One<Lookup> serverAnswer = Sinks.one();
		AtomicInteger calls = new AtomicInteger();
		ReactiveTokenLookup slowServer = (token) -> serverAnswer.asMono().doOnSubscribe((s) -> calls.incrementAndGet());
		ReactiveLocalJwtLookup lookup = new ReactiveLocalJwtLookup(slowServer, revalidatingRouter());
		String token = this.issuer.accessToken();

		// The server has not answered: the requests do not wait for it.
		assertThat(onParallel(lookup, token).path()).isEqualTo(Path.LOCAL);
		assertThat(onParallel(lookup, token).path()).isEqualTo(Path.LOCAL);
		assertThat(calls).hasValue(1);

		serverAnswer.tryEmitValue(new Lookup(IntrospectedToken.inactive(), CacheStatus.MISS, "fingerprint"));

		Lookup refused = onParallel(lookup, token);
		assertThat(refused.path()).isEqualTo(Path.INTROSPECTION);
		assertThat(refused.token().isActive()).isFalse();
	}

	private LocalJwtRouter revalidatingRouter() {
		return new LocalJwtRouter(
				new LocalJwtRouter.Settings(TestIssuer.ISSUER, List.of("RS256"), List.of("JWT"), List.of(), List.of()),
				this.issuer.keys(), null,
				new Revalidation(Duration.ofHours(1), 100, Clock.systemUTC(), Ticker.systemTicker()));
	}

	private static MockServerWebExchange exchange(String path) {
		return MockServerWebExchange.from(MockServerHttpRequest.get(path));
	}

	private static Lookup onParallel(ReactiveLocalJwtLookup lookup, String token) {
		return lookup.lookup(token).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));
	}

	private LocalJwtRouter router(List<String> introspectPaths) {
		return new LocalJwtRouter(new LocalJwtRouter.Settings(TestIssuer.ISSUER, List.of("RS256"), List.of("JWT"),
				List.of(), introspectPaths), this.issuer.keys());
	}

}
