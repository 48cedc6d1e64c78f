package io.github.tokenintrospection.internal.servlet;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.observation.AuditTrailListener;
import io.github.tokenintrospection.internal.observation.RequestAudit;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Opens the audit record of each request (its correlation id is the container's request
 * id, {@link jakarta.servlet.ServletRequest#getRequestId()}) for the token decision and
 * the authorization events made on its thread, and writes the request's outcome when it
 * ends. Registered just outside Spring Security's filter chain.
 */
public final class RequestOutcomeAuditFilter extends OncePerRequestFilter {

	private static final String UNMATCHED = "unmatched";

	private final Supplier<AuditTrailListener> auditTrail;

	private final Supplier<List<HandlerMapping>> handlerMappings;

	/**
	 * Creates the filter.
	 * @param auditTrail gives the audit trail that writes the outcome, looked up on first
	 * use
	 * @param handlerMappings the application's handler mappings, to name the pattern of a
	 * request that was refused before it reached its handler
	 */
	public RequestOutcomeAuditFilter(Supplier<AuditTrailListener> auditTrail,
			Supplier<List<HandlerMapping>> handlerMappings) {
		this.auditTrail = auditTrail;
		this.handlerMappings = handlerMappings;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RequestAudit audit = new RequestAudit(request.getRequestId());
		RequestAudit previous = audit.open();
		boolean failed = true;
		try {
			chain.doFilter(request, response);
			failed = false;
		}
		finally {
			RequestAudit.close(previous);
			if (!failed && request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new CompletionListener(audit, request, response));
			}
			else {
				// An exception leaving the chain becomes a 500 outside it.
				complete(audit, request, failed ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : response.getStatus());
			}
		}
	}

	private void complete(RequestAudit audit, HttpServletRequest request, int status) {
		this.auditTrail.get().requestCompleted(audit, request.getMethod(), () -> pathPattern(request), status);
	}

	/** The pattern of the handler that served the request, or would have served it. */
	private String pathPattern(HttpServletRequest request) {
		String pattern = bestMatchingPattern(request);
		if (pattern != null) {
			return pattern;
		}
		try {
			if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
				ServletRequestPathUtils.parseAndCache(request);
			}
			for (HandlerMapping handlerMapping : this.handlerMappings.get()) {
				if (handlerMapping.getHandler(request) != null) {
					pattern = bestMatchingPattern(request);
					return (pattern != null) ? pattern : UNMATCHED;
				}
			}
		}
		catch (Exception ex) {
			// No handler for this method or media type: the request matched nothing.
		}
		return UNMATCHED;
	}

	private static @Nullable String bestMatchingPattern(HttpServletRequest request) {
		Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		return (pattern != null) ? pattern.toString() : null;
	}

	private final class CompletionListener implements AsyncListener {

		private final RequestAudit audit;

		private final HttpServletRequest request;

		private final HttpServletResponse response;

		CompletionListener(RequestAudit audit, HttpServletRequest request, HttpServletResponse response) {
			this.audit = audit;
			this.request = request;
			this.response = response;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			complete(this.audit, this.request, this.response.getStatus());
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

}
