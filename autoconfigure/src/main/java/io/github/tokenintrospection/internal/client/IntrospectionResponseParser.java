package io.github.tokenintrospection.internal.client;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

/**
 * Turns an introspection response body into an {@link IntrospectedToken}, strictly.
 * <p>
 * Only the JSON boolean {@code true} makes a token active ({@code "true"} or {@code 1} do
 * not). A body that is not a JSON object, repeats a key, or carries time claims that are
 * not numbers (or numbers no {@link Instant} can hold) or scope/audience claims of the
 * wrong shape is a server fault, not an inactive token: it must neither let the token in
 * nor be cached as a verdict. The only exception that leaves {@link #parse} is
 * {@link OAuth2IntrospectionException}.
 */
final class IntrospectionResponseParser {

	private static final String ACTIVE = "active";

	private static final BigDecimal EARLIEST_SECOND = BigDecimal.valueOf(Instant.MIN.getEpochSecond());

	private static final BigDecimal LATEST_SECOND = BigDecimal.valueOf(Instant.MAX.getEpochSecond());

	private final JsonMapper jsonMapper = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private final SharedClaimValues sharedValues = new SharedClaimValues();

	IntrospectionResponseParser() {
		// Jackson creates its deserializers on first use, under a lock: done here, so
		// that no
		// request, on an event loop least of all, ever waits for that lock.
		parse("{\"active\":true,\"exp\":1,\"scope\":[\"a\"],\"aud\":\"b\",\"sub\":\"c\",\"n\":{\"r\":[1,2.5,true,null]}}"
			.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	IntrospectedToken parse(byte[] body) {
		return parse(readObject(body));
	}

	/**
	 * Parses an answer already read as a JSON object (strictly, by {@link #readObject}).
	 */
	IntrospectedToken parse(JsonNode root) {
		JsonNode active = root.get(ACTIVE);
		if (active == null || !active.isBoolean() || !active.booleanValue()) {
			return IntrospectedToken.inactive();
		}
		Map<String, Object> claims = new HashMap<>();
		for (Map.Entry<String, JsonNode> property : root.properties()) {
			String name = property.getKey();
			Object value = claimValue(name, property.getValue());
			if (value != null) {
				// A JSON null is an absent claim (IntrospectedToken's map holds no
				// nulls).
				claims.put(name, value);
			}
		}
		return IntrospectedToken.active(claims);
	}

	ObjectNode readObject(byte[] body) {
		JsonNode root;
		try {
			root = this.jsonMapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw malformed("body is not valid JSON (" + ex.getOriginalMessage() + ")");
		}
		if (!(root instanceof ObjectNode object)) {
			throw malformed("body is not a JSON object");
		}
		return object;
	}

	private @Nullable Object claimValue(String name, JsonNode value) {
		return switch (name) {
			case OAuth2TokenIntrospectionClaimNames.EXP, OAuth2TokenIntrospectionClaimNames.IAT,
					OAuth2TokenIntrospectionClaimNames.NBF ->
				instant(name, value);
			case OAuth2TokenIntrospectionClaimNames.SCOPE -> stringOrStringArray(name, value, true);
			case OAuth2TokenIntrospectionClaimNames.AUD -> stringOrStringArray(name, value, false);
			case OAuth2TokenIntrospectionClaimNames.ISS, OAuth2TokenIntrospectionClaimNames.TOKEN_TYPE,
					OAuth2TokenIntrospectionClaimNames.SUB, OAuth2TokenIntrospectionClaimNames.CLIENT_ID ->
				this.sharedValues.share(string(name, value));
			default -> {
				Object converted = this.jsonMapper.treeToValue(value, Object.class);
				yield (converted != null) ? this.sharedValues.share(converted) : null;
			}
		};
	}

	private static Instant instant(String name, JsonNode value) {
		if (!value.isNumber()) {
			throw malformed("claim '" + name + "' is not a number");
		}
		BigDecimal seconds = seconds(value);
		// Compared before any narrowing: longValue() would wrap 2^64 + t into t, turning
		// an
		// absurd exp into a valid, future one (fail open).
		if (seconds == null || seconds.compareTo(EARLIEST_SECOND) < 0 || seconds.compareTo(LATEST_SECOND) > 0) {
			throw malformed("claim '" + name + "' is outside the range of a date");
		}
		// A NumericDate may have a fraction: round down, so that exp never grows.
		return Instant.ofEpochSecond(seconds.setScale(0, RoundingMode.FLOOR).longValueExact());
	}

	/** The exact value of a JSON number, or {@code null} when it has none. */
	private static @Nullable BigDecimal seconds(JsonNode value) {
		if (value.isIntegralNumber()) {
			return new BigDecimal(value.bigIntegerValue());
		}
		// Jackson reads an over-large floating-point literal (1e400) as an infinite
		// double.
		if (!value.isBigDecimal() && !Double.isFinite(value.doubleValue())) {
			return null;
		}
		return value.decimalValue();
	}

	private static String string(String name, JsonNode value) {
		if (!value.isString()) {
			throw malformed("claim '" + name + "' is not a string");
		}
		return value.stringValue();
	}

	/**
	 * Accepts a string (space-delimited when {@code delimited}) or an array of strings.
	 */
	private List<String> stringOrStringArray(String name, JsonNode value, boolean delimited) {
		if (value.isString()) {
			return this.sharedValues
				.shareStrings(delimited ? splitOnSpaces(value.stringValue()) : List.of(value.stringValue()));
		}
		if (!value.isArray()) {
			throw malformed("claim '" + name + "' is neither a string nor an array");
		}
		String[] values = new String[value.size()];
		for (int i = 0; i < values.length; i++) {
			JsonNode element = value.get(i);
			if (!element.isString()) {
				throw malformed("claim '" + name + "' holds a value that is not a string");
			}
			values[i] = element.stringValue();
		}
		return this.sharedValues.shareStrings(List.of(values));
	}

	private static List<String> splitOnSpaces(String value) {
		String trimmed = value.strip();
		return trimmed.isEmpty() ? List.of() : List.of(trimmed.split(" +"));
	}

	private static OAuth2IntrospectionException malformed(String reason) {
		return new OAuth2IntrospectionException("Malformed introspection response: " + reason);
	}

}
