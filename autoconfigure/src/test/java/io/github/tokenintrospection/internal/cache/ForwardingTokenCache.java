package io.github.tokenintrospection.internal.cache;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/** A cache that forwards everything, for tests to watch one method. */
class ForwardingTokenCache implements TokenCache {

	private final TokenCache delegate;

	ForwardingTokenCache(TokenCache delegate) {
		this.delegate = delegate;
	}

	@Override
	public String name() {
		return this.delegate.name();
	}

	@Override
	public @Nullable IntrospectedToken get(String key) {
		return this.delegate.get(key);
	}

	@Override
	public void put(String key, IntrospectedToken result) {
		this.delegate.put(key, result);
	}

	@Override
	public boolean replace(String key, IntrospectedToken served, IntrospectedToken fresh) {
		return this.delegate.replace(key, served, fresh);
	}

	@Override
	public IntrospectedToken getOrLoad(String key, Supplier<IntrospectedToken> loader) {
		return this.delegate.getOrLoad(key, loader);
	}

	@Override
	public CompletableFuture<IntrospectedToken> retrieveOrLoad(String key,
			Supplier<CompletableFuture<IntrospectedToken>> loader) {
		return this.delegate.retrieveOrLoad(key, loader);
	}

	@Override
	public boolean evictHere(String key) {
		return this.delegate.evictHere(key);
	}

	@Override
	public boolean evict(String key) {
		return this.delegate.evict(key);
	}

	@Override
	public boolean clear() {
		return this.delegate.clear();
	}

	@Override
	public boolean containsHere(String key) {
		return this.delegate.containsHere(key);
	}

	@Override
	public List<String> keysStartingWith(String prefix) {
		return this.delegate.keysStartingWith(prefix);
	}

	@Override
	public ClaimMatches keysWithClaim(String claim, String value) {
		return this.delegate.keysWithClaim(claim, value);
	}

	@Override
	public long estimatedSize() {
		return this.delegate.estimatedSize();
	}

	@Override
	public @Nullable Statistics statistics() {
		return this.delegate.statistics();
	}

	@Override
	public void bindMetrics(MeterRegistry registry) {
		this.delegate.bindMetrics(registry);
	}

}
