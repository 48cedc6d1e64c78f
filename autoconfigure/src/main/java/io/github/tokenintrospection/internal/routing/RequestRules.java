package io.github.tokenintrospection.internal.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The requests one authorization server takes: any path pattern, any host, or any header
 * with its value. No rule at all means the server takes what no other server's rules
 * match.
 */
public final class RequestRules {

	private final List<PathPattern> paths;

	private final List<String> hosts;

	private final Map<String, String> headers;

	private RequestRules(List<PathPattern> paths, List<String> hosts, Map<String, String> headers) {
		this.paths = paths;
		this.hosts = hosts;
		this.headers = headers;
	}

	/**
	 * Reads the rules.
	 * @param paths path patterns (Spring's {@code PathPattern} syntax)
	 * @param hosts host names, compared without case
	 * @param headers header names and the value each must have
	 * @return the rules
	 * @throws IllegalArgumentException naming a pattern that cannot be parsed, or an
	 * empty host, header name or value
	 */
	public static RequestRules of(List<String> paths, List<String> hosts, Map<String, String> headers) {
		List<PathPattern> patterns = new ArrayList<>();
		for (String path : paths) {
			if (path == null || !path.startsWith("/")) {
				throw new IllegalArgumentException("'" + path + "' is not a path pattern (it must start with /)");
			}
			patterns.add(PathPatternParser.defaultInstance.parse(path));
		}
		List<String> lowerCaseHosts = new ArrayList<>();
		for (String host : hosts) {
			if (host == null || host.isBlank() || host.indexOf(':') >= 0 || host.indexOf('*') >= 0) {
				throw new IllegalArgumentException(
						"a host is a name without port or wildcard, such as partners.example.com");
			}
			lowerCaseHosts.add(host.strip().toLowerCase(Locale.ROOT));
		}
		headers.forEach((name, value) -> {
			if (name == null || name.isBlank() || value == null || value.isEmpty()) {
				throw new IllegalArgumentException("a header rule needs a name and a value");
			}
		});
		return new RequestRules(List.copyOf(patterns), List.copyOf(lowerCaseHosts), Map.copyOf(headers));
	}

	/**
	 * Whether there is no rule.
	 * @return {@code true} when the server takes only what no rule of another matches
	 */
	public boolean isEmpty() {
		return this.paths.isEmpty() && this.hosts.isEmpty() && this.headers.isEmpty();
	}

	/**
	 * Whether a rule matches the request.
	 * @param request the request, or {@code null} outside of one
	 * @return {@code true} when a path pattern, the host or a header matches
	 */
	public boolean matches(@Nullable RoutedRequest request) {
		if (request == null) {
			return false;
		}
		if (!this.paths.isEmpty() && matchesPath(request.path())) {
			return true;
		}
		String host = request.host();
		if (host != null && this.hosts.contains(host.toLowerCase(Locale.ROOT))) {
			return true;
		}
		for (Map.Entry<String, String> header : this.headers.entrySet()) {
			if (header.getValue().equals(request.header().apply(header.getKey()))) {
				return true;
			}
		}
		return false;
	}

	private boolean matchesPath(String rawPath) {
		PathContainer path;
		try {
			path = PathContainer.parsePath(rawPath);
		}
		catch (IllegalArgumentException ex) {
			// A path that cannot be parsed matches no pattern.
			return false;
		}
		for (PathPattern pattern : this.paths) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

}
