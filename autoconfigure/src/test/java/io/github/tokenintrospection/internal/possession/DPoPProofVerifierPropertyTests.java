package io.github.tokenintrospection.internal.possession;

import io.github.tokenintrospection.testsupport.DPoPProofs;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile DPoP proofs: whatever the header's value, the verifier either refuses it with a
 * {@link ProofOfPossessionException} or accepts a proof whose signed parts are the
 * client's, unchanged; nothing else escapes.
 */
class DPoPProofVerifierPropertyTests {

	private static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	private static final DPoPProofs client = DPoPProofs.generate();

	private static final String VALID = client.proof()
		.htm("GET")
		.htu(DPoPProofVerifierTests.URI)
		.ath(DPoPProofVerifierTests.TOKEN)
		.iat(DPoPProofVerifierTests.NOW)
		.sign();

	@Property(tries = 2000)
	void verifyWhenAnyStringThenRefusedOrTheClientsProof(@ForAll("proofs") String proof) {
		// A fresh replay record each time: a replay is not what is probed here.
		DPoPProofVerifier verifier = DPoPProofVerifierTests.verifier(new LocalProofReplays(10));
		try {
			String thumbprint = verifier.verify(proof, "GET", DPoPProofVerifierTests.URI, DPoPProofVerifierTests.TOKEN);
			assertThat(thumbprint).isEqualTo(client.thumbprint());
			assertThat(signedParts(proof)).isEqualTo(signedParts(VALID));
		}
		catch (ProofOfPossessionException ex) {
			assertThat(ex.getError()).isEqualTo(ProofOfPossessionException.INVALID_DPOP_PROOF);
		}
	}

	@Provide
	Arbitrary<String> proofs() {
		Arbitrary<String> tampered = Combinators
			.combine(Arbitraries.integers().between(0, VALID.length() - 1), Arbitraries.of(B64URL.toCharArray()))
			.as((index, replacement) -> VALID.substring(0, index) + replacement + VALID.substring(index + 1));
		Arbitrary<String> dotted = Arbitraries.strings().withChars(B64URL + ".").ofMaxLength(400);
		Arbitrary<String> huge = Arbitraries.strings().withChars(B64URL + ".").ofMinLength(8000).ofMaxLength(9000);
		return Arbitraries.oneOf(tampered, dotted, Arbitraries.strings().ofMaxLength(200), huge);
	}

	/** Header and payload decoded: base64url's unused trailing bits may change alone. */
	private static String signedParts(String proof) {
		String[] parts = proof.split("\\.");
		java.util.Base64.Decoder decoder = java.util.Base64.getUrlDecoder();
		return new String(decoder.decode(parts[0])) + "." + new String(decoder.decode(parts[1]));
	}

}
