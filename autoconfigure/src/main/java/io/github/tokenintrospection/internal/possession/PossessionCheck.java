package io.github.tokenintrospection.internal.possession;

import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The sender-constraint rules of one application, the same for both stacks and every
 * authorization server:
 * <ul>
 * <li>before any lookup, a request with the {@code DPoP} scheme must carry exactly one
 * valid proof for this request and token (so a junk proof never costs a call);</li>
 * <li>after it, a token whose answer has {@code cnf.jkt} must have come with a proof by
 * that key, one with {@code cnf.x5t#S256} over a TLS session with that client
 * certificate, and a token used with the {@code DPoP} scheme must be DPoP-bound (no
 * downgrade either way);</li>
 * <li>where sender-constrained tokens are required, an unbound token is refused.</li>
 * </ul>
 */
public final class PossessionCheck {

	private final DPoPProofVerifier verifier;

	private final boolean required;

	private final List<PathPattern> requiredPaths;

	private final boolean dpopScheme;

	private @Nullable String certificateHeader;

	/**
	 * Creates the rules, the {@code DPoP} scheme taken.
	 * @param verifier checks DPoP proofs
	 * @param required whether every token must be sender-constrained
	 * @param requiredPaths path patterns where tokens must be sender-constrained
	 */
	public PossessionCheck(DPoPProofVerifier verifier, boolean required, List<String> requiredPaths) {
		this(verifier, required, requiredPaths, true);
	}

	/**
	 * Creates the rules.
	 * @param verifier checks DPoP proofs
	 * @param required whether every token must be sender-constrained
	 * @param requiredPaths path patterns where tokens must be sender-constrained
	 * @param dpopScheme whether the starter takes the {@code DPoP} scheme; when not, the
	 * application's own DPoP support checks the proofs of such requests (and a DPoP-bound
	 * token presented as a bearer token is still refused)
	 */
	public PossessionCheck(DPoPProofVerifier verifier, boolean required, List<String> requiredPaths,
			boolean dpopScheme) {
		this.dpopScheme = dpopScheme;
		this.verifier = verifier;
		this.required = required;
		this.requiredPaths = requiredPaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
	}

	/**
	 * Reads the client certificate of a request without one in its TLS session from a
	 * header that a TLS-terminating proxy sets (and strips from what clients send).
	 * @param header the header's name, or {@code null} for the TLS session only
	 */
	public void setCertificateHeader(@Nullable String header) {
		this.certificateHeader = header;
	}

	/**
	 * The accepted DPoP algorithms, for challenges and the resource metadata.
	 * @return the algorithm names, space-separated
	 */
	public String dpopAlgorithms() {
		return this.verifier.algorithmNames();
	}

	/**
	 * A fresh server nonce for a {@code DPoP-Nonce} header.
	 * @return the nonce, or {@code null} when proofs need none
	 */
	public @Nullable String freshNonce() {
		DPoPNonces nonces = this.verifier.nonces();
		return (nonces != null) ? nonces.current() : null;
	}

	/**
	 * Whether checking a proof waits for the network (a fleet-wide replay record), so
	 * that a reactive caller must not do it on an event loop.
	 * @return {@code true} when it blocks
	 */
	public boolean proofCheckBlocks() {
		return this.verifier.blocks();
	}

	/**
	 * Whether sender-constrained tokens are required everywhere.
	 * @return {@code true} when every token must be bound
	 */
	public boolean isRequired() {
		return this.required;
	}

	/**
	 * Checks the DPoP proof of a request that uses the {@code DPoP} scheme.
	 * @param presented what the caller presented, or {@code null} outside a request
	 * @param token the access token
	 * @return the thumbprint of the proof's key, or {@code null} for a bearer request
	 * @throws ProofOfPossessionException when the proof is missing, repeated or not valid
	 */
	public @Nullable String beforeLookup(@Nullable PresentedCredentials presented, String token) {
		if (presented == null || presented.scheme() != PresentedCredentials.Scheme.DPOP || !this.dpopScheme) {
			return null;
		}
		String verified = presented.verifiedProof();
		if (verified != null) {
			return verified;
		}
		try {
			List<String> proofs = presented.proofs();
			if (proofs.size() != 1) {
				throw ProofOfPossessionException.invalidProof("A DPoP request needs exactly one DPoP proof header");
			}
			String thumbprint = this.verifier.verify(proofs.get(0), presented.method(), presented.uri(), token);
			presented.proofVerified(thumbprint);
			return thumbprint;
		}
		catch (ProofOfPossessionException ex) {
			presented.failed(ex);
			throw ex;
		}
	}

	/**
	 * Compares the token's confirmation ({@code cnf}) with what the caller presented.
	 * @param token the active token's claims
	 * @param presented what the caller presented, or {@code null} outside a request
	 * @param proofThumbprint the thumbprint {@link #beforeLookup} returned
	 * @return the failure, or {@code null} when the token may be used as presented
	 */
	public @Nullable ProofOfPossessionException afterLookup(IntrospectedToken token,
			@Nullable PresentedCredentials presented, @Nullable String proofThumbprint) {
		ProofOfPossessionException failure = failure(token, presented, proofThumbprint);
		if (failure != null && presented != null) {
			presented.failed(failure);
		}
		return failure;
	}

	private @Nullable ProofOfPossessionException failure(IntrospectedToken token,
			@Nullable PresentedCredentials presented, @Nullable String proofThumbprint) {
		Map<?, ?> confirmation = Binding.confirmation(token);
		Object keyThumbprint = confirmation.get("jkt");
		Object certificateThumbprint = confirmation.get("x5t#S256");
		boolean checkedElsewhere = !this.dpopScheme && presented != null
				&& presented.scheme() == PresentedCredentials.Scheme.DPOP;
		if (keyThumbprint != null && !checkedElsewhere) {
			if (proofThumbprint == null) {
				return binding("dpop_binding", "The token is DPoP-bound: present it with the DPoP scheme and a proof");
			}
			if (!keyThumbprint.equals(proofThumbprint)) {
				return binding("dpop_binding", "The DPoP proof is not signed by the key the token is bound to");
			}
		}
		else if (keyThumbprint == null && proofThumbprint != null) {
			return binding("dpop_binding", "The token is not DPoP-bound: present it with the Bearer scheme");
		}
		if (certificateThumbprint != null && !certificateThumbprint.equals(certificateThumbprint(presented))) {
			return binding("certificate_binding",
					"The token is bound to a client certificate this connection did not present");
		}
		if (keyThumbprint == null && certificateThumbprint == null && isRequiredFor(presented)) {
			return binding("not_sender_constrained", "A sender-constrained token is required");
		}
		return null;
	}

	/** The TLS session's client certificate, else the proxy's header when configured. */
	private @Nullable String certificateThumbprint(@Nullable PresentedCredentials presented) {
		if (presented == null) {
			return null;
		}
		String thumbprint = presented.certificateThumbprint();
		if (thumbprint == null && this.certificateHeader != null) {
			thumbprint = CertificateThumbprints.ofHeader(presented.header(this.certificateHeader));
		}
		return thumbprint;
	}

	private boolean isRequiredFor(@Nullable PresentedCredentials presented) {
		if (this.required) {
			return true;
		}
		if (this.requiredPaths.isEmpty()) {
			return false;
		}
		if (presented == null) {
			// The request's path is not known: held to the stricter rule.
			return true;
		}
		PathContainer path;
		try {
			path = PathContainer.parsePath(presented.path());
		}
		catch (IllegalArgumentException ex) {
			// A path that cannot be parsed is held to the stricter rule.
			return true;
		}
		return this.requiredPaths.stream().anyMatch((pattern) -> pattern.matches(path));
	}

	private static ProofOfPossessionException binding(String reason, String description) {
		return new ProofOfPossessionException(ProofOfPossessionException.INVALID_TOKEN, reason, description);
	}

}
