package io.github.tokenintrospection.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns a failure to introspect (the authorization server is down, slow or answers
 * nonsense) into HTTP 503 with a short JSON body, instead of the 500 that Spring Security's
 * resource server produces.
 * <p>
 * Spring Security rethrows such failures out of its filter chain as an
 * {@code AuthenticationServiceException} caused by an {@link OAuth2IntrospectionException};
 * this filter sits in front of the whole chain, so it works for Spring Boot's default chain
 * and for an application's own chains alike, with no change to them.
 */
public final class AuthorizationServerUnavailableFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(AuthorizationServerUnavailableFilter.class);

	static final String BODY = "{\"error\":\"temporarily_unavailable\","
			+ "\"error_description\":\"The authorization server could not check the access token; try again later\"}";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (RuntimeException | ServletException | IOException ex) {
			OAuth2IntrospectionException failure = introspectionFailure(ex);
			if (failure == null || response.isCommitted()) {
				throw ex;
			}
			logger.warn("Token introspection failed, answering 503: " + failure.getMessage());
			response.resetBuffer();
			response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			response.getWriter().write(BODY);
		}
	}

	private static OAuth2IntrospectionException introspectionFailure(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof OAuth2IntrospectionException failure && !(cause instanceof BadOpaqueTokenException)) {
				return failure;
			}
		}
		return null;
	}

}
