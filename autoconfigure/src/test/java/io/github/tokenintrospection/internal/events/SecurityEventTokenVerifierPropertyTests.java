package io.github.tokenintrospection.internal.events;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile SETs: whatever the body, and whatever a transmitter's key signed, the verifier
 * refuses with a {@link SecurityEventException} carrying an RFC 8935 code, or returns an
 * event read from the signed payload; nothing else escapes, and a tampered SET is never
 * accepted.
 */
class SecurityEventTokenVerifierPropertyTests {

	private static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	private static final String VALID = new String(
			SecurityEventTokenVerifierTests
				.signed(SecurityEventTokenVerifierTests.claims(SecurityEventReceiver.CAEP + "session-revoked",
						Map.of("format", "complex", "user", Map.of("format", "opaque", "id", "u-1"), "session",
								Map.of("format", "opaque", "id", "sid-1")))
					.jwtID("set-1")
					.build()),
			StandardCharsets.US_ASCII);

	private final SecurityEventTokenVerifier verifier = SecurityEventTokenVerifierTests.verifier();

	@Property(tries = 1500)
	void verifyWhenAnyBodyThenRefusedOrTheTransmittersEvent(@ForAll("bodies") String body) {
		try {
			SecurityEvent event = this.verifier.verify(body.getBytes(StandardCharsets.UTF_8));
			assertThat(event.jti()).isEqualTo("set-1");
			assertThat(event.events()).containsExactly(
					new SecurityEvent.Event(SecurityEventReceiver.CAEP + "session-revoked", "u-1", "sid-1"));
		}
		catch (SecurityEventException ex) {
			assertThat(ex.error()).isIn("invalid_request", "invalid_key", "invalid_issuer", "invalid_audience");
			assertThat(ex.status()).isEqualTo(400);
		}
	}

	@Property(tries = 1500)
	void verifyWhenSignedPayloadIsAnyJsonThenRefusedOrReadWithoutEscaping(@ForAll("payloads") String payload) {
		try {
			SecurityEvent event = this.verifier.verify(sign(payload));
			Statistics.label("outcome").collect("accepted");
			assertThat(event.jti()).isNotBlank().hasSizeLessThanOrEqualTo(256);
			assertThat(event.events()).isNotEmpty().allSatisfy((each) -> {
				assertThat(each.type()).isNotNull();
				if (each.subject() != null) {
					assertThat(each.subject()).isNotBlank();
				}
			});
		}
		catch (SecurityEventException ex) {
			Statistics.label("outcome").collect("refused");
			assertThat(ex.status()).isEqualTo(400);
		}
		// Both ways are taken: the payloads are not all junk.
		Statistics.label("outcome").coverage((coverage) -> {
			coverage.check("accepted").count((count) -> count > 0);
			coverage.check("refused").count((count) -> count > 0);
		});
	}

	@Provide
	Arbitrary<String> bodies() {
		Arbitrary<String> tampered = Combinators
			.combine(Arbitraries.integers().between(0, VALID.length() - 1), Arbitraries.of(B64URL.toCharArray()))
			.as((index, replacement) -> VALID.substring(0, index) + replacement + VALID.substring(index + 1));
		Arbitrary<String> dotted = Arbitraries.strings().withChars(B64URL + ".").ofMaxLength(600);
		return Arbitraries.oneOf(tampered, dotted, Arbitraries.strings().ofMaxLength(300));
	}

	/** Payloads with the right issuer and audience, and anything in the other claims. */
	@Provide
	Arbitrary<String> payloads() {
		Arbitrary<String> numbers = Arbitraries.of("0", "-1", "1893456000", "1893456000.5", "9223372036854775807",
				"9223372036854775808", "-9223372036854775809", "1e400", "-1e400", "123456789012345678901234567890",
				"\"1893456000\"", "null", "true", "[]", "{}");
		Arbitrary<String> strings = Arbitraries.strings()
			.ofMaxLength(20)
			.map(SecurityEventTokenVerifierPropertyTests::quoted);
		Arbitrary<String> values = Arbitraries.oneOf(numbers, strings);
		Arbitrary<String> subjects = Combinators
			.combine(Arbitraries.of("iss_sub", "opaque", "complex", "email", "x"), values, values)
			.as((format, a, b) -> "{\"format\":\"" + format + "\",\"sub\":" + a + ",\"id\":" + b
					+ ",\"user\":{\"format\":\"opaque\",\"id\":" + a + "},\"session\":{\"format\":\"opaque\",\"id\":"
					+ b + "}}");
		Arbitrary<String> subjectOrValue = Arbitraries.oneOf(subjects, values);
		Arbitrary<String> events = Arbitraries.oneOf(values, subjectOrValue
			.map((subject) -> "{\"" + SecurityEventReceiver.CAEP + "session-revoked\":{\"subject\":" + subject + "}}"),
				Arbitraries.just("{\"a\":{},\"b\":{},\"c\":1}"));
		return Combinators.combine(Arbitraries.of("1893456000", "1893455990"), numbers, values, subjectOrValue, events)
			.as((goodIat, badIat, jti, subId, eventMembers) -> "{\"iss\":\"" + SecurityEventTokenVerifierTests.ISSUER
					+ "\",\"aud\":\"" + SecurityEventTokenVerifierTests.AUDIENCE + "\",\"iat\":"
					+ (jti.length() % 2 == 0 ? goodIat : badIat) + ",\"jti\":" + jti + ",\"sub_id\":" + subId
					+ ",\"sub\":" + jti + ",\"events\":" + eventMembers + "}");
	}

	private static String quoted(String text) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				quoted.append('\\').append(c);
			}
			else if (c < 0x20) {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

	private static byte[] sign(String payload) {
		JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("secevent+jwt"))
			.keyID(SecurityEventTokenVerifierTests.KEY.getKeyID())
			.build(), new Payload(payload));
		try {
			jws.sign(new RSASSASigner(SecurityEventTokenVerifierTests.KEY));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jws.serialize().getBytes(StandardCharsets.US_ASCII);
	}

}
