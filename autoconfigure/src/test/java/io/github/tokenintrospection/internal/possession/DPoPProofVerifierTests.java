package io.github.tokenintrospection.internal.possession;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.github.tokenintrospection.testsupport.DPoPProofs;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each rule of a DPoP proof (RFC 9449 section 4.3), each with the proof that breaks it.
 */
class DPoPProofVerifierTests {

	static final String TOKEN = "opaque-access-token";

	static final String URI = "https://notes.example.com/api/notes";

	static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

	private final DPoPProofs client = DPoPProofs.generate();

	private final DPoPProofVerifier verifier = verifier(new LocalProofReplays(1000));

	static DPoPProofVerifier verifier(ProofReplays replays) {
		return new DPoPProofVerifier(List.of("ES256", "RS256", "PS256"), Duration.ofSeconds(60), Duration.ofSeconds(5),
				replays, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private DPoPProofs.Proof proof() {
		return this.client.proof().htm("GET").htu(URI).ath(TOKEN).iat(NOW);
	}

	@Test
	void verifyWhenValidThenThumbprintOfTheProofKey() {
		assertThat(this.verifier.verify(proof().sign(), "GET", URI, TOKEN)).isEqualTo(this.client.thumbprint());
	}

	@Test
	void verifyWhenUriDiffersOnlyInCaseOrDefaultPortOrQueryThenValid() {
		String proof = this.client.proof()
			.htm("GET")
			.htu("HTTPS://Notes.Example.com:443/api/notes?x=1#f")
			.ath(TOKEN)
			.iat(NOW)
			.sign();

		assertThat(this.verifier.verify(proof, "GET", URI, TOKEN)).isEqualTo(this.client.thumbprint());
	}

	@Test
	void verifyWhenReplayedThenRefused() {
		String proof = proof().sign();
		this.verifier.verify(proof, "GET", URI, TOKEN);

		refused(proof, "used before");
	}

	@Test
	void verifyWhenRuleBrokenThenRefusedNamingTheRule() {
		refused(proof().type("JWT").sign(), "typ");
		refused(this.client.proof().htm("POST").htu(URI).ath(TOKEN).iat(NOW).sign(), "htm");
		refused(this.client.proof().htm("GET").htu("https://notes.example.com/api/other").ath(TOKEN).iat(NOW).sign(),
				"htu");
		refused(this.client.proof()
			.htm("GET")
			.htu("https://notes.example.com:8443/api/notes")
			.ath(TOKEN)
			.iat(NOW)
			.sign(), "htu");
		refused(this.client.proof().htm("GET").htu(URI).ath("another-token").iat(NOW).sign(), "ath");
		refused(this.client.proof().htm("GET").htu(URI).iat(NOW).sign(), "ath");
		refused(proof().iat(NOW.minusSeconds(61)).sign(), "iat");
		refused(proof().iat(NOW.plusSeconds(6)).sign(), "iat");
		refused(proof().jti("").sign(), "jti");
		refused("not-a-jwt", "not a signed JWT");
		refused(new PlainJWT(new JWTClaimsSet.Builder().build()).serialize(), "not a signed JWT");
	}

	@Test
	void verifyWhenSignatureTamperedThenRefused() {
		String proof = proof().sign();
		String[] parts = proof.split("\\.");
		String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

		refused(tampered, "signature");
	}

	@Test
	void verifyWhenHmacOrPrivateKeyOrSmallRsaKeyThenRefused() throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().jwtID("j")
			.claim("htm", "GET")
			.claim("htu", URI)
			.claim("ath", DPoPProofs.ath(TOKEN))
			.issueTime(java.util.Date.from(NOW))
			.build();
		SignedJWT hmac = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt")).build(), claims);
		hmac.sign(new MACSigner(new byte[32]));
		refused(hmac.serialize(), "alg");

		// Nimbus refuses to write a private jwk into a header: written by hand.
		RSAKey rsa = new RSAKeyGenerator(2048).generate();
		Base64URL header = Base64URL
			.encode("{\"alg\":\"RS256\",\"typ\":\"dpop+jwt\",\"jwk\":" + rsa.toJSONString() + "}");
		Base64URL payload = Base64URL.encode(claims.toString());
		Base64URL signature = new RSASSASigner(rsa).sign(new JWSHeader(JWSAlgorithm.RS256),
				(header + "." + payload).getBytes(StandardCharsets.US_ASCII));
		refused(header + "." + payload + "." + signature, "");

		RSAKey small = new RSAKeyGenerator(1024, true).generate();
		SignedJWT smallKey = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).type(new JOSEObjectType("dpop+jwt"))
					.jwk(small.toPublicJWK())
					.build(),
				claims);
		smallKey.sign(new RSASSASigner(small.toPrivateKey(), Set.of(AllowWeakRSAKey.getInstance())));
		refused(smallKey.serialize(), "signature");
	}

	@Test
	void verifyWhenValidRsaProofThenAccepted() throws Exception {
		RSAKey rsa = new RSAKeyGenerator(2048).generate();
		SignedJWT proof = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.PS256).type(new JOSEObjectType("dpop+jwt"))
					.jwk(rsa.toPublicJWK())
					.build(),
				new JWTClaimsSet.Builder().jwtID("rsa-1")
					.claim("htm", "GET")
					.claim("htu", URI)
					.claim("ath", DPoPProofs.ath(TOKEN))
					.issueTime(java.util.Date.from(NOW))
					.build());
		proof.sign(new RSASSASigner(rsa));

		assertThat(this.verifier.verify(proof.serialize(), "GET", URI, TOKEN))
			.isEqualTo(rsa.computeThumbprint().toString());
	}

	@Test
	void algorithmNamesWhenListedThenSortedForTheChallenge() {
		assertThat(this.verifier.algorithmNames()).isEqualTo("ES256 PS256 RS256");
	}

	private void refused(String proof, String rule) {
		assertThatExceptionOfType(ProofOfPossessionException.class)
			.isThrownBy(() -> this.verifier.verify(proof, "GET", URI, TOKEN))
			.withMessageContaining(rule)
			.satisfies((failure) -> {
				assertThat(failure.getError()).isEqualTo(ProofOfPossessionException.INVALID_DPOP_PROOF);
				assertThat(failure.getReason()).isEqualTo("dpop_proof");
				assertThat(failure.getMessage()).doesNotContain(TOKEN);
			});
	}

}
