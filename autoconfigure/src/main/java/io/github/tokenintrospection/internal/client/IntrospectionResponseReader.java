package io.github.tokenintrospection.internal.client;

import io.github.tokenintrospection.IntrospectedToken;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

/**
 * Reads an introspection response body with the same strict rules, and into the same
 * shape, as the answers of the authorization server, for results kept outside the
 * application (a shared cache) that must come back exactly as they were parsed the first
 * time.
 */
public final class IntrospectionResponseReader {

	private final IntrospectionResponseParser parser = new IntrospectionResponseParser();

	/**
	 * Parses a body in RFC 7662's format.
	 * @param body the JSON object
	 * @return the result; inactive unless {@code active} is the JSON {@code true}
	 * @throws OAuth2IntrospectionException when the body is malformed
	 */
	public IntrospectedToken read(byte[] body) {
		return this.parser.parse(body);
	}

	/**
	 * Reads a body as a JSON object, as strictly as {@link #read(byte[])} does (no
	 * duplicate keys), for a caller that looks at or changes members before
	 * {@link #read(ObjectNode)}.
	 * @param body the JSON object
	 * @return the object
	 * @throws OAuth2IntrospectionException when the body is not strict JSON or no object
	 */
	public ObjectNode readObject(byte[] body) {
		return this.parser.readObject(body);
	}

	/**
	 * Parses an answer read with {@link #readObject(byte[])}.
	 * @param answer the JSON object
	 * @return the result; inactive unless {@code active} is the JSON {@code true}
	 * @throws OAuth2IntrospectionException when a claim is malformed
	 */
	public IntrospectedToken read(ObjectNode answer) {
		return this.parser.parse(answer);
	}

	/**
	 * Whether an answer's content type is JSON ({@code application/json} or a
	 * {@code +json} type).
	 * @param contentType the content type
	 * @return whether it is JSON
	 */
	public static boolean isJson(MediaType contentType) {
		return MediaType.APPLICATION_JSON.isCompatibleWith(contentType) || contentType.getSubtype().endsWith("+json");
	}

}
