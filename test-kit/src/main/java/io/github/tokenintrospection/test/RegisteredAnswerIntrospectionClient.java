package io.github.tokenintrospection.test;

import java.nio.charset.StandardCharsets;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.internal.client.IntrospectionResponseReader;

/**
 * An {@link IntrospectionClient} that answers from {@link IntrospectionAnswers} instead
 * of calling the authorization server. The registered JSON goes through the starter's own
 * strict parser, so that everything after the HTTP call (validation, authorities,
 * principal name, listeners) sees what a real answer would give. A token never registered
 * is inactive, as a real server would say.
 */
final class RegisteredAnswerIntrospectionClient implements IntrospectionClient {

	private final IntrospectionResponseReader reader = new IntrospectionResponseReader();

	@Override
	public IntrospectedToken introspect(String token) {
		String answer = IntrospectionAnswers.find(token);
		return (answer != null) ? this.reader.read(answer.getBytes(StandardCharsets.UTF_8))
				: IntrospectedToken.inactive();
	}

}
