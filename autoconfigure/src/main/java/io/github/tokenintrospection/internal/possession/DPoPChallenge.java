package io.github.tokenintrospection.internal.possession;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The {@code WWW-Authenticate} challenge of a 401 for a sender-constrained request (RFC
 * 9449 section 7.1): the {@code DPoP} scheme, the error of a sender-constraint failure,
 * and the accepted algorithms; the {@code resource_metadata} parameter of the challenge
 * it replaces is kept.
 */
public final class DPoPChallenge {

	private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata=\"[^\"]*\"");

	/** The response header that carries a server nonce (RFC 9449 section 8). */
	public static final String NONCE_HEADER = "DPoP-Nonce";

	private DPoPChallenge() {
	}

	/**
	 * Whether the failure asks the client for a server nonce.
	 * @param failure the failure, or {@code null}
	 * @return {@code true} for {@code use_dpop_nonce}
	 */
	public static boolean needsNonce(@Nullable ProofOfPossessionException failure) {
		return failure != null && ProofOfPossessionException.USE_DPOP_NONCE.equals(failure.getError());
	}

	/**
	 * The challenge to send instead of the one written.
	 * @param written the challenge Spring Security wrote
	 * @param failure the sender-constraint failure of the request, or {@code null}
	 * @param dpopRequest whether the request used the {@code DPoP} scheme
	 * @param algorithms the accepted algorithms, space-separated
	 * @return the new challenge, or {@code null} to keep the written one
	 */
	public static @Nullable String replacing(String written, @Nullable ProofOfPossessionException failure,
			boolean dpopRequest, String algorithms) {
		if (failure == null && !(dpopRequest && written.regionMatches(true, 0, "Bearer", 0, 6))) {
			return null;
		}
		StringBuilder challenge = new StringBuilder("DPoP ");
		if (failure != null) {
			challenge.append("error=\"")
				.append(failure.getError())
				.append("\", error_description=\"")
				.append(failure.getMessage())
				.append("\", ");
		}
		else {
			String parameters = written.substring(6).strip();
			if (!parameters.isEmpty()) {
				challenge.append(parameters).append(", ");
			}
		}
		challenge.append("algs=\"").append(algorithms).append('"');
		Matcher metadata = RESOURCE_METADATA.matcher(written);
		if (failure != null && metadata.find()) {
			challenge.append(", ").append(metadata.group());
		}
		return challenge.toString();
	}

}
