package io.github.tokenintrospection.internal.servlet;

import java.util.function.Supplier;

import io.github.tokenintrospection.internal.possession.PresentedCredentials;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * What the caller of the current request presented, found through
 * {@link RequestContextHolder} (filled by Spring Boot's request context filter before any
 * security filter, so it holds the request as the client sent it); {@code null} outside a
 * request.
 */
public final class CurrentPresentedCredentials implements Supplier<@Nullable PresentedCredentials> {

	@Override
	public @Nullable PresentedCredentials get() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return new ServletPresentedCredentials(request, RequestScheme.of(request));
		}
		return null;
	}

}
