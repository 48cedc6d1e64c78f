package io.github.tokenintrospection.internal.jwt;

import java.util.Base64;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What routing needs from a token that looks like a compact JWS (RFC 7515 section 7.1),
 * read without verifying anything: header {@code alg}, {@code kid}, {@code typ}, and the
 * payload's {@code iss}. Nothing read here is trusted; it only decides whether the token
 * is worth verifying locally.
 * <p>
 * The token is hostile input: {@link #peek} never throws and returns {@code null} for
 * anything that is not three Base64url parts whose first two are JSON objects, and for a
 * header longer than the limit.
 *
 * @param alg the header's {@code alg}
 * @param kid the header's {@code kid}, or {@code null}
 * @param typ the header's {@code typ}, or {@code null}
 * @param issuer the payload's {@code iss}, or {@code null}
 */
public record CompactJws(String alg, @Nullable String kid, @Nullable String typ, @Nullable String issuer) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Reads a token's header and issuer.
	 * @param token the raw token (already through the syntax guard)
	 * @param maxHeaderLength the longest encoded header read, in characters
	 * @return what the token says about itself, or {@code null} when it is not a compact
	 * JWS
	 */
	public static @Nullable CompactJws peek(String token, int maxHeaderLength) {
		int firstDot = token.indexOf('.');
		if (firstDot <= 0 || firstDot > maxHeaderLength) {
			return null;
		}
		int secondDot = token.indexOf('.', firstDot + 1);
		// Exactly three parts (a JWE has five), the payload not empty; the signature may
		// be,
		// so that an unsecured JWS ("alg": "none") naming the issuer is refused, not
		// introspected.
		if (secondDot < 0 || secondDot == firstDot + 1 || token.indexOf('.', secondDot + 1) >= 0) {
			return null;
		}
		JsonNode header = object(token.substring(0, firstDot));
		if (header == null) {
			return null;
		}
		String alg = text(header, "alg");
		if (alg == null) {
			return null;
		}
		JsonNode payload = object(token.substring(firstDot + 1, secondDot));
		if (payload == null) {
			return null;
		}
		return new CompactJws(alg, text(header, "kid"), text(header, "typ"), text(payload, "iss"));
	}

	private static @Nullable JsonNode object(String part) {
		try {
			JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(part));
			return (node != null && node.isObject()) ? node : null;
		}
		catch (IllegalArgumentException | JacksonException ex) {
			return null;
		}
	}

	private static @Nullable String text(JsonNode node, String name) {
		JsonNode value = node.get(name);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

}
