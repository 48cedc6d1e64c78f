package io.github.tokenintrospection.internal.observation;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.observation.IntrospectionCall.Outcome;
import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ObservedIntrospectionClientTests {

	private final List<IntrospectionCall> calls = new ArrayList<>();

	private final IntrospectionListener recorder = new IntrospectionListener() {

		@Override
		public void introspectionCalled(IntrospectionCall call) {
			ObservedIntrospectionClientTests.this.calls.add(call);
		}

		@Override
		public void decisionMade(IntrospectionDecision decision) {
			throw new AssertionError("a client makes no decisions");
		}

	};

	@Test
	void introspectWhenActiveThenResultReturnedAndActiveCallReported() {
		IntrospectedToken active = IntrospectedToken.active(Map.of("sub", "alice"));
		ObservedIntrospectionClient client = new ObservedIntrospectionClient((token) -> active, this.recorder);

		long start = System.nanoTime();
		assertThat(client.introspect("token-1")).isSameAs(active);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

		assertThat(this.calls).singleElement().satisfies((call) -> {
			assertThat(call.outcome()).isEqualTo(Outcome.ACTIVE);
			assertThat(call.error()).isEqualTo("none");
			assertThat(call.duration()).isBetween(Duration.ZERO, elapsed);
		});
	}

	@Test
	void introspectWhenInactiveThenInactiveCallReported() {
		ObservedIntrospectionClient client = new ObservedIntrospectionClient((token) -> IntrospectedToken.inactive(),
				this.recorder);

		assertThat(client.introspect("token-1").isActive()).isFalse();

		assertThat(this.calls).singleElement().satisfies((call) -> {
			assertThat(call.outcome()).isEqualTo(Outcome.INACTIVE);
			assertThat(call.error()).isEqualTo("none");
		});
	}

	@Test
	void introspectWhenClientFailsThenSameExceptionPropagatesAndErrorReportedWithSimpleClassName() {
		OAuth2IntrospectionException failure = new OAuth2IntrospectionException(
				"Introspection endpoint answered HTTP 500");
		ObservedIntrospectionClient client = new ObservedIntrospectionClient((token) -> {
			throw failure;
		}, this.recorder);

		long start = System.nanoTime();
		assertThat(catchThrowable(() -> client.introspect("token-1"))).isSameAs(failure);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

		assertThat(this.calls).singleElement().satisfies((call) -> {
			assertThat(call.outcome()).isEqualTo(Outcome.ERROR);
			assertThat(call.error()).isEqualTo("OAuth2IntrospectionException");
			assertThat(call.duration()).isBetween(Duration.ZERO, elapsed);
		});
	}

	@Test
	void introspectWhenUnexpectedRuntimeExceptionThenItPropagatesUnchangedAndIsReported() {
		UncheckedIOException failure = new UncheckedIOException(new java.io.IOException("connection reset"));
		ObservedIntrospectionClient client = new ObservedIntrospectionClient((token) -> {
			throw failure;
		}, this.recorder);

		assertThat(catchThrowable(() -> client.introspect("token-1"))).isSameAs(failure);

		assertThat(this.calls).extracting(IntrospectionCall::outcome, IntrospectionCall::error)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.ERROR, "UncheckedIOException"));
	}

	@Test
	void introspectWhenSeveralCallsThenOneReportPerCallInOrder() {
		List<IntrospectedToken> answers = new ArrayList<>(
				List.of(IntrospectedToken.active(Map.of()), IntrospectedToken.inactive()));
		ObservedIntrospectionClient client = new ObservedIntrospectionClient((token) -> answers.remove(0),
				this.recorder);

		client.introspect("token-1");
		client.introspect("token-2");

		assertThat(this.calls).extracting(IntrospectionCall::outcome).containsExactly(Outcome.ACTIVE, Outcome.INACTIVE);
	}

}
