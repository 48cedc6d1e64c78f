package io.github.tokenintrospection.internal.cache.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedEntrySerializerTests {

	private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

	private final SharedEntrySerializer serializer = new SharedEntrySerializer(null, Duration.ofSeconds(60),
			Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void serializeWhenFromSignedAnswerThenReadBackAsSigned() {
		IntrospectedToken signed = IntrospectedToken.active(Map.of("active", true, "sub", "alice")).asSignedAnswer();

		byte[] written = this.serializer.serialize(new SharedEntry("k", signed, NOW.getEpochSecond()));
		SharedEntry read = (SharedEntry) this.serializer.deserialize(written);

		assertThat(new String(written, java.nio.charset.StandardCharsets.UTF_8)).contains("\"signed\":true");
		assertThat(read.token().isSignedAnswer()).isTrue();
		assertThat(read.token().getClaims()).isEqualTo(signed.getClaims());
	}

	@Test
	void serializeWhenEvidenceKeptThenReadBackWithIt() {
		IntrospectedToken signed = IntrospectedToken.active(Map.of("active", true, "sub", "alice"))
			.asSignedAnswer("ab".repeat(32), "header.payload.signature");

		SharedEntry read = (SharedEntry) this.serializer
			.deserialize(this.serializer.serialize(new SharedEntry("k", signed, NOW.getEpochSecond())));

		assertThat(read.token().isSignedAnswer()).isTrue();
		assertThat(read.token().signedAnswerSha256()).isEqualTo("ab".repeat(32));
		assertThat(read.token().signedAnswer()).isEqualTo("header.payload.signature");
	}

	@Test
	void serializeWhenFromPlainAnswerThenNoSignedMarkAndReadBackAsPlain() {
		IntrospectedToken plain = IntrospectedToken.active(Map.of("active", true, "sub", "alice"));

		byte[] written = this.serializer.serialize(new SharedEntry("k", plain, NOW.getEpochSecond()));

		assertThat(new String(written, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("signed");
		assertThat(((SharedEntry) this.serializer.deserialize(written)).token().isSignedAnswer()).isFalse();
	}

}
