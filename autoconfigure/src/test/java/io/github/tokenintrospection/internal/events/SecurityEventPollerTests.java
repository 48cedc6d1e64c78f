package io.github.tokenintrospection.internal.events;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityEventPollerTests {

	private final MockWebServer transmitter = new MockWebServer();

	private final SecurityEventReceiverTests.RecordingCacheControl caches = new SecurityEventReceiverTests.RecordingCacheControl();

	@AfterEach
	void stop() {
		this.transmitter.close();
	}

	@Test
	void pollThenEachSetActedOnAndAcknowledgedOrRefusedInTheNextRequest() throws Exception {
		String valid = new String(SecurityEventTokenVerifierTests.signed(SecurityEventTokenVerifierTests
			.claims(SecurityEventReceiver.CAEP + "credential-change", Map.of("format", "opaque", "id", "u-1"))
			.jwtID("set-1")
			.build()));
		this.transmitter.enqueue(AuthorizationServerStub.json(200,
				"{\"sets\":{\"set-1\":\"" + valid + "\",\"set-2\":\"junk\",\"set-3\":42},\"moreAvailable\":true}"));
		this.transmitter.enqueue(AuthorizationServerStub.json(200, "{\"sets\":{},\"moreAvailable\":false}"));
		this.transmitter.start();

		int received = poller().poll();

		assertThat(received).isEqualTo(3);
		assertThat(this.caches.calls).containsExactly("subject u-1");
		RecordedRequest first = this.transmitter.takeRequest();
		assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer receiver-token");
		assertThat((Integer) JsonPath.read(body(first), "$.maxEvents")).isEqualTo(100);
		assertThat(body(first)).doesNotContain("ack");
		// More were available: asked again at once, acknowledging what was received.
		String second = body(this.transmitter.takeRequest());
		assertThat((java.util.List<String>) JsonPath.read(second, "$.ack")).containsExactly("set-1");
		assertThat((String) JsonPath.read(second, "$.setErrs.set-2.err")).isEqualTo("invalid_request");
		assertThat((String) JsonPath.read(second, "$.setErrs.set-3.err")).isEqualTo("invalid_request");
	}

	@Test
	void pollWhenEventCannotBeActedOnNowThenNeitherAcknowledgedNorRefused() throws Exception {
		SecurityEventReceiverTests.RecordingCacheControl unsearchable = new SecurityEventReceiverTests.RecordingCacheControl() {
			@Override
			public io.github.tokenintrospection.cache.CacheEviction evictSubject(String subject) {
				throw new UnsupportedOperationException("not searchable");
			}
		};
		String valid = new String(SecurityEventTokenVerifierTests.signed(SecurityEventTokenVerifierTests
			.claims(SecurityEventReceiver.CAEP + "credential-change", Map.of("format", "opaque", "id", "u-2"))
			.jwtID("set-4")
			.build()));
		this.transmitter.enqueue(AuthorizationServerStub.json(200, "{\"sets\":{\"set-4\":\"" + valid + "\"}}"));
		this.transmitter.enqueue(AuthorizationServerStub.json(200, "{\"sets\":{}}"));
		this.transmitter.start();
		SecurityEventPoller poller = new SecurityEventPoller(RestClient.create(), endpoint(), () -> "receiver-token",
				SecurityEventReceiverTests.receiver(unsearchable), Duration.ofSeconds(5), 100);

		poller.poll();
		poller.poll();

		this.transmitter.takeRequest();
		String next = body(this.transmitter.takeRequest());
		assertThat(next).doesNotContain("set-4");
	}

	@Test
	void pollWhenTransmitterRefusesTheRequestThenThePendingAcknowledgementsAreNotSentForever() throws Exception {
		String valid = new String(SecurityEventTokenVerifierTests.signed(SecurityEventTokenVerifierTests
			.claims(SecurityEventReceiver.CAEP + "credential-change", Map.of("format", "opaque", "id", "u-3"))
			.jwtID("set-5")
			.build()));
		this.transmitter.enqueue(AuthorizationServerStub.json(200, "{\"sets\":{\"set-5\":\"" + valid + "\"}}"));
		this.transmitter.enqueue(AuthorizationServerStub.json(400, "{\"err\":\"invalid_request\"}"));
		this.transmitter.enqueue(AuthorizationServerStub.json(200, "{\"sets\":{}}"));
		this.transmitter.start();
		SecurityEventPoller poller = poller();
		poller.poll();

		org.assertj.core.api.Assertions.assertThatExceptionOfType(RuntimeException.class).isThrownBy(poller::poll);
		poller.poll();

		this.transmitter.takeRequest();
		assertThat(body(this.transmitter.takeRequest())).contains("set-5");
		assertThat(body(this.transmitter.takeRequest())).doesNotContain("set-5");
	}

	private SecurityEventPoller poller() {
		return new SecurityEventPoller(RestClient.create(), endpoint(), () -> "receiver-token",
				SecurityEventReceiverTests.receiver(this.caches), Duration.ofSeconds(5), 100);
	}

	private URI endpoint() {
		return this.transmitter.url("/poll").uri();
	}

	private static String body(RecordedRequest request) throws IOException {
		return request.getBody().utf8();
	}

}
