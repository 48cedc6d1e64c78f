package io.github.tokenintrospection.internal.introspector;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.internal.cache.TokenLookup;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.util.Assert;

/**
 * Rejects a token that is too long or not an RFC 6750 {@code b64token} before anything
 * else happens to it: it is not hashed, not looked up, and never sent to the
 * authorization server. Such a token cannot be valid, and letting it through would let
 * anyone make the server do work (or fill its logs) with arbitrary input.
 * <p>
 * The rejection is a {@link BadOpaqueTokenException} (401 {@code invalid_token}). Spring
 * Security's default {@code BearerTokenResolver} already checks the syntax of an
 * {@code Authorization} header; this guard also covers other resolvers and the length,
 * for every security filter chain, because it runs inside the introspector.
 */
public final class TokenSyntaxGuard implements IntrospectionClient {

	/**
	 * A table, not a chain of comparisons: every character of every token passes here.
	 */
	private static final boolean[] B64_TOKEN_CHARS = new boolean[128];

	static {
		for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/".toCharArray()) {
			B64_TOKEN_CHARS[c] = true;
		}
	}

	private final IntrospectionClient delegate;

	private final int maxLength;

	/**
	 * Creates a guard.
	 * @param delegate the client that handles well-formed tokens
	 * @param maxLength the longest token accepted, in characters
	 */
	public TokenSyntaxGuard(IntrospectionClient delegate, int maxLength) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.isTrue(maxLength > 0, "maxLength must be positive");
		this.delegate = delegate;
		this.maxLength = maxLength;
	}

	@Override
	public IntrospectedToken introspect(String token) {
		check(token, this.maxLength);
		return this.delegate.introspect(token);
	}

	/**
	 * Puts the same guard in front of a lookup.
	 * @param delegate the lookup that handles well-formed tokens
	 * @param maxLength the longest token accepted, in characters
	 * @return the guarded lookup
	 */
	public static TokenLookup guarding(TokenLookup delegate, int maxLength) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.isTrue(maxLength > 0, "maxLength must be positive");
		return (token) -> {
			check(token, maxLength);
			return delegate.lookup(token);
		};
	}

	/**
	 * Applies the guard's checks to a token, for introspectors that are not built from
	 * {@link IntrospectionClient}s (the reactive one).
	 * @param token the raw token
	 * @param maxLength the longest token accepted, in characters
	 * @throws BadOpaqueTokenException when the token is empty, too long or not a
	 * {@code b64token}
	 */
	public static void check(@Nullable String token, int maxLength) {
		if (token == null || token.isEmpty()) {
			throw new MalformedTokenException("Bearer token is empty");
		}
		if (token.length() > maxLength) {
			throw new MalformedTokenException("Bearer token is longer than " + maxLength + " characters");
		}
		if (!isB64Token(token)) {
			throw new MalformedTokenException("Bearer token is not in RFC 6750 b64token syntax");
		}
	}

	/**
	 * Whether a token has the syntax of an RFC 6750 (section 2.1) {@code b64token}:
	 * {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}.
	 * @param token the token, not {@code null}
	 * @return whether it is a {@code b64token}
	 */
	public static boolean isB64Token(String token) {
		int length = token.length();
		int end = length;
		while (end > 0 && token.charAt(end - 1) == '=') {
			end--;
		}
		if (end == 0) {
			return false;
		}
		for (int i = 0; i < end; i++) {
			if (!isB64TokenChar(token.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isB64TokenChar(char c) {
		return c < B64_TOKEN_CHARS.length && B64_TOKEN_CHARS[c];
	}

}
