package io.github.tokenintrospection.internal.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Poll delivery (RFC 8936), for a resource server the transmitter cannot reach: every
 * interval, on its own thread, asks the stream's poll endpoint for the SETs waiting,
 * hands each to the {@link SecurityEventReceiver}, and acknowledges it in the next
 * request ({@code ack} when accepted, {@code setErrs} with RFC 8935's code when refused);
 * a SET that could not be acted on now (503) is neither, so the transmitter delivers it
 * again. While more are available it asks again at once, a few times. A failed poll is
 * logged and tried again at the next interval.
 */
public final class SecurityEventPoller implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SecurityEventPoller.class);

	/** Polls in a row while the transmitter says more are available. */
	private static final int MAX_POLLS_IN_A_ROW = 10;

	private final RestClient restClient;

	private final URI endpoint;

	private final Supplier<String> accessToken;

	private final SecurityEventReceiver receiver;

	private final Duration interval;

	private final int maxEvents;

	private final List<String> acknowledged = new ArrayList<>();

	private final Map<String, Map<String, String>> refused = new LinkedHashMap<>();

	/** Guards start and stop, apart from polls (a stop must not wait for one). */
	private final Object lifecycle = new Object();

	private volatile @Nullable ScheduledExecutorService executor;

	/** Whether the last poll failed: logged when that changes, not at every interval. */
	private volatile boolean failing;

	/**
	 * Creates the poller; it polls once started.
	 * @param restClient calls the poll endpoint
	 * @param endpoint the stream's poll endpoint
	 * @param accessToken gives the receiver's access token at the transmitter
	 * @param receiver verifies and acts on the SETs
	 * @param interval the time between two polls
	 * @param maxEvents most SETs asked for at once
	 */
	public SecurityEventPoller(RestClient restClient, URI endpoint, Supplier<String> accessToken,
			SecurityEventReceiver receiver, Duration interval, int maxEvents) {
		this.restClient = restClient;
		this.endpoint = endpoint;
		this.accessToken = accessToken;
		this.receiver = receiver;
		this.interval = interval;
		this.maxEvents = maxEvents;
	}

	/**
	 * Polls until the transmitter has no more (at most a few times in a row).
	 * @return how many SETs were received
	 */
	public synchronized int poll() {
		int received = 0;
		for (int i = 0; i < MAX_POLLS_IN_A_ROW; i++) {
			JsonNode answer = request();
			JsonNode sets = answer.get("sets");
			if (sets != null && sets.isObject()) {
				for (Map.Entry<String, JsonNode> entry : sets.properties()) {
					received++;
					handle(entry.getKey(), entry.getValue());
				}
			}
			JsonNode more = answer.get("moreAvailable");
			if (more == null || !more.isBoolean() || !more.booleanValue()) {
				break;
			}
		}
		return received;
	}

	private JsonNode request() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("maxEvents", this.maxEvents);
		body.put("returnImmediately", true);
		if (!this.acknowledged.isEmpty()) {
			body.put("ack", List.copyOf(this.acknowledged));
		}
		if (!this.refused.isEmpty()) {
			body.put("setErrs", Map.copyOf(this.refused));
		}
		JsonNode answer;
		try {
			answer = this.restClient.post()
				.uri(this.endpoint)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + this.accessToken.get())
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.body(body)
				.retrieve()
				.body(JsonNode.class);
		}
		catch (HttpClientErrorException ex) {
			// Refused as sent: sending the same again would fail forever. A SET not
			// acknowledged is delivered again, and acted on once.
			this.acknowledged.clear();
			this.refused.clear();
			throw ex;
		}
		// Sent: the transmitter has them.
		this.acknowledged.clear();
		this.refused.clear();
		if (answer == null || !answer.isObject()) {
			throw new RestClientException("The poll endpoint did not answer with a JSON object");
		}
		return answer;
	}

	private void handle(String jti, JsonNode set) {
		if (!set.isString()) {
			this.refused.put(jti,
					Map.of("err", SecurityEventException.INVALID_REQUEST, "description", "the SET is not a string"));
			return;
		}
		SecurityEventReceiver.Receipt receipt = this.receiver
			.accept(set.stringValue().getBytes(StandardCharsets.US_ASCII));
		if (receipt.accepted()) {
			this.acknowledged.add(jti);
		}
		else if (receipt.status() != 503 && receipt.error() != null) {
			this.refused.put(jti, Map.of("err", receipt.error(), "description",
					(receipt.description() != null) ? receipt.description() : ""));
		}
	}

	private void pollQuietly() {
		try {
			poll();
			if (this.failing) {
				this.failing = false;
				logger.info("Polling the security events at " + this.endpoint + " works again");
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				this.failing = true;
				logger.warn("Polling the security events at " + this.endpoint + " failed (tried again every "
						+ this.interval.toSeconds() + "s, logged again once it works): " + ex.getMessage());
			}
		}
	}

	@Override
	public void start() {
		synchronized (this.lifecycle) {
			if (this.executor == null) {
				ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
					Thread thread = new Thread(task, "token-introspection-security-events");
					thread.setDaemon(true);
					return thread;
				});
				scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
				this.executor = scheduler;
			}
		}
	}

	/** Interrupts a poll under way and waits a little for it to end. */
	@Override
	public void stop() {
		ScheduledExecutorService scheduler;
		synchronized (this.lifecycle) {
			scheduler = this.executor;
			this.executor = null;
		}
		if (scheduler != null) {
			scheduler.shutdownNow();
			try {
				scheduler.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
