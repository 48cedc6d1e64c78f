package io.github.tokenintrospection.internal.jose;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionResponseFormat;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.internal.client.IntrospectionResponseReader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;

/**
 * Asks for signed introspection answers (RFC 9701) and reads them: a signed answer is
 * verified, then its {@code token_introspection} member is parsed as strictly as a plain
 * JSON answer. When signed answers are preferred, a plain JSON answer is read as usual;
 * when they are required, it is a server fault (503, not cached), said clearly once until
 * a signed answer arrives.
 */
public final class SignedAnswerFormat implements IntrospectionResponseFormat {

	/** The media type of a signed answer. */
	public static final MediaType TOKEN_INTROSPECTION_JWT = MediaType
		.parseMediaType("application/token-introspection+jwt");

	private static final Log logger = LogFactory.getLog(SignedAnswerFormat.class);

	private final SignedAnswerVerifier verifier;

	private final boolean required;

	private final IntrospectionResponseReader reader = new IntrospectionResponseReader();

	private final AtomicBoolean plainAnswerReported = new AtomicBoolean();

	private volatile boolean keepEvidence;

	/**
	 * Creates the format.
	 * @param verifier verifies signed answers
	 * @param required whether a plain JSON answer is refused
	 */
	public SignedAnswerFormat(SignedAnswerVerifier verifier, boolean required) {
		Assert.notNull(verifier, "verifier must not be null");
		this.verifier = verifier;
		this.required = required;
	}

	/**
	 * Sets whether each verified signed answer is kept with its result, with its SHA-256.
	 * @param keepEvidence whether to keep the evidence
	 */
	public void setKeepEvidence(boolean keepEvidence) {
		this.keepEvidence = keepEvidence;
	}

	@Override
	public List<MediaType> acceptedMediaTypes() {
		return this.required ? List.of(TOKEN_INTROSPECTION_JWT)
				: List.of(TOKEN_INTROSPECTION_JWT, MediaType.parseMediaType("application/json;q=0.5"));
	}

	@Override
	public IntrospectedToken read(@Nullable MediaType contentType, byte[] body) {
		if (isSigned(contentType)) {
			IntrospectedToken read = this.reader.read(this.verifier.verify(body));
			IntrospectedToken token = this.keepEvidence
					? withEvidence(read, new String(body, StandardCharsets.US_ASCII).strip()) : read.asSignedAnswer();
			this.plainAnswerReported.set(false);
			return token;
		}
		if (contentType != null && !IntrospectionResponseReader.isJson(contentType)) {
			throw new OAuth2IntrospectionException("Introspection endpoint answered with content type " + contentType);
		}
		if (this.required) {
			if (this.plainAnswerReported.compareAndSet(false, true)) {
				logger
					.error("The introspection endpoint answered plain JSON, but token-introspection.signed-answers.mode"
							+ " is 'require': every request gets 503 until the authorization server signs its answers"
							+ " (RFC 9701, Accept: " + TOKEN_INTROSPECTION_JWT + ") or the mode is 'prefer' or 'off'.");
			}
			throw new OAuth2IntrospectionException(
					"Introspection endpoint answered plain JSON, but signed answers are required");
		}
		return this.reader.read(body);
	}

	/**
	 * The digest is of the kept answer, so that anyone can check one against the other.
	 */
	private static IntrospectedToken withEvidence(IntrospectedToken read, String signedAnswer) {
		return read.asSignedAnswer(TokenHash.sha256Hex(signedAnswer), signedAnswer);
	}

	@Override
	public boolean readMayBlock(@Nullable MediaType contentType) {
		// Verifying may fetch the authorization server's keys.
		return isSigned(contentType);
	}

	private static boolean isSigned(@Nullable MediaType contentType) {
		return contentType != null && TOKEN_INTROSPECTION_JWT.equalsTypeAndSubtype(contentType);
	}

}
