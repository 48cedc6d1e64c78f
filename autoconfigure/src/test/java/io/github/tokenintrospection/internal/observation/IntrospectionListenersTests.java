package io.github.tokenintrospection.internal.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionCall.Outcome;
import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

@ExtendWith(OutputCaptureExtension.class)
class IntrospectionListenersTests {

	private static final IntrospectionCall CALL = new IntrospectionCall(Outcome.ACTIVE, Duration.ofMillis(7), "none");

	private static final IntrospectionDecision DECISION = new IntrospectionDecision(
			IntrospectionDecision.Outcome.REJECTED, List.of("inactive"), CacheStatus.MISS, "0123456789ab",
			IntrospectedToken.inactive());

	private final List<String> received = new ArrayList<>();

	@Test
	void introspectionCalledWhenEarlierListenerThrowsThenLaterListenersStillCalledAndCallerUnaffected(
			CapturedOutput output) {
		IntrospectionListeners listeners = new IntrospectionListeners(
				List.of(recording("first"), new ThrowingListener(), recording("third")));

		assertThatNoException().isThrownBy(() -> listeners.introspectionCalled(CALL));

		assertThat(this.received).containsExactly("first:call", "third:call");
		assertThat(output.getAll()).contains("Introspection listener " + ThrowingListener.class.getName() + " failed")
			.contains("listener bug");
	}

	@Test
	void decisionMadeWhenEarlierListenerThrowsThenLaterListenersStillCalledAndCallerUnaffected() {
		IntrospectionListeners listeners = new IntrospectionListeners(
				List.of(new ThrowingListener(), recording("second"), new ThrowingListener(), recording("fourth")));

		assertThatNoException().isThrownBy(() -> listeners.decisionMade(DECISION));

		assertThat(this.received).containsExactly("second:decision", "fourth:decision");
	}

	@Test
	void decisionMadeWhenListenersGivenThenEachCalledOnceInOrderWithTheSameDecision() {
		List<IntrospectionDecision> seen = new ArrayList<>();
		IntrospectionListeners listeners = new IntrospectionListeners(
				List.of(recording("a"), new IntrospectionListener() {
					@Override
					public void decisionMade(IntrospectionDecision decision) {
						seen.add(decision);
					}
				}, recording("b")));

		listeners.decisionMade(DECISION);

		assertThat(this.received).containsExactly("a:decision", "b:decision");
		assertThat(seen).containsExactly(DECISION);
	}

	@Test
	void constructorWhenListGivenThenLaterChangesToTheListAreNotSeen() {
		List<IntrospectionListener> list = new ArrayList<>(List.of(recording("kept")));
		IntrospectionListeners listeners = new IntrospectionListeners(list);
		list.add(recording("added-later"));

		listeners.introspectionCalled(CALL);

		assertThat(this.received).containsExactly("kept:call");
	}

	private IntrospectionListener recording(String name) {
		return new IntrospectionListener() {

			@Override
			public void introspectionCalled(IntrospectionCall call) {
				IntrospectionListenersTests.this.received.add(name + ":call");
			}

			@Override
			public void decisionMade(IntrospectionDecision decision) {
				IntrospectionListenersTests.this.received.add(name + ":decision");
			}

		};
	}

	static class ThrowingListener implements IntrospectionListener {

		@Override
		public void introspectionCalled(IntrospectionCall call) {
			throw new IllegalStateException("listener bug");
		}

		@Override
		public void decisionMade(IntrospectionDecision decision) {
			throw new IllegalStateException("listener bug");
		}

	}

}
