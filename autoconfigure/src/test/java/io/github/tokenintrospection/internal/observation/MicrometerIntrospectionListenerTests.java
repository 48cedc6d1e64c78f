package io.github.tokenintrospection.internal.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionCall.Outcome;
import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MicrometerIntrospectionListenerTests {

	private static final String TOKEN = "raw-token-4f1c9e";

	private static final String SUBJECT = "alice@example.com";

	private static final String CLIENT_ID = "billing-frontend";

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final MicrometerIntrospectionListener listener = new MicrometerIntrospectionListener(this.registry);

	@Test
	void introspectionCalledWhenCallsOfEachOutcomeThenOneTimerPerOutcomeAndError() {
		this.listener.introspectionCalled(new IntrospectionCall(Outcome.ACTIVE, Duration.ofMillis(20), "none"));
		this.listener.introspectionCalled(new IntrospectionCall(Outcome.ACTIVE, Duration.ofMillis(40), "none"));
		this.listener.introspectionCalled(new IntrospectionCall(Outcome.INACTIVE, Duration.ofMillis(5), "none"));
		this.listener.introspectionCalled(
				new IntrospectionCall(Outcome.ERROR, Duration.ofMillis(3000), "OAuth2IntrospectionException"));

		Timer active = this.registry.get(MicrometerIntrospectionListener.CALLS)
			.tags("outcome", "active", "error", "none")
			.timer();
		assertThat(active.count()).isEqualTo(2);
		assertThat(active.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(60.0);
		assertThat(active.max(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
		assertThat(this.registry.get(MicrometerIntrospectionListener.CALLS)
			.tags("outcome", "inactive", "error", "none")
			.timer()
			.count()).isEqualTo(1);
		Timer error = this.registry.get(MicrometerIntrospectionListener.CALLS)
			.tags("outcome", "error", "error", "OAuth2IntrospectionException")
			.timer();
		assertThat(error.count()).isEqualTo(1);
		assertThat(error.totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
		assertThat(this.registry.get(MicrometerIntrospectionListener.CALLS).timers()).hasSize(3);
	}

	@Test
	void introspectionCalledThenTimerHasExactlyOutcomeAndErrorTags() {
		this.listener.introspectionCalled(new IntrospectionCall(Outcome.ACTIVE, Duration.ofMillis(1), "none"));

		Meter meter = this.registry.get(MicrometerIntrospectionListener.CALLS).meter();
		assertThat(meter.getId().getTags()).extracting(Tag::getKey)
			.containsExactlyInAnyOrder("outcome", "error", "server");
	}

	@Test
	void decisionMadeWhenAcceptedFromCacheThenCountedWithReasonNone() {
		this.listener.decisionMade(accepted(CacheStatus.HIT));
		this.listener.decisionMade(accepted(CacheStatus.HIT));
		this.listener.decisionMade(accepted(CacheStatus.MISS));

		assertThat(decisions("accepted", "none", "hit")).isEqualTo(2.0);
		assertThat(decisions("accepted", "none", "miss")).isEqualTo(1.0);
	}

	@Test
	void decisionMadeWhenRejectedForSeveralReasonsThenTaggedWithTheFirstOnly() {
		this.listener.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.REJECTED,
				List.of("audience", "scope"), CacheStatus.MISS, "0123456789ab", tokenOfAlice()));
		this.listener.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.REJECTED,
				List.of("inactive"), CacheStatus.NEGATIVE_HIT, "0123456789ab", IntrospectedToken.inactive()));
		this.listener.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.ERROR,
				List.of("unavailable"), CacheStatus.NONE, "0123456789ab", IntrospectedToken.inactive()));

		assertThat(decisions("rejected", "audience", "miss")).isEqualTo(1.0);
		assertThat(decisions("rejected", "inactive", "negative_hit")).isEqualTo(1.0);
		assertThat(decisions("error", "unavailable", "none")).isEqualTo(1.0);
		assertThat(this.registry.find(MicrometerIntrospectionListener.DECISIONS).tag("reason", "scope").counters())
			.isEmpty();
		assertThat(this.registry.get(MicrometerIntrospectionListener.DECISIONS).meter().getId().getTags())
			.extracting(Tag::getKey)
			.containsExactlyInAnyOrder("decision", "reason", "cache", "path", "server", "proof");
	}

	@Test
	void decisionMadeWhenTokensAreBoundThenTaggedWithTheProofThatWasChecked() {
		this.listener.decisionMade(accepted(CacheStatus.HIT));
		this.listener.decisionMade(acceptedWithConfirmation(Map.of("jkt", "key-thumbprint")));
		this.listener.decisionMade(acceptedWithConfirmation(Map.of("x5t#S256", "certificate-thumbprint")));
		this.listener.decisionMade(acceptedWithConfirmation(Map.of("jkt", "k", "x5t#S256", "c")));

		assertThat(proofs("none")).isEqualTo(1.0);
		assertThat(proofs("dpop")).isEqualTo(1.0);
		assertThat(proofs("certificate")).isEqualTo(1.0);
		assertThat(proofs("dpop+certificate")).isEqualTo(1.0);
		assertThat(this.registry.find(MicrometerIntrospectionListener.DECISIONS).tagKeys("proof").counters())
			.noneMatch((counter) -> counter.getId().getTag("proof").contains("thumbprint"));
	}

	private double proofs(String proof) {
		return this.registry.get(MicrometerIntrospectionListener.DECISIONS).tag("proof", proof).counter().count();
	}

	private static IntrospectionDecision acceptedWithConfirmation(Map<String, Object> cnf) {
		return new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(), CacheStatus.MISS,
				"0123456789ab", IntrospectedToken.active(Map.of("active", true, "sub", "alice", "cnf", cnf)));
	}

	@Test
	void tagsWhenDecisionsCarryIdentitiesThenNoTagValueIsATokenSubjectOrClientId() {
		String fingerprint = io.github.tokenintrospection.cache.IntrospectionCacheControl.fingerprint(TOKEN);
		for (CacheStatus status : CacheStatus.values()) {
			this.listener.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(),
					status, fingerprint, tokenOfAlice()));
			this.listener.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.REJECTED,
					List.of("expired", "custom"), status, fingerprint, tokenOfAlice()));
		}
		this.listener.introspectionCalled(new IntrospectionCall(Outcome.ACTIVE, Duration.ofMillis(1), "none"));

		List<String> tagValues = this.registry.getMeters()
			.stream()
			.flatMap((meter) -> meter.getId().getTags().stream())
			.map(Tag::getValue)
			.toList();
		assertThat(tagValues).isNotEmpty()
			.doesNotContain(TOKEN, SUBJECT, CLIENT_ID, fingerprint)
			.allSatisfy((value) -> assertThat(value).doesNotContain(TOKEN)
				.doesNotContain(SUBJECT)
				.doesNotContain(CLIENT_ID));
		// Each cache status x (accepted, rejected) and one timer: the identities add no
		// series.
		assertThat(this.registry.getMeters()).hasSize(CacheStatus.values().length * 2 + 1);
	}

	@Test
	void constructorWhenRegistryNullThenRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MicrometerIntrospectionListener(null));
	}

	private double decisions(String decision, String reason, String cache) {
		return this.registry.get(MicrometerIntrospectionListener.DECISIONS)
			.tags("decision", decision, "reason", reason, "cache", cache)
			.counter()
			.count();
	}

	private static IntrospectionDecision accepted(CacheStatus cacheStatus) {
		return new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(), cacheStatus, "0123456789ab",
				tokenOfAlice());
	}

	private static IntrospectedToken tokenOfAlice() {
		return IntrospectedToken.active(Map.of("sub", SUBJECT, "client_id", CLIENT_ID, "username", SUBJECT, "scope",
				List.of("read", "write"), "aud", List.of("notes-api")));
	}

}
