package io.github.tokenintrospection.internal.servlet;

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The current request's path within the application (its URI without the context path,
 * not decoded), found through {@link RequestContextHolder}, which Spring Boot's request
 * context filter fills before Spring Security's filter chain runs; {@code null} outside a
 * request.
 */
public final class CurrentRequestPath implements Supplier<@Nullable String> {

	@Override
	public @Nullable String get() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			return withinApplication(attributes.getRequest());
		}
		return null;
	}

	/** A request's path without the context path, not decoded. */
	static String withinApplication(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String contextPath = request.getContextPath();
		return (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath))
				? uri.substring(contextPath.length()) : uri;
	}

}
