package io.github.tokenintrospection.internal.possession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.testsupport.DPoPProofs;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sender-constraint rules: a bound token only with its proof or certificate, a DPoP
 * request only with a DPoP-bound token, unbound tokens where they are required.
 */
class PossessionCheckTests {

	private final DPoPProofs client = DPoPProofs.generate();

	private final PossessionCheck check = new PossessionCheck(
			DPoPProofVerifierTests.verifier(new LocalProofReplays(100)), false, List.of("/payments/**"));

	@Test
	void afterLookupWhenDPoPBoundTokenWithProofOfItsKeyThenAccepted() {
		assertThat(this.check.afterLookup(bound("jkt", this.client.thumbprint()), dpop("/notes"),
				this.client.thumbprint()))
			.isNull();
	}

	@Test
	void afterLookupWhenDPoPBoundTokenAsBearerThenRefused() {
		Presented bearer = bearer("/notes", null);

		ProofOfPossessionException failure = this.check.afterLookup(bound("jkt", this.client.thumbprint()), bearer,
				null);

		assertThat(failure).isNotNull();
		assertThat(failure.getReason()).isEqualTo("dpop_binding");
		assertThat(bearer.failures).containsExactly(failure);
	}

	@Test
	void afterLookupWhenProofOfAnotherKeyThenRefused() {
		assertThat(this.check.afterLookup(bound("jkt", DPoPProofs.generate().thumbprint()), dpop("/notes"),
				this.client.thumbprint()))
			.extracting(ProofOfPossessionException::getReason)
			.isEqualTo("dpop_binding");
	}

	@Test
	void afterLookupWhenUnboundTokenWithDPoPSchemeThenRefused() {
		assertThat(this.check.afterLookup(unbound(), dpop("/notes"), this.client.thumbprint()))
			.extracting(ProofOfPossessionException::getReason)
			.isEqualTo("dpop_binding");
	}

	@Test
	void afterLookupWhenCertificateBoundTokenThenOnlyWithThatCertificate() {
		IntrospectedToken token = bound("x5t#S256", "cert-thumbprint");

		assertThat(this.check.afterLookup(token, bearer("/notes", "cert-thumbprint"), null)).isNull();
		assertThat(this.check.afterLookup(token, bearer("/notes", "other"), null))
			.extracting(ProofOfPossessionException::getReason)
			.isEqualTo("certificate_binding");
		assertThat(this.check.afterLookup(token, bearer("/notes", null), null)).isNotNull();
		assertThat(this.check.afterLookup(token, null, null)).isNotNull();
	}

	@Test
	void afterLookupWhenUnboundTokenThenRefusedOnlyWhereRequired() {
		assertThat(this.check.afterLookup(unbound(), bearer("/notes", null), null)).isNull();
		assertThat(this.check.afterLookup(unbound(), bearer("/payments/1", null), null))
			.extracting(ProofOfPossessionException::getReason)
			.isEqualTo("not_sender_constrained");
		PossessionCheck everywhere = new PossessionCheck(DPoPProofVerifierTests.verifier(new LocalProofReplays(10)),
				true, List.of());
		assertThat(everywhere.afterLookup(unbound(), bearer("/notes", null), null)).isNotNull();
	}

	@Test
	void afterLookupWhenOutsideARequestThenBoundTokensRefusedAndRequiredPathsHeldToTheStricterRule() {
		PossessionCheck nowhereRequired = new PossessionCheck(
				DPoPProofVerifierTests.verifier(new LocalProofReplays(10)), false, List.of());

		assertThat(nowhereRequired.afterLookup(bound("jkt", this.client.thumbprint()), null, null)).isNotNull();
		assertThat(nowhereRequired.afterLookup(unbound(), null, null)).isNull();
		assertThat(this.check.afterLookup(unbound(), null, null)).extracting(ProofOfPossessionException::getReason)
			.isEqualTo("not_sender_constrained");
	}

	@Test
	void beforeLookupWhenAskedTwiceForOneRequestThenProofCheckedOnce() {
		String proof = this.client.proof()
			.htm("GET")
			.htu(DPoPProofVerifierTests.URI)
			.ath(DPoPProofVerifierTests.TOKEN)
			.iat(DPoPProofVerifierTests.NOW)
			.sign();
		Presented presented = new Presented(PresentedCredentials.Scheme.DPOP, List.of(proof), "/api/notes", null);

		// As the pipelines of two authorization servers do: the second must not see a
		// replay.
		assertThat(this.check.beforeLookup(presented, DPoPProofVerifierTests.TOKEN))
			.isEqualTo(this.client.thumbprint());
		assertThat(this.check.beforeLookup(presented, DPoPProofVerifierTests.TOKEN))
			.isEqualTo(this.client.thumbprint());
	}

	@Test
	void checksWhenDPoPSchemeLeftToTheApplicationThenItsProofsNotCheckedButBearerDowngradeStillRefused() {
		PossessionCheck leftToSpring = new PossessionCheck(DPoPProofVerifierTests.verifier(new LocalProofReplays(10)),
				false, List.of(), false);
		Presented dpop = new Presented(PresentedCredentials.Scheme.DPOP, List.of("junk"), "/notes", null);

		assertThat(leftToSpring.beforeLookup(dpop, DPoPProofVerifierTests.TOKEN)).isNull();
		assertThat(leftToSpring.afterLookup(bound("jkt", this.client.thumbprint()), dpop, null)).isNull();
		assertThat(leftToSpring.afterLookup(bound("jkt", this.client.thumbprint()), bearer("/notes", null), null))
			.extracting(ProofOfPossessionException::getReason)
			.isEqualTo("dpop_binding");
	}

	@Test
	void replaysWhenRecordFullOfOpenWindowsThenNewProofsRefusedAndOldOnesNotForgotten() {
		LocalProofReplays replays = new LocalProofReplays(2);
		java.time.Duration window = java.time.Duration.ofMinutes(1);

		assertThat(replays.firstUse("a", window)).isTrue();
		assertThat(replays.firstUse("b", window)).isTrue();
		assertThat(replays.firstUse("c", window)).isFalse();
		assertThat(replays.firstUse("a", window)).isFalse();
	}

	@Test
	void beforeLookupWhenDPoPSchemeWithoutExactlyOneProofThenRefused() {
		Presented none = new Presented(PresentedCredentials.Scheme.DPOP, List.of(), "/notes", null);
		Presented two = new Presented(PresentedCredentials.Scheme.DPOP, List.of("a", "b"), "/notes", null);

		assertThatExceptionOfType(ProofOfPossessionException.class)
			.isThrownBy(() -> this.check.beforeLookup(none, DPoPProofVerifierTests.TOKEN));
		assertThatExceptionOfType(ProofOfPossessionException.class)
			.isThrownBy(() -> this.check.beforeLookup(two, DPoPProofVerifierTests.TOKEN));
		assertThat(none.failures).hasSize(1);
	}

	@Test
	void beforeLookupWhenBearerThenNoProofChecked() {
		assertThat(this.check.beforeLookup(bearer("/notes", null), DPoPProofVerifierTests.TOKEN)).isNull();
	}

	@Test
	void beforeLookupWhenValidProofThenItsThumbprint() {
		String proof = this.client.proof()
			.htm("GET")
			.htu(DPoPProofVerifierTests.URI)
			.ath(DPoPProofVerifierTests.TOKEN)
			.iat(DPoPProofVerifierTests.NOW)
			.sign();
		Presented presented = new Presented(PresentedCredentials.Scheme.DPOP, List.of(proof), "/api/notes", null);

		assertThat(this.check.beforeLookup(presented, DPoPProofVerifierTests.TOKEN))
			.isEqualTo(this.client.thumbprint());
	}

	private static IntrospectedToken bound(String member, String thumbprint) {
		return IntrospectedToken.active(Map.of("sub", "alice", "cnf", Map.of(member, thumbprint)));
	}

	private static IntrospectedToken unbound() {
		return IntrospectedToken.active(Map.of("sub", "alice"));
	}

	private static Presented dpop(String path) {
		return new Presented(PresentedCredentials.Scheme.DPOP, List.of("proof"), path, null);
	}

	private static Presented bearer(String path, @Nullable String certificate) {
		return new Presented(PresentedCredentials.Scheme.BEARER, List.of(), path, certificate);
	}

	private static final class Presented implements PresentedCredentials {

		private final Scheme scheme;

		private final List<String> proofs;

		private final String path;

		private final @Nullable String certificate;

		final List<ProofOfPossessionException> failures = new ArrayList<>();

		private @Nullable String verified;

		Presented(Scheme scheme, List<String> proofs, String path, @Nullable String certificate) {
			this.scheme = scheme;
			this.proofs = proofs;
			this.path = path;
			this.certificate = certificate;
		}

		@Override
		public Scheme scheme() {
			return this.scheme;
		}

		@Override
		public List<String> proofs() {
			return this.proofs;
		}

		@Override
		public String method() {
			return "GET";
		}

		@Override
		public String uri() {
			return DPoPProofVerifierTests.URI;
		}

		@Override
		public String path() {
			return this.path;
		}

		@Override
		public @Nullable String certificateThumbprint() {
			return this.certificate;
		}

		@Override
		public @Nullable String header(String name) {
			return null;
		}

		@Override
		public @Nullable String verifiedProof() {
			return this.verified;
		}

		@Override
		public void proofVerified(String thumbprint) {
			this.verified = thumbprint;
		}

		@Override
		public void failed(ProofOfPossessionException failure) {
			this.failures.add(failure);
		}

	}

}
