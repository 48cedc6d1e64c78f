package io.github.tokenintrospection.internal.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.cache.CacheEviction;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.events.MicrometerSecurityEventListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SecurityEventReceiverTests {

	static final String AUTHORIZATION = "Bearer transmitter-secret";

	static final String SECEVENT = "application/secevent+jwt";

	private final RecordingCacheControl caches = new RecordingCacheControl();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final SecurityEventReceiver receiver = receiver(this.caches);

	static SecurityEventReceiver receiver(IntrospectionCacheControl caches) {
		return new SecurityEventReceiver(SecurityEventTokenVerifierTests.verifier(),
				() -> SecurityEventTokenVerifierTests.ISSUER, AUTHORIZATION, caches, Duration.ofHours(1), 1000,
				64 * 1024, Clock.fixed(SecurityEventTokenVerifierTests.NOW.plusSeconds(2), ZoneOffset.UTC));
	}

	@Test
	void receiveWhenSessionRevokedThenThatSessionEvictedAndLagRecorded() {
		this.receiver.listen(new MicrometerSecurityEventListener(this.meters));

		SecurityEventReceiver.Receipt receipt = deliver(SecurityEventReceiver.CAEP + "session-revoked",
				Map.of("format", "complex", "user", Map.of("format", "opaque", "id", "u-1"), "session",
						Map.of("format", "opaque", "id", "sid-1")));

		assertThat(receipt).isEqualTo(new SecurityEventReceiver.Receipt(202, null, null));
		assertThat(this.caches.calls).containsExactly("session sid-1");
		assertThat(this.meters.get(MicrometerSecurityEventListener.REVOCATION_LAG)
			.timer()
			.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(2.0);
		assertThat(this.meters.get(MicrometerSecurityEventListener.EVENTS)
			.tags("event", "session-revoked", "outcome", "evicted")
			.counter()
			.count()).isEqualTo(1.0);
	}

	@Test
	void receiveWhenActedOnThenOneAuditLineNamingTheEventAndHowNeverTheSessionId(CapturedOutput output) {
		deliver(SecurityEventReceiver.CAEP + "session-revoked", Map.of("format", "complex", "user",
				Map.of("format", "opaque", "id", "u-9"), "session", Map.of("format", "opaque", "id", "sid-secret-9")));

		assertThat(output.getAll()).contains("token-introspection security_event=session-revoked jti=")
			.contains(" sub=u-9 evicted_by=session evicted=0 scope=this-instance-only lag_ms=2000")
			.doesNotContain("sid-secret-9");
	}

	@Test
	void receiveWhenEverySessionOfTheUserRevokedThenTheUserEvicted() {
		deliver(SecurityEventReceiver.CAEP + "session-revoked",
				Map.of("format", "complex", "user", Map.of("format", "iss_sub", "iss", "x", "sub", "u-2"), "session",
						Map.of("format", "opaque", "id", "ALL")));
		deliver(SecurityEventReceiver.CAEP + "session-revoked", Map.of("format", "iss_sub", "iss", "x", "sub", "u-3"));

		assertThat(this.caches.calls).containsExactly("subject u-2", "subject u-3");
	}

	@Test
	void receiveWhenCredentialClaimsOrAccountEventsThenTheUserEvicted() {
		for (String type : List.of(SecurityEventReceiver.CAEP + "credential-change",
				SecurityEventReceiver.CAEP + "token-claims-change", SecurityEventReceiver.RISC + "account-disabled",
				SecurityEventReceiver.RISC + "account-purged", SecurityEventReceiver.RISC + "credential-compromise")) {
			deliver(type, Map.of("format", "opaque", "id", "u-4"));
		}

		assertThat(this.caches.calls).hasSize(5).containsOnly("subject u-4");
	}

	@Test
	void receiveWhenVerificationUnknownOrUnmatchableSubjectThenAcknowledgedAndNothingEvicted() {
		this.receiver.listen(new MicrometerSecurityEventListener(this.meters));

		assertThat(deliver(SecurityEventReceiver.SSF + "verification", Map.of("format", "opaque", "id", "stream-1"))
			.status()).isEqualTo(202);
		assertThat(deliver("https://example.com/event-type/new", Map.of("format", "opaque", "id", "u-5")).status())
			.isEqualTo(202);
		assertThat(deliver(SecurityEventReceiver.CAEP + "credential-change",
				Map.of("format", "email", "email", "a@example.com"))
			.status()).isEqualTo(202);

		assertThat(this.caches.calls).isEmpty();
		assertThat(this.meters.get(MicrometerSecurityEventListener.EVENTS)
			.tags("event", "unknown", "outcome", "unknown")
			.counter()
			.count()).isEqualTo(1.0);
	}

	@Test
	void receiveWhenSameSetTwiceThenActedOnOnce() {
		byte[] set = SecurityEventTokenVerifierTests.signed(SecurityEventTokenVerifierTests
			.claims(SecurityEventReceiver.CAEP + "credential-change", Map.of("format", "opaque", "id", "u-6"))
			.build());

		assertThat(this.receiver.receive(SECEVENT, AUTHORIZATION, set).status()).isEqualTo(202);
		assertThat(this.receiver.receive(SECEVENT, AUTHORIZATION, set).status()).isEqualTo(202);

		assertThat(this.caches.calls).containsExactly("subject u-6");
	}

	@Test
	void receiveWhenDeliveryNotTheTransmittersThenRefusedBeforeReadingTheSet() {
		byte[] set = SecurityEventTokenVerifierTests.signed(SecurityEventTokenVerifierTests
			.claims(SecurityEventReceiver.CAEP + "credential-change", Map.of("format", "opaque", "id", "u-7"))
			.build());

		assertThat(this.receiver.receive(SECEVENT, null, set).status()).isEqualTo(401);
		assertThat(this.receiver.receive(SECEVENT, "Bearer transmitter-secreT", set).status()).isEqualTo(401);
		assertThat(this.receiver.receive("application/jwt", AUTHORIZATION, set).status()).isEqualTo(400);
		assertThat(this.receiver.receive("not a media type", AUTHORIZATION, set).status()).isEqualTo(400);
		assertThat(this.receiver.receive(SECEVENT, AUTHORIZATION, null).status()).isEqualTo(413);
		assertThat(this.caches.calls).isEmpty();
		assertThat(this.receiver.receive(SECEVENT + "; charset=utf-8", AUTHORIZATION, set).status()).isEqualTo(202);
		assertThat(this.caches.calls).containsExactly("subject u-7");
	}

	@Test
	void receiveWhenRefusedThenJsonBodyWithErrAndDescription() {
		SecurityEventReceiver.Receipt receipt = this.receiver.receive(SECEVENT, AUTHORIZATION,
				"junk".getBytes(StandardCharsets.US_ASCII));

		assertThat(receipt.status()).isEqualTo(400);
		assertThat(receipt.body()).startsWith("{\"err\":\"invalid_request\",\"description\":\"");
	}

	@Test
	void receiveWhenCachesCannotBeSearchedThen503NotA500() {
		SecurityEventReceiver unsearchable = receiver(new RecordingCacheControl() {
			@Override
			public CacheEviction evictSubject(String subject) {
				throw new UnsupportedOperationException("Cache notes cannot be searched by user or session");
			}
		});

		assertThat(
				unsearchable
					.receive(SECEVENT, AUTHORIZATION,
							SecurityEventTokenVerifierTests.signed(
									SecurityEventTokenVerifierTests
										.claims(SecurityEventReceiver.CAEP + "credential-change",
												Map.of("format", "opaque", "id", "u"))
										.build()))
					.status())
			.isEqualTo(503);
	}

	@Test
	void receiveWhenEvictionFailsThen503AndTheRedeliveryIsActedOn() {
		java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
		RecordingCacheControl failingOnce = new RecordingCacheControl() {
			@Override
			public CacheEviction evictSubject(String subject) {
				if (attempts.incrementAndGet() == 1) {
					throw new IllegalStateException("the application's cache control failed");
				}
				return super.evictSubject(subject);
			}
		};
		SecurityEventReceiver receiver = receiver(failingOnce);
		byte[] set = SecurityEventTokenVerifierTests.signed(SecurityEventTokenVerifierTests
			.claims(SecurityEventReceiver.CAEP + "credential-change", Map.of("format", "opaque", "id", "u-8"))
			.build());

		assertThat(receiver.receive(SECEVENT, AUTHORIZATION, set).status()).isEqualTo(503);
		assertThat(receiver.receive(SECEVENT, AUTHORIZATION, set).status()).isEqualTo(202);

		assertThat(failingOnce.calls).containsExactly("subject u-8");
	}

	@Test
	void receiveWhenRedisIndexCannotBeReadThen503SoThatTheTransmitterRetries() {
		RecordingCacheControl redisDown = new RecordingCacheControl() {
			@Override
			public CacheEviction evictSubject(String subject) {
				super.evictSubject(subject);
				return new CacheEviction(1, CacheEviction.Scope.THIS_INSTANCE_ONLY,
						CacheEviction.REDIS_INDEX_UNREACHABLE);
			}
		};
		SecurityEventReceiver receiver = receiver(redisDown);
		byte[] set = SecurityEventTokenVerifierTests.signed(SecurityEventTokenVerifierTests
			.claims(SecurityEventReceiver.CAEP + "credential-change", Map.of("format", "opaque", "id", "u-9"))
			.build());

		assertThat(receiver.receive(SECEVENT, AUTHORIZATION, set).status()).isEqualTo(503);
		assertThat(receiver.receive(SECEVENT, AUTHORIZATION, set).status()).as("retried, not a duplicate")
			.isEqualTo(503);
		assertThat(redisDown.calls).containsExactly("subject u-9", "subject u-9");
	}

	@Test
	void refuseBeforeReadingWhenHeadersAlreadyTellThenRefusedWithoutTheBody() {
		assertThat(this.receiver.refuseBeforeReading(SECEVENT, AUTHORIZATION, -1)).isNull();
		assertThat(this.receiver.refuseBeforeReading(SECEVENT, AUTHORIZATION, 1024)).isNull();
		assertThat(this.receiver.refuseBeforeReading(SECEVENT, AUTHORIZATION, 64 * 1024 + 1).status()).isEqualTo(413);
		assertThat(this.receiver.refuseBeforeReading(SECEVENT, "Bearer other", 10).status()).isEqualTo(401);
		assertThat(this.receiver.refuseBeforeReading("text/plain", AUTHORIZATION, 10).status()).isEqualTo(400);
	}

	private SecurityEventReceiver.Receipt deliver(String type, Map<String, Object> subId) {
		return this.receiver.receive(SECEVENT, AUTHORIZATION,
				SecurityEventTokenVerifierTests.signed(SecurityEventTokenVerifierTests.claims(type, subId).build()));
	}

	/** Records the evictions asked for. */
	static class RecordingCacheControl implements IntrospectionCacheControl {

		final List<String> calls = new ArrayList<>();

		private static final CacheEviction NONE = new CacheEviction(0, CacheEviction.Scope.THIS_INSTANCE_ONLY,
				CacheEviction.NOT_SHARED);

		@Override
		public CacheEviction evict(String token) {
			this.calls.add("token");
			return NONE;
		}

		@Override
		public CacheEviction evictByFingerprint(String fingerprint) {
			this.calls.add("fingerprint " + fingerprint);
			return NONE;
		}

		@Override
		public CacheEviction evictSubject(String subject) {
			this.calls.add("subject " + subject);
			return NONE;
		}

		@Override
		public CacheEviction evictSession(String sessionId) {
			this.calls.add("session " + sessionId);
			return NONE;
		}

		@Override
		public CacheEviction evictAll() {
			this.calls.add("all");
			return NONE;
		}

		@Override
		public Map<String, Map<String, Object>> statistics() {
			return Map.of();
		}

	}

}
