package io.github.tokenintrospection.internal.servlet;

import java.io.IOException;

import io.github.tokenintrospection.internal.introspector.TokenSyntaxGuard;
import io.github.tokenintrospection.internal.possession.PresentedCredentials;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates requests with the {@code DPoP} scheme (RFC 9449) inside a resource
 * server's security filter chain, just before Spring Security's bearer token filter, with
 * the same introspector: that filter takes {@code Bearer} requests only, and refuses a
 * DPoP-bound token it receives (rightly, for a bearer request). The introspector checks
 * the proof before any lookup and the token's binding after it; this filter only hands
 * the token over and records the result as the bearer token filter does.
 */
public final class DPoPAuthenticationFilter extends OncePerRequestFilter {

	private final AuthenticationManager authenticationManager;

	private final AuthenticationEntryPoint entryPoint;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

	/**
	 * Creates the filter.
	 * @param authenticationManager authenticates a bearer token with the starter's
	 * introspector
	 * @param entryPoint answers a failed authentication (401)
	 */
	public DPoPAuthenticationFilter(AuthenticationManager authenticationManager, AuthenticationEntryPoint entryPoint) {
		this.authenticationManager = authenticationManager;
		this.entryPoint = entryPoint;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (RequestScheme.of(request) != PresentedCredentials.Scheme.DPOP) {
			chain.doFilter(request, response);
			return;
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null) {
			chain.doFilter(request, response);
			return;
		}
		String token = authorization.substring(5).strip();
		if (!TokenSyntaxGuard.isB64Token(token)) {
			this.entryPoint.commence(request, response,
					new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("DPoP token is malformed")));
			return;
		}
		try {
			Authentication result = this.authenticationManager.authenticate(new BearerTokenAuthenticationToken(token));
			SecurityContext context = this.contexts.createEmptyContext();
			context.setAuthentication(result);
			this.contexts.setContext(context);
			this.repository.saveContext(context, request, response);
		}
		catch (AuthenticationServiceException ex) {
			// The authorization server could not answer: the 503 filter answers.
			throw ex;
		}
		catch (AuthenticationException ex) {
			this.contexts.clearContext();
			this.entryPoint.commence(request, response, ex);
			return;
		}
		chain.doFilter(request, response);
	}

}
