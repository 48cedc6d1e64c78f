package io.github.tokenintrospection.internal.servlet;

import java.io.IOException;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.possession.DPoPChallenge;
import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.internal.possession.PresentedCredentials;
import io.github.tokenintrospection.internal.possession.ProofOfPossessionException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In front of Spring Security, turns the challenge of a 401 into a {@code DPoP} challenge
 * (RFC 9449 section 7.1) when the request used that scheme or failed a sender constraint
 * (a DPoP-bound token presented as a bearer token, for one), so that every security
 * filter chain answers alike without a change.
 */
public final class DPoPSchemeFilter extends OncePerRequestFilter {

	private final Supplier<PossessionCheck> possessionCheck;

	/**
	 * Creates the filter.
	 * @param possessionCheck the rules, for the accepted algorithms and server nonces of
	 * challenges; looked up when first needed (filters are created with the web server,
	 * before late property sources are in place)
	 */
	public DPoPSchemeFilter(Supplier<PossessionCheck> possessionCheck) {
		this.possessionCheck = possessionCheck;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null) {
			chain.doFilter(request, response);
			return;
		}
		PresentedCredentials.Scheme scheme = PresentedCredentials.Scheme.of(authorization);
		RequestScheme.keep(request, scheme);
		boolean dpop = scheme == PresentedCredentials.Scheme.DPOP;
		chain.doFilter(request, new Challenging(response, request, dpop, this.possessionCheck));
	}

	/** Turns the challenge Spring Security writes into a DPoP one where it must be. */
	private static final class Challenging extends HttpServletResponseWrapper {

		private final HttpServletRequest request;

		private final boolean dpop;

		private final Supplier<PossessionCheck> possessionCheck;

		Challenging(HttpServletResponse response, HttpServletRequest request, boolean dpop,
				Supplier<PossessionCheck> possessionCheck) {
			super(response);
			this.request = request;
			this.dpop = dpop;
			this.possessionCheck = possessionCheck;
		}

		@Override
		public void setHeader(String name, String value) {
			super.setHeader(name, challenge(name, value));
		}

		@Override
		public void addHeader(String name, String value) {
			super.addHeader(name, challenge(name, value));
		}

		private String challenge(String name, String value) {
			if (value == null || !HttpHeaders.WWW_AUTHENTICATE.equalsIgnoreCase(name)) {
				return value;
			}
			ProofOfPossessionException failure = (this.request
				.getAttribute(PresentedCredentials.FAILURE_ATTRIBUTE) instanceof ProofOfPossessionException failed)
						? failed : null;
			PossessionCheck check = this.possessionCheck.get();
			String replaced = DPoPChallenge.replacing(value, failure, this.dpop, check.dpopAlgorithms());
			String nonce = DPoPChallenge.needsNonce(failure) ? check.freshNonce() : null;
			if (nonce != null) {
				super.setHeader(DPoPChallenge.NONCE_HEADER, nonce);
			}
			return (replaced != null) ? replaced : value;
		}

	}

}
