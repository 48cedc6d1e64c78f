package io.github.tokenintrospection.internal.servlet;

import java.util.function.Supplier;

import io.github.tokenintrospection.internal.routing.RoutedRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The request being authenticated, as routing sees it: its path within the application,
 * the host the client asked for ({@code getServerName()}, which forwarded headers change
 * when the application honors them) and its headers; found like
 * {@link CurrentRequestPath}.
 */
public final class CurrentRoutedRequest implements Supplier<@Nullable RoutedRequest> {

	private final CurrentRequestPath path = new CurrentRequestPath();

	@Override
	public @Nullable RoutedRequest get() {
		String path = this.path.get();
		if (path != null
				&& RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return new RoutedRequest(path, request.getServerName(), request::getHeader);
		}
		return null;
	}

}
