package io.github.tokenintrospection.internal.client;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * RFC 7662 section 4: the introspection endpoint must be reached over TLS. Plain
 * {@code http} is accepted only for a loopback host (a local development server, or a
 * test) or when explicitly allowed.
 */
public final class HttpsRequirement {

	private final boolean allowInsecureHttp;

	/**
	 * Creates the requirement.
	 * @param allowInsecureHttp whether plain http is accepted for any host
	 */
	public HttpsRequirement(boolean allowInsecureHttp) {
		this.allowInsecureHttp = allowInsecureHttp;
	}

	/**
	 * Checks a URI the starter is about to call.
	 * @param uri the URI
	 * @throws IllegalArgumentException when the URI is not absolute http(s), or is plain
	 * http to a host that is not loopback while that is not allowed
	 */
	public void check(URI uri) {
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
		if (uri.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
			throw new IllegalArgumentException("must be an absolute http or https URI");
		}
		if ("http".equals(scheme) && !this.allowInsecureHttp && !isLoopback(uri.getHost())) {
			throw new IllegalArgumentException("plain http is refused because RFC 7662 requires TLS to the "
					+ "authorization server; use https, or set token-introspection.allow-insecure-http=true");
		}
	}

	private static boolean isLoopback(String host) {
		if ("localhost".equalsIgnoreCase(host)) {
			return true;
		}
		boolean ipv6Literal = host.startsWith("[") && host.endsWith("]");
		boolean ipv4Literal = host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
		if (!ipv6Literal && !ipv4Literal) {
			// A name other than localhost is not resolved: DNS must not decide about TLS.
			return false;
		}
		try {
			// An IP literal: parsed, not looked up.
			return InetAddress.getByName(ipv6Literal ? host.substring(1, host.length() - 1) : host).isLoopbackAddress();
		}
		catch (java.net.UnknownHostException ex) {
			return false;
		}
	}

}
