package io.github.tokenintrospection.testsupport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads an {@code application/x-www-form-urlencoded} request body as an authorization
 * server does.
 */
public final class FormBody {

	private FormBody() {
	}

	/**
	 * Returns the decoded value of the first field of that name.
	 * @param body the request body
	 * @param name the field's name
	 * @return the value, or {@code null} when the body has no such field
	 */
	public static String value(String body, String name) {
		for (String pair : body.split("&")) {
			String[] parts = pair.split("=", 2);
			if (URLDecoder.decode(parts[0], StandardCharsets.UTF_8).equals(name)) {
				return URLDecoder.decode((parts.length > 1) ? parts[1] : "", StandardCharsets.UTF_8);
			}
		}
		return null;
	}

}
