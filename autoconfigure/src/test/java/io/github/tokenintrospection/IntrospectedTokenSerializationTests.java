package io.github.tokenintrospection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link IntrospectedToken} through JDK serialization, as a serializing cache of the
 * application's (a {@code RedisCacheManager} by default) stores it.
 */
class IntrospectedTokenSerializationTests {

	private static final Instant EXP = Instant.parse("2030-01-01T00:00:00Z");

	@Test
	void deserializeWhenActiveThenSameClaimsAndStillImmutable() throws Exception {
		IntrospectedToken token = IntrospectedToken.active(Map.of("sub", "alice", "exp", EXP, "scope",
				List.of("read", "write"), "realm_access", Map.of("roles", List.of("user"))));

		IntrospectedToken copy = roundTrip(token);

		assertThat(copy).isNotSameAs(token);
		assertThat(copy.isActive()).isTrue();
		assertThat(copy.getClaims()).isEqualTo(token.getClaims());
		assertThat(copy.expiresAt()).isEqualTo(EXP);
		assertThat(copy.stringListClaim("scope")).containsExactly("read", "write");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> copy.getClaims().put("sub", "mallory"));
	}

	@Test
	void deserializeWhenInactiveThenTheSharedInactiveResult() throws Exception {
		assertThat(roundTrip(IntrospectedToken.inactive())).isSameAs(IntrospectedToken.inactive());
	}

	@Test
	void deserializeWhenAuthoritiesWereDerivedThenDerivedAgainFromTheClaims() throws Exception {
		IntrospectedToken token = IntrospectedToken.active(Map.of("sub", "alice", "scope", List.of("read")));
		List<IntrospectedToken> mapped = new ArrayList<>();
		Function<IntrospectedToken, Collection<GrantedAuthority>> converter = (claims) -> {
			mapped.add(claims);
			return List.of(new SimpleGrantedAuthority("SCOPE_" + claims.stringListClaim("scope").get(0)));
		};
		token.authorities(converter);

		IntrospectedToken copy = roundTrip(token);

		assertThat(copy.authorities(converter)).map(GrantedAuthority::getAuthority).containsExactly("SCOPE_read");
		assertThat(copy.authorities(converter)).map(GrantedAuthority::getAuthority).containsExactly("SCOPE_read");
		assertThat(mapped).hasSize(2).last().isSameAs(copy);
	}

	@Test
	void serializeThenOnlyTheSerializedFormIsWritten() throws Exception {
		byte[] bytes = serialize(IntrospectedToken.active(Map.of("sub", "alice")));

		String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
		assertThat(text).contains("IntrospectedToken$SerializedForm").doesNotContain("derivedAuthorities");
	}

	@Test
	void deserializeWhenEvidenceKeptThenStillKept() throws Exception {
		IntrospectedToken signed = IntrospectedToken.active(Map.of("sub", "alice"))
			.asSignedAnswer("cd".repeat(32), "header.payload.signature");

		IntrospectedToken copy = roundTrip(signed);

		assertThat(copy.isSignedAnswer()).isTrue();
		assertThat(copy.signedAnswerSha256()).isEqualTo("cd".repeat(32));
		assertThat(copy.signedAnswer()).isEqualTo("header.payload.signature");
	}

	@Test
	void deserializeWhenFromSignedAnswerThenStillMarkedSigned() throws Exception {
		IntrospectedToken signed = IntrospectedToken.active(Map.of("sub", "alice")).asSignedAnswer();

		assertThat(roundTrip(signed).isSignedAnswer()).isTrue();
		assertThat(roundTrip(IntrospectedToken.active(Map.of("sub", "alice"))).isSignedAnswer()).isFalse();
		assertThat(roundTrip(IntrospectedToken.inactive().asSignedAnswer()).isSignedAnswer()).isTrue();
	}

	private static IntrospectedToken roundTrip(IntrospectedToken token) throws IOException, ClassNotFoundException {
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(token)))) {
			return (IntrospectedToken) in.readObject();
		}
	}

	private static byte[] serialize(IntrospectedToken token) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(token);
		}
		return bytes.toByteArray();
	}

}
