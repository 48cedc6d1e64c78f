package io.github.tokenintrospection.internal.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.events.SecurityEventReceiver;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The push endpoint of the security event receiver (RFC 8935) on the servlet stack, in
 * front of Spring Security: a transmitter authenticates with its signature (and the
 * configured {@code Authorization} value), not with an access token. The reactive twin is
 * {@code SecurityEventPushWebFilter}.
 */
public final class SecurityEventPushFilter extends OncePerRequestFilter {

	private final Supplier<String> path;

	private final Supplier<SecurityEventReceiver> receiver;

	private volatile @Nullable String knownPath;

	/**
	 * Creates the endpoint. Both are looked up on first use: filters are created with the
	 * web server, before late property sources are in place.
	 * @param path gives the path within the application it answers on
	 * @param receiver gives the receiver of the SETs
	 */
	public SecurityEventPushFilter(Supplier<String> path, Supplier<SecurityEventReceiver> receiver) {
		this.path = path;
		this.receiver = receiver;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = this.knownPath;
		if (path == null) {
			path = this.path.get();
			this.knownPath = path;
		}
		return !path.equals(CurrentRequestPath.withinApplication(request));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!HttpMethod.POST.matches(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, HttpMethod.POST.name());
			response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			return;
		}
		SecurityEventReceiver receiver = this.receiver.get();
		SecurityEventReceiver.Receipt refused = receiver.refuseBeforeReading(request.getContentType(),
				request.getHeader(HttpHeaders.AUTHORIZATION), request.getContentLengthLong());
		if (refused != null) {
			answer(response, refused);
			return;
		}
		long limit = receiver.maxBodyBytes();
		byte[] body = request.getInputStream().readNBytes((int) limit + 1);
		SecurityEventReceiver.Receipt receipt = receiver.receive(request.getContentType(),
				request.getHeader(HttpHeaders.AUTHORIZATION), (body.length > limit) ? null : body);
		answer(response, receipt);
	}

	private static void answer(HttpServletResponse response, SecurityEventReceiver.Receipt receipt) throws IOException {
		response.setStatus(receipt.status());
		String body = receipt.body();
		if (body != null) {
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
		}
	}

}
