package io.github.tokenintrospection.internal.servlet;

import jakarta.servlet.http.HttpServletRequest;

import io.github.tokenintrospection.internal.possession.PresentedCredentials;

import org.springframework.http.HttpHeaders;

/**
 * The authorization scheme of a request, read once. {@link DPoPSchemeFilter}, in front of
 * Spring Security, reads the {@code Authorization} header and keeps the scheme with the
 * request: inside Spring Security's chain every header read goes through the firewall,
 * which checks the whole (1-2 KB) value again each time.
 */
final class RequestScheme {

	private static final String ATTRIBUTE = RequestScheme.class.getName();

	private RequestScheme() {
	}

	static void keep(HttpServletRequest request, PresentedCredentials.Scheme scheme) {
		request.setAttribute(ATTRIBUTE, scheme);
	}

	/** The kept scheme, else (no {@link DPoPSchemeFilter} in front) the header's. */
	static PresentedCredentials.Scheme of(HttpServletRequest request) {
		if (request.getAttribute(ATTRIBUTE) instanceof PresentedCredentials.Scheme kept) {
			return kept;
		}
		return PresentedCredentials.Scheme.of(request.getHeader(HttpHeaders.AUTHORIZATION));
	}

}
