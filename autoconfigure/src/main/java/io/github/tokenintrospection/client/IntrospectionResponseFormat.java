package io.github.tokenintrospection.client;

import java.util.List;

import io.github.tokenintrospection.IntrospectedToken;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

/**
 * How the introspection endpoint is asked to answer, and how a successful (HTTP 200)
 * answer is read, for answers other than RFC 7662's plain JSON, such as RFC 9701's signed
 * JWTs. Both HTTP clients use it in place of their strict JSON reading when one is set.
 */
public interface IntrospectionResponseFormat {

	/**
	 * Returns the media types to ask for, most preferred first.
	 * @return the value of the {@code Accept} header
	 */
	List<MediaType> acceptedMediaTypes();

	/**
	 * Reads an answer. Anything it cannot trust is a server fault, never an inactive
	 * token.
	 * @param contentType the answer's content type, or {@code null} when it has none
	 * @param body the answer's body, within the client's size limit
	 * @return the result
	 * @throws OAuth2IntrospectionException when the answer is malformed, of an unexpected
	 * type, or fails verification
	 */
	IntrospectedToken read(@Nullable MediaType contentType, byte[] body);

	/**
	 * Reads the answer about a given token, for formats that bind the answer to the token
	 * (a proof must be about the token asked about). By default the token is not used.
	 * @param contentType the answer's content type, or {@code null} when it has none
	 * @param body the answer's body, within the client's size limit
	 * @param token the token that was introspected; never logged or kept
	 * @return the result
	 * @throws OAuth2IntrospectionException when the answer is malformed, of an unexpected
	 * type, or fails verification
	 */
	default IntrospectedToken read(@Nullable MediaType contentType, byte[] body, @Nullable String token) {
		return read(contentType, body);
	}

	/**
	 * Whether reading an answer of this type may block (to fetch keys, for example); the
	 * reactive client then reads it off its event loops.
	 * @param contentType the answer's content type, or {@code null}
	 * @return {@code true} when {@link #read} may block
	 */
	default boolean readMayBlock(@Nullable MediaType contentType) {
		return false;
	}

}
