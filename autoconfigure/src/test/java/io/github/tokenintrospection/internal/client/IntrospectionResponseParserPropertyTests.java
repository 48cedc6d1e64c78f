package io.github.tokenintrospection.internal.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.tokenintrospection.IntrospectedToken;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The parser over arbitrary answers: any JSON value for any claim, numbers far beyond a
 * {@code long} or an {@link Instant}, arbitrary bytes. Whatever comes in, the only
 * exception that leaves it is {@link OAuth2IntrospectionException}, only the JSON
 * {@code true} makes a token active, and a time claim is either exactly the number sent
 * (rounded down to a second) or a malformed answer.
 */
class IntrospectionResponseParserPropertyTests {

	private static final List<String> CLAIMS = List.of("active", "exp", "iat", "nbf", "scope", "aud", "iss", "sub",
			"client_id", "token_type", "username", "jti", "realm_access", "cnf");

	private static final List<String> TIME_CLAIMS = List.of("exp", "iat", "nbf");

	private static final BigDecimal EARLIEST = BigDecimal.valueOf(Instant.MIN.getEpochSecond());

	private static final BigDecimal LATEST = BigDecimal.valueOf(Instant.MAX.getEpochSecond());

	private static final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final IntrospectionResponseParser parser = new IntrospectionResponseParser();

	@Property(tries = 1000)
	void parseWhenAnyValueForAnyClaimThenResultOrMalformedAnswerOnly(@ForAll("answers") Map<String, String> answer) {
		Throwable thrown = catchThrowable(() -> parse(answer));

		assertThat(thrown).satisfiesAnyOf((ex) -> assertThat(ex).isNull(),
				(ex) -> assertThat(ex).isExactlyInstanceOf(OAuth2IntrospectionException.class)
					.hasMessageStartingWith("Malformed introspection response: "));
	}

	@Property(tries = 1000)
	void parseWhenAnyActiveValueThenActiveOnlyForJsonTrue(@ForAll("answers") Map<String, String> answer) {
		IntrospectedToken token = parseOrNull(answer);

		if (token != null && token.isActive()) {
			assertThat(answer.get("active")).isEqualTo("true");
		}
		if (token != null && !"true".equals(answer.get("active"))) {
			assertThat(token.isActive()).isFalse();
		}
	}

	@Property(tries = 5000)
	void parseWhenTimeClaimIsAnyNumberThenExactlyThatSecondOrMalformed(@ForAll("timeClaims") String claim,
			@ForAll("numbers") String number) {
		Map<String, String> answer = Map.of("active", "true", claim, number);
		BigDecimal sent = asJacksonReadsIt(number);

		Throwable thrown = catchThrowable(() -> parse(answer));

		if (sent == null || sent.compareTo(EARLIEST) < 0 || sent.compareTo(LATEST) > 0) {
			assertThat(thrown).as("%s = %s is outside an Instant's range", claim, number)
				.isExactlyInstanceOf(OAuth2IntrospectionException.class);
		}
		else {
			assertThat(thrown).isNull();
			long expected = sent.setScale(0, RoundingMode.FLOOR).longValueExact();
			assertThat(parse(answer).getClaims().get(claim)).isEqualTo(Instant.ofEpochSecond(expected));
		}
	}

	@Property(tries = 2000)
	void parseWhenArbitraryBytesThenResultOrMalformedAnswerOnly(@ForAll byte[] body) {
		Throwable thrown = catchThrowable(() -> this.parser.parse(body));

		assertThat(thrown).satisfiesAnyOf((ex) -> assertThat(ex).isNull(),
				(ex) -> assertThat(ex).isExactlyInstanceOf(OAuth2IntrospectionException.class));
	}

	@Property(tries = 2000)
	void parseWhenArbitraryTextThenResultOrMalformedAnswerOnly(@ForAll("texts") String body) {
		Throwable thrown = catchThrowable(() -> this.parser.parse(body.getBytes(StandardCharsets.UTF_8)));

		assertThat(thrown).satisfiesAnyOf((ex) -> assertThat(ex).isNull(),
				(ex) -> assertThat(ex).isExactlyInstanceOf(OAuth2IntrospectionException.class));
	}

	/**
	 * Claim name to the JSON text of its value; {@code active} is there most of the time.
	 */
	@Provide
	Arbitrary<Map<String, String>> answers() {
		Arbitrary<String> active = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("true")),
				Tuple.of(3, jsonValues(1)));
		Arbitrary<Map<String, String>> claims = Arbitraries
			.maps(Arbitraries.of(CLAIMS.subList(1, CLAIMS.size())), jsonValues(2))
			.ofMaxSize(6);
		return Combinators.combine(active, claims, Arbitraries.integers().between(0, 9)).as((value, others, dice) -> {
			Map<String, String> answer = new LinkedHashMap<>();
			if (dice > 0) {
				answer.put("active", value);
			}
			answer.putAll(others);
			return answer;
		});
	}

	@Provide
	Arbitrary<String> timeClaims() {
		return Arbitraries.of(TIME_CLAIMS);
	}

	@Provide
	Arbitrary<String> numbers() {
		return Arbitraries.oneOf(integers(), decimals(), edgeNumbers());
	}

	@Provide
	Arbitrary<String> texts() {
		return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200), answers()
			.map(IntrospectionResponseParserPropertyTests::json)
			.flatMap((json) -> Arbitraries.integers().between(0, json.length()).map((cut) -> json.substring(0, cut))));
	}

	private static Arbitrary<String> jsonValues(int depth) {
		Arbitrary<String> scalars = Arbitraries.oneOf(integers(), decimals(), edgeNumbers(), strings(),
				Arbitraries.of("true", "false", "null"));
		if (depth == 0) {
			return scalars;
		}
		Arbitrary<String> arrays = jsonValues(depth - 1).list()
			.ofMaxSize(4)
			.map((values) -> values.stream().collect(Collectors.joining(",", "[", "]")));
		Arbitrary<String> objects = Arbitraries
			.maps(Arbitraries.strings().alpha().ofMaxLength(6), jsonValues(depth - 1))
			.ofMaxSize(3)
			.map((members) -> members.entrySet()
				.stream()
				.map((member) -> quoted(member.getKey()) + ":" + member.getValue())
				.collect(Collectors.joining(",", "{", "}")));
		return Arbitraries.frequencyOf(Tuple.of(6, scalars), Tuple.of(2, arrays), Tuple.of(2, objects));
	}

	/** Whole numbers of up to 40 digits: beyond a long, and beyond an Instant. */
	private static Arbitrary<String> integers() {
		BigInteger bound = BigInteger.TEN.pow(40);
		return Arbitraries.bigIntegers().between(bound.negate(), bound).map(BigInteger::toString);
	}

	/** Decimal fractions and exponents, from 1e-400 to 1e400. */
	private static Arbitrary<String> decimals() {
		return Combinators
			.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 400),
					Arbitraries.of("", "e", "E", "e+", "e-", "E-"))
			.as((mantissa, fraction, exponent, marker) -> mantissa + "." + fraction
					+ (marker.isEmpty() ? "" : marker + exponent));
	}

	/**
	 * Numbers at the edges of a long, of an Instant, and of wrapping (2^64 + now + 300).
	 */
	private static Arbitrary<String> edgeNumbers() {
		long now = Instant.now().getEpochSecond();
		BigInteger twoTo64 = BigInteger.TWO.pow(64);
		return Arbitraries.of(String.valueOf(Long.MAX_VALUE), String.valueOf(Long.MIN_VALUE),
				BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE).toString(),
				BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE).toString(),
				twoTo64.add(BigInteger.valueOf(now + 300)).toString(),
				twoTo64.negate().add(BigInteger.valueOf(now + 300)).toString(),
				String.valueOf(Instant.MAX.getEpochSecond()), String.valueOf(Instant.MAX.getEpochSecond() + 1),
				String.valueOf(Instant.MIN.getEpochSecond()), String.valueOf(Instant.MIN.getEpochSecond() - 1), "1e17",
				"-1e17", "1E400", "-1e400", "1e-400", "0", "-0", "0.0", "-0.0", "4102444800.999",
				String.valueOf(now + 300));
	}

	private static Arbitrary<String> strings() {
		return Arbitraries.strings().ofMaxLength(20).map(IntrospectionResponseParserPropertyTests::quoted);
	}

	private static String quoted(String value) {
		return jsonMapper.writeValueAsString(value);
	}

	private static String json(Map<String, String> answer) {
		return answer.entrySet()
			.stream()
			.map((claim) -> quoted(claim.getKey()) + ":" + claim.getValue())
			.collect(Collectors.joining(",", "{", "}"));
	}

	private IntrospectedToken parse(Map<String, String> answer) {
		return this.parser.parse(json(answer).getBytes(StandardCharsets.UTF_8));
	}

	private IntrospectedToken parseOrNull(Map<String, String> answer) {
		try {
			return parse(answer);
		}
		catch (OAuth2IntrospectionException ex) {
			return null;
		}
	}

	/**
	 * The number as Jackson reads it by default: whole numbers exactly, others as a
	 * double; {@code null} for a double that overflows to infinity.
	 */
	private static BigDecimal asJacksonReadsIt(String number) {
		BigDecimal exact = new BigDecimal(number);
		boolean whole = !number.contains(".") && !number.contains("e") && !number.contains("E");
		if (whole) {
			return exact;
		}
		double asDouble = Double.parseDouble(number);
		return Double.isFinite(asDouble) ? new BigDecimal(asDouble) : null;
	}

}
