package io.github.tokenintrospection.internal.possession;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the caller presented beside the token, read from the request by each stack: the
 * authorization scheme, the DPoP proofs, the request's method and URI, and the client
 * certificate of the TLS session. Read lazily: a bearer request on the hot path computes
 * nothing it does not need.
 */
public interface PresentedCredentials {

	/**
	 * Key under which a request keeps the sender-constraint failure for its challenge.
	 */
	String FAILURE_ATTRIBUTE = PresentedCredentials.class.getName() + ".failure";

	/**
	 * The authorization scheme the token came with.
	 * @return {@code DPOP} or {@code BEARER}
	 */
	Scheme scheme();

	/**
	 * The values of the request's {@code DPoP} headers.
	 * @return the proofs, empty when there is none
	 */
	List<String> proofs();

	/**
	 * The request's method.
	 * @return the method, upper case
	 */
	String method();

	/**
	 * The request's URI as the client sent it (forwarded headers applied as the
	 * application applies them), without query and fragment.
	 * @return the URI
	 */
	String uri();

	/**
	 * The request's path within the application.
	 * @return the path, not decoded
	 */
	String path();

	/**
	 * The SHA-256 thumbprint of the client certificate of the TLS session (RFC 8705),
	 * base64url-encoded.
	 * @return the thumbprint, or {@code null} without a client certificate
	 */
	@Nullable String certificateThumbprint();

	/**
	 * A request header's first value.
	 * @param name the header's name
	 * @return the value, or {@code null}
	 */
	@Nullable String header(String name);

	/**
	 * The thumbprint of this request's proof once verified, so that the pipelines of
	 * several authorization servers asked about one request check its proof once (a
	 * second check would see the proof's {@code jti} as replayed).
	 * @return the thumbprint, or {@code null} before the proof is verified
	 */
	@Nullable String verifiedProof();

	/**
	 * Keeps the thumbprint of this request's verified proof.
	 * @param thumbprint the thumbprint of the proof's key
	 */
	void proofVerified(String thumbprint);

	/**
	 * Keeps a sender-constraint failure with the request, for the challenge of its 401.
	 * @param failure the failure
	 */
	void failed(ProofOfPossessionException failure);

	/** The authorization scheme of a request. */
	enum Scheme {

		/** RFC 6750. */
		BEARER,

		/** RFC 9449. */
		DPOP;

		/**
		 * The scheme of an {@code Authorization} header: {@code DPoP} followed by a
		 * space, in any case, else bearer.
		 * @param authorization the header's value, or {@code null}
		 * @return the scheme
		 */
		public static Scheme of(@Nullable String authorization) {
			return (authorization != null && authorization.length() > 5
					&& authorization.regionMatches(true, 0, "DPoP ", 0, 5)) ? DPOP : BEARER;
		}

	}

}
