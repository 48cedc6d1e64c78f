package io.github.tokenintrospection.internal.possession;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.github.tokenintrospection.testsupport.DPoPProofs;
import io.github.tokenintrospection.testsupport.MutableClock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Stateless server nonces: valid in their window and the next, on every instance with the
 * same secret, never when forged, tampered or arbitrary.
 */
class DPoPNoncesTests {

	private static final byte[] SECRET = secret((byte) 1);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));

	private final DPoPNonces nonces = new DPoPNonces(SECRET, Duration.ofMinutes(5), this.clock);

	@Test
	void isValidWhenIssuedNowOrInThePreviousWindowThenValid() {
		String nonce = this.nonces.current();
		assertThat(this.nonces.isValid(nonce)).isTrue();
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.nonces.isValid(nonce)).isTrue();
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.nonces.isValid(nonce)).isFalse();
	}

	@Test
	void isValidWhenAnotherInstanceWithTheSameSecretIssuedItThenValid() {
		DPoPNonces other = new DPoPNonces(SECRET, Duration.ofMinutes(5), this.clock);
		DPoPNonces otherSecret = new DPoPNonces(secret((byte) 2), Duration.ofMinutes(5), this.clock);

		assertThat(other.isValid(this.nonces.current())).isTrue();
		assertThat(otherSecret.isValid(this.nonces.current())).isFalse();
	}

	@Test
	void isValidWhenTamperedOrMissingThenInvalid() {
		String nonce = this.nonces.current();
		char last = nonce.charAt(nonce.length() - 2);
		String tampered = nonce.substring(0, nonce.length() - 2) + ((last == 'A') ? 'B' : 'A')
				+ nonce.charAt(nonce.length() - 1);

		assertThat(this.nonces.isValid(tampered)).isFalse();
		assertThat(this.nonces.isValid(null)).isFalse();
		assertThat(this.nonces.isValid("")).isFalse();
	}

	@Property(tries = 2000)
	void isValidWhenAnyStringThenNeverThrowsAndNeverValid(@ForAll String nonce) {
		assertThat(this.nonces.isValid(nonce)).isFalse();
	}

	@Test
	void verifyWhenNoncesRequiredThenProofWithoutOrWithStaleNonceRefusedAndWithCurrentAccepted() {
		DPoPProofs client = DPoPProofs.generate();
		DPoPProofVerifier verifier = new DPoPProofVerifier(List.of("ES256"), Duration.ofSeconds(60),
				Duration.ofSeconds(5), new LocalProofReplays(100), this.clock, this.nonces);
		String uri = DPoPProofVerifierTests.URI;
		String token = DPoPProofVerifierTests.TOKEN;

		assertThatExceptionOfType(ProofOfPossessionException.class)
			.isThrownBy(() -> verifier.verify(
					client.proof().htm("GET").htu(uri).ath(token).iat(this.clock.instant()).sign(), "GET", uri, token))
			.satisfies(
					(failure) -> assertThat(failure.getError()).isEqualTo(ProofOfPossessionException.USE_DPOP_NONCE));
		assertThat(verifier.verify(client.proof()
			.htm("GET")
			.htu(uri)
			.ath(token)
			.iat(this.clock.instant())
			.nonce(this.nonces.current())
			.sign(), "GET", uri, token)).isEqualTo(client.thumbprint());
	}

	private static byte[] secret(byte value) {
		byte[] secret = new byte[32];
		Arrays.fill(secret, value);
		return secret;
	}

}
