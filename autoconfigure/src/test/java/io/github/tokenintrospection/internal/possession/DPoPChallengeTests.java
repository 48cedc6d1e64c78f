package io.github.tokenintrospection.internal.possession;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code WWW-Authenticate} challenges of RFC 9449 section 7.1.
 */
class DPoPChallengeTests {

	private static final String METADATA = "resource_metadata=\"https://notes.example.com/.well-known/oauth-protected-resource\"";

	@Test
	void replacingWhenProofFailedThenDPoPChallengeWithErrorAlgorithmsAndMetadata() {
		String challenge = DPoPChallenge.replacing(
				"Bearer error=\"invalid_token\", error_description=\"x\", " + METADATA,
				ProofOfPossessionException.invalidProof("The DPoP proof's htm is not the request's method"), false,
				"ES256 RS256");

		assertThat(challenge).isEqualTo("DPoP error=\"invalid_dpop_proof\", error_description=\"The DPoP proof's htm "
				+ "is not the request's method\", algs=\"ES256 RS256\", " + METADATA);
	}

	@Test
	void replacingWhenDPoPRequestFailedOtherwiseThenSameParametersInTheDPoPScheme() {
		assertThat(DPoPChallenge.replacing("Bearer error=\"invalid_token\"", null, true, "ES256"))
			.isEqualTo("DPoP error=\"invalid_token\", algs=\"ES256\"");
		assertThat(DPoPChallenge.replacing("Bearer", null, true, "ES256")).isEqualTo("DPoP algs=\"ES256\"");
	}

	@Test
	void replacingWhenBearerRequestWithoutSenderConstraintFailureThenKept() {
		assertThat(DPoPChallenge.replacing("Bearer error=\"invalid_token\"", null, false, "ES256")).isNull();
	}

}
