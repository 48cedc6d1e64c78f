package io.github.tokenintrospection.test;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import reactor.core.publisher.Mono;

/**
 * The reactive twin of {@link RegisteredAnswerIntrospectionClient}: the same answers, the
 * same parser, nothing that blocks.
 */
final class ReactiveRegisteredAnswerIntrospectionClient implements ReactiveIntrospectionClient {

	private final RegisteredAnswerIntrospectionClient answers = new RegisteredAnswerIntrospectionClient();

	@Override
	public Mono<IntrospectedToken> introspect(String token) {
		return Mono.fromSupplier(() -> this.answers.introspect(token));
	}

}
