package io.github.tokenintrospection.internal.reactive;

import io.github.tokenintrospection.internal.possession.DPoPChallenge;
import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.internal.possession.PresentedCredentials;
import io.github.tokenintrospection.internal.possession.ProofOfPossessionException;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Ahead of Spring Security's WebFlux chain (which has no DPoP support): what the caller
 * presented goes into the subscriber's context for the introspector, for every request;
 * when the {@code DPoP} scheme is taken, a request's {@code Authorization: DPoP <token>}
 * is shown to the chain as {@code Bearer <token>} (handlers get it back as sent from
 * {@link DPoPSchemeRestoringWebFilter}), and the challenge of a 401 becomes a
 * {@code DPoP} challenge when the request used that scheme or failed a sender constraint.
 */
public final class DPoPSchemeWebFilter implements WebFilter, Ordered {

	/**
	 * Exchange attribute with the {@code Authorization} header of a DPoP request as the
	 * caller sent it, for {@link DPoPSchemeRestoringWebFilter}.
	 */
	static final String SENT_AUTHORIZATION = DPoPSchemeWebFilter.class.getName() + ".sentAuthorization";

	/** Just before Spring Security's chain (-100), after the resource metadata filter. */
	public static final int ORDER = -101;

	private final PossessionCheck possessionCheck;

	private final boolean dpopScheme;

	/**
	 * Creates the filter.
	 * @param possessionCheck the rules, for the accepted algorithms and server nonces of
	 * challenges
	 * @param dpopScheme whether the {@code DPoP} scheme is taken (else it is left to the
	 * application, and only what the caller presented is handed on)
	 */
	public DPoPSchemeWebFilter(PossessionCheck possessionCheck, boolean dpopScheme) {
		this.possessionCheck = possessionCheck;
		this.dpopScheme = dpopScheme;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		boolean dpop = PresentedCredentials.Scheme.of(authorization) == PresentedCredentials.Scheme.DPOP;
		PresentedCredentials presented = new ExchangePresentedCredentials(exchange,
				dpop ? PresentedCredentials.Scheme.DPOP : PresentedCredentials.Scheme.BEARER);
		if (!this.dpopScheme) {
			return chain.filter(exchange).contextWrite((context) -> context.put(PresentedCredentials.class, presented));
		}
		ServerWebExchange forSecurity = dpop ? exchange.mutate()
			.request((request) -> request.headers((headers) -> headers.set(HttpHeaders.AUTHORIZATION,
					"Bearer " + authorization.substring(5).strip())))
			.build() : exchange;
		if (dpop) {
			forSecurity.getAttributes().put(SENT_AUTHORIZATION, authorization);
		}
		forSecurity.getResponse().beforeCommit(() -> {
			challenge(forSecurity, dpop);
			return Mono.empty();
		});
		return chain.filter(forSecurity).contextWrite((context) -> context.put(PresentedCredentials.class, presented));
	}

	private void challenge(ServerWebExchange exchange, boolean dpop) {
		if (exchange.getResponse().getStatusCode() != HttpStatus.UNAUTHORIZED) {
			return;
		}
		HttpHeaders headers = exchange.getResponse().getHeaders();
		String written = headers.getFirst(HttpHeaders.WWW_AUTHENTICATE);
		if (written == null) {
			return;
		}
		ProofOfPossessionException failure = (exchange.getAttributes()
			.get(PresentedCredentials.FAILURE_ATTRIBUTE) instanceof ProofOfPossessionException failed) ? failed : null;
		String replaced = DPoPChallenge.replacing(written, failure, dpop, this.possessionCheck.dpopAlgorithms());
		if (replaced != null) {
			headers.set(HttpHeaders.WWW_AUTHENTICATE, replaced);
		}
		String nonce = DPoPChallenge.needsNonce(failure) ? this.possessionCheck.freshNonce() : null;
		if (nonce != null) {
			headers.set(DPoPChallenge.NONCE_HEADER, nonce);
		}
	}

}
