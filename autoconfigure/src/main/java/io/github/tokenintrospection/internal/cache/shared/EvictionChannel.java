package io.github.tokenintrospection.internal.cache.shared;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.Assert;

/**
 * Tells every instance of the application to drop a token from its local cache, over a
 * Redis pub/sub channel. A message names the instance that sent it, the cache and the key
 * (the token's SHA-256), never the token: {@code <instance> evict <cache> <key>} or
 * {@code <instance> clear <cache>}. Messages sent while an instance is disconnected are
 * lost (pub/sub does not keep them); the local cache's short TTL bounds what that can
 * cost.
 * <p>
 * Owns its listener container rather than registering one as a bean, so that an
 * application's own {@link RedisMessageListenerContainer} is left alone.
 */
public final class EvictionChannel implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(EvictionChannel.class);

	private static final String EVICT = "evict";

	private static final String CLEAR = "clear";

	private static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

	private final String instance = UUID.randomUUID().toString();

	private final String channel;

	private final StringRedisTemplate redis;

	private final RedisAccess access;

	private final RedisConnectionFactory connectionFactory;

	private final Map<String, TwoLevelCache> caches = new ConcurrentHashMap<>();

	private volatile @Nullable RedisMessageListenerContainer container;

	private volatile ScheduledExecutorService retries;

	private volatile boolean running;

	/**
	 * Creates the channel; it listens once started.
	 * @param connectionFactory the Redis connections
	 * @param channel the pub/sub channel shared by all instances
	 * @param access runs the publishing calls
	 */
	public EvictionChannel(RedisConnectionFactory connectionFactory, String channel, RedisAccess access) {
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.hasText(channel, "channel must not be empty");
		Assert.notNull(access, "access must not be null");
		this.channel = channel;
		this.access = access;
		this.connectionFactory = connectionFactory;
		this.redis = new StringRedisTemplate(connectionFactory);
	}

	void register(TwoLevelCache cache) {
		this.caches.put(cache.name(), cache);
	}

	boolean publishEvict(String cacheName, String key) {
		return publish(String.join(" ", this.instance, EVICT, cacheName, key));
	}

	boolean publishClear(String cacheName) {
		return publish(String.join(" ", this.instance, CLEAR, cacheName));
	}

	boolean publishEvictAgain(String cacheName, String key) {
		return publishAgain(String.join(" ", this.instance, EVICT, cacheName, key));
	}

	boolean publishClearAgain(String cacheName) {
		return publishAgain(String.join(" ", this.instance, CLEAR, cacheName));
	}

	private boolean publish(String message) {
		return this.access.writeNow("publish", () -> this.redis.convertAndSend(this.channel, message));
	}

	private boolean publishAgain(String message) {
		return this.access.writeAgain("publish", () -> this.redis.convertAndSend(this.channel, message));
	}

	/**
	 * Sends again the evictions that did not reach Redis; failures are the caches' to
	 * log.
	 */
	private void sendPendingEvictions() {
		for (TwoLevelCache cache : this.caches.values()) {
			try {
				cache.sendPendingEvictions();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not send the pending evictions of cache " + cache.name(), ex);
			}
		}
	}

	private void received(Message message, byte @Nullable [] pattern) {
		String[] parts = new String(message.getBody(), StandardCharsets.UTF_8).split(" ");
		if (parts.length < 3 || this.instance.equals(parts[0])) {
			return;
		}
		TwoLevelCache cache = this.caches.get(parts[2]);
		if (cache == null) {
			return;
		}
		if (EVICT.equals(parts[1]) && parts.length == 4) {
			cache.evictLocally(parts[3]);
		}
		else if (CLEAR.equals(parts[1])) {
			cache.clearLocally();
		}
		else {
			logger.debug("Ignoring an unknown message on the eviction channel");
		}
	}

	/**
	 * Subscribes to the channel. When Redis cannot be reached, the application starts all
	 * the same and the subscription is tried again every second. Also sends again, every
	 * second, the evictions that did not reach Redis (each cache keeps its own).
	 */
	@Override
	public synchronized void start() {
		if (!this.running) {
			this.running = true;
			this.retries = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "token-introspection-eviction-channel");
				thread.setDaemon(true);
				return thread;
			});
			subscribe(true);
			this.retries.scheduleWithFixedDelay(this::sendPendingEvictions, RETRY_INTERVAL.toMillis(),
					RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private synchronized void subscribe(boolean first) {
		if (!this.running) {
			return;
		}
		RedisMessageListenerContainer listenerContainer = new RedisMessageListenerContainer();
		listenerContainer.setConnectionFactory(this.connectionFactory);
		// Resubscribe soon after Redis comes back; the default waits 5 s.
		listenerContainer.setRecoveryInterval(RETRY_INTERVAL.toMillis());
		listenerContainer.addMessageListener(this::received, new ChannelTopic(this.channel));
		try {
			listenerContainer.afterPropertiesSet();
			listenerContainer.start();
			this.container = listenerContainer;
			if (!first) {
				logger.info("Subscribed to the eviction channel: evictions on other instances reach this one again");
			}
		}
		catch (RuntimeException ex) {
			close(listenerContainer);
			if (first) {
				logger.warn("Cannot subscribe to the eviction channel (" + ex.getMessage()
						+ "); evictions on other instances reach this one once Redis answers, tried every "
						+ RETRY_INTERVAL.toSeconds() + "s");
			}
			this.retries.schedule(() -> subscribe(false), RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.running) {
			this.running = false;
			this.retries.shutdownNow();
			sendPendingEvictions();
			reportLostEvictions();
			RedisMessageListenerContainer listenerContainer = this.container;
			this.container = null;
			if (listenerContainer != null) {
				close(listenerContainer);
			}
		}
	}

	/**
	 * Evictions still pending at stop are lost with this instance: said once, so that an
	 * operator knows other instances may serve those tokens until their entries expire.
	 */
	private void reportLostEvictions() {
		for (TwoLevelCache cache : this.caches.values()) {
			int pending = cache.pendingEvictions();
			if (pending > 0) {
				logger.warn("Stopping with " + pending + " eviction(s) of cache " + cache.name()
						+ " that never reached Redis: the other instances serve those tokens until their entries"
						+ " expire (at most the cache's time to live)");
			}
		}
	}

	private static void close(RedisMessageListenerContainer listenerContainer) {
		try {
			listenerContainer.stop();
			listenerContainer.destroy();
		}
		catch (Exception ex) {
			logger.debug("Could not close the eviction channel's listener container", ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Whether this instance is subscribed to the channel now.
	 * @return {@code false} while Redis is unreachable
	 */
	public boolean isListening() {
		RedisMessageListenerContainer listenerContainer = this.container;
		return listenerContainer != null && listenerContainer.isListening();
	}

}
