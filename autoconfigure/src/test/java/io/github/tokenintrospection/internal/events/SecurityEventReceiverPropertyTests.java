package io.github.tokenintrospection.internal.events;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile deliveries to the push endpoint: whatever the content type, authorization and
 * body, the receiver answers with one of RFC 8935's statuses (never throws, never a 500)
 * and evicts nothing, since no such body is a SET the transmitter signed.
 */
class SecurityEventReceiverPropertyTests {

	@Property(tries = 1000)
	void receiveWhenAnyDeliveryThenAnsweredAndNothingEvicted(@ForAll("contentTypes") String contentType,
			@ForAll("authorizations") String authorization, @ForAll("bodies") String body) {
		SecurityEventReceiverTests.RecordingCacheControl caches = new SecurityEventReceiverTests.RecordingCacheControl();

		SecurityEventReceiver.Receipt receipt = SecurityEventReceiverTests.receiver(caches)
			.receive(contentType, authorization, body.getBytes(StandardCharsets.UTF_8));

		assertThat(receipt.status()).isIn(400, 401);
		assertThat(receipt.body()).startsWith("{\"err\":\"");
		assertThat(caches.calls).isEmpty();
	}

	@Provide
	Arbitrary<String> contentTypes() {
		return Arbitraries.oneOf(Arbitraries.just(SecurityEventReceiverTests.SECEVENT),
				Arbitraries.of("application/json", "application/secevent+jwt;charset=\"", "*/*", ""),
				Arbitraries.strings().ofMaxLength(40));
	}

	@Provide
	Arbitrary<String> authorizations() {
		return Arbitraries.oneOf(Arbitraries.just(SecurityEventReceiverTests.AUTHORIZATION),
				Arbitraries.strings().ofMaxLength(40));
	}

	@Provide
	Arbitrary<String> bodies() {
		return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
				Arbitraries.strings()
					.withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
					.ofMaxLength(800));
	}

}
