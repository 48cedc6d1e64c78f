package io.github.tokenintrospection.internal.jose;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import io.github.tokenintrospection.IntrospectedToken;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static io.github.tokenintrospection.internal.jose.SignedAnswers.ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Signed answers over hostile input: arbitrary bytes, JWT-shaped strings with any header,
 * payload and signature, and validly signed answers whose member says anything. Nothing
 * but {@link OAuth2IntrospectionException} ever leaves the reading, nothing unsigned or
 * wrongly signed is ever accepted, and only the JSON {@code true} makes a token active.
 */
class SignedAnswerVerifierPropertyTests {

	private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	private static final SignedAnswers server = new SignedAnswers("k1");

	private static final Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();

	private final SignedAnswerFormat format = new SignedAnswerFormat(
			new SignedAnswerVerifier(new ImmutableJWKSet<SecurityContext>(new JWKSet(server.key().toPublicJWK())),
					Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), () -> SignedAnswers.ISSUER, SignedAnswers.AUDIENCE,
					Duration.ofMinutes(2), Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC)),
			true);

	@Property(tries = 1000)
	void readWhenArbitraryBytesThenServerFaultOnly(@ForAll byte[] body) {
		assertRejected(body);
	}

	@Property(tries = 1000)
	void readWhenJwtShapedWithoutAValidSignatureThenServerFaultOnly(@ForAll("headers") String header,
			@ForAll("payloads") String payload, @ForAll("signatures") String signature) {
		String jwt = encode(header) + "." + encode(payload) + "." + signature;

		assertRejected(jwt.getBytes(StandardCharsets.US_ASCII));
	}

	@Property(tries = 300)
	void readWhenValidSignatureOverAnyMemberThenActiveOnlyForJsonTrue(@ForAll("members") String member) {
		byte[] answer = server.signRaw(member, NOW).getBytes(StandardCharsets.US_ASCII);

		IntrospectedToken token = null;
		Throwable thrown = catchThrowable(() -> this.format.read(SignedAnswerFormat.TOKEN_INTROSPECTION_JWT, answer));
		if (thrown == null) {
			token = this.format.read(SignedAnswerFormat.TOKEN_INTROSPECTION_JWT, answer);
		}

		assertThat(thrown).satisfiesAnyOf((ex) -> assertThat(ex).isNull(),
				(ex) -> assertThat(ex).isExactlyInstanceOf(OAuth2IntrospectionException.class));
		if (token != null && token.isActive()) {
			assertThat(member).contains("\"active\":true");
			assertThat(token.isSignedAnswer()).isTrue();
		}
	}

	@Property(tries = 200)
	void readWhenValidAnswerSplicedWithAnotherSignatureThenRejected(@ForAll("members") String member) {
		String valid = server.sign(ACTIVE, NOW);
		String other = server.signRaw(member, NOW);
		String spliced = other.substring(0, other.lastIndexOf('.')) + valid.substring(valid.lastIndexOf('.'));

		if (!spliced.equals(valid)) {
			assertRejected(spliced.getBytes(StandardCharsets.US_ASCII));
		}
	}

	private void assertRejected(byte[] body) {
		Throwable thrown = catchThrowable(() -> this.format.read(SignedAnswerFormat.TOKEN_INTROSPECTION_JWT, body));

		assertThat(thrown).isExactlyInstanceOf(OAuth2IntrospectionException.class);
		// The same bytes as plain JSON are refused too: the mode is 'require'.
		assertThat(catchThrowable(() -> this.format.read(MediaType.APPLICATION_JSON, body)))
			.isExactlyInstanceOf(OAuth2IntrospectionException.class);
	}

	@Provide
	Arbitrary<String> headers() {
		Arbitrary<String> alg = Arbitraries.of("none", "None", "HS256", "RS256", "ES256", "PS256", "RS512", "", "x");
		Arbitrary<String> typ = Arbitraries.of("token-introspection+jwt", "JWT", "application/token-introspection+jwt",
				"");
		Arbitrary<String> kid = Arbitraries.of("k1", "k2", "");
		Arbitrary<String> extra = Arbitraries.of("", ",\"crit\":[\"exp\"]", ",\"jku\":\"https://evil.example/jwks\"",
				",\"alg\":\"none\"", ",\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}");
		Arbitrary<String> json = Combinators.combine(alg, typ, kid, extra)
			.as((a, t, k, e) -> "{\"alg\":\"" + a + "\",\"typ\":\"" + t + "\",\"kid\":\"" + k + "\"" + e + "}");
		return Arbitraries.oneOf(json, Arbitraries.strings().ofMaxLength(40));
	}

	@Provide
	Arbitrary<String> payloads() {
		Arbitrary<String> iss = Arbitraries.of(SignedAnswers.ISSUER, "https://evil.example", "");
		Arbitrary<String> aud = Arbitraries.of("\"notes-api\"", "[\"notes-api\"]", "\"other\"", "1");
		Arbitrary<Long> iat = Arbitraries.longs().between(NOW.getEpochSecond() - 1000, NOW.getEpochSecond() + 1000);
		Arbitrary<String> json = Combinators.combine(iss, aud, iat, members())
			.as((i, a, t, m) -> "{\"iss\":\"" + i + "\",\"aud\":" + a + ",\"iat\":" + t + ",\"token_introspection\":"
					+ m + "}");
		return Arbitraries.oneOf(json, Arbitraries.strings().ofMaxLength(60));
	}

	@Provide
	Arbitrary<String> signatures() {
		return Arbitraries.oneOf(Arbitraries.just(""),
				Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300).map(base64::encodeToString),
				Arbitraries.strings().ofMaxLength(20));
	}

	@Provide
	Arbitrary<String> members() {
		Arbitrary<String> active = Arbitraries.of("true", "false", "\"true\"", "1", "null", "[true]", "{}");
		Arbitrary<String> exp = Arbitraries.of("4102444800", "\"soon\"", "1e400", "-1", "null");
		Arbitrary<String> scope = Arbitraries.of("\"read\"", "[\"read\"]", "[1]", "{}");
		Arbitrary<String> duplicate = Arbitraries.of("", ",\"active\":true", ",\"active\":false");
		return Combinators.combine(active, exp, scope, duplicate)
			.as((a, e, s, d) -> "{\"active\":" + a + ",\"sub\":\"alice\",\"exp\":" + e + ",\"scope\":" + s + d + "}");
	}

	private static String encode(String json) {
		return base64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
