package io.github.tokenintrospection.autoconfigure;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each named server's Redis entries are encrypted with a key of its own, so that an entry
 * copied under another server's keys does not decrypt there.
 */
class NamedServerRedisKeyTests {

	private static final byte[] CONFIGURED = new byte[32];

	static {
		Arrays.fill(CONFIGURED, (byte) 7);
	}

	@Test
	void serverKeyWhenDerivedThenAes256KeyOfTheServerOnly() {
		byte[] partners = SharedIntrospectionCacheConfiguration.RedisCacheConfiguration.serverKey(CONFIGURED,
				"partners");
		byte[] again = SharedIntrospectionCacheConfiguration.RedisCacheConfiguration.serverKey(CONFIGURED, "partners");
		byte[] suppliers = SharedIntrospectionCacheConfiguration.RedisCacheConfiguration.serverKey(CONFIGURED,
				"suppliers");

		assertThat(partners).hasSize(32).isEqualTo(again).isNotEqualTo(suppliers).isNotEqualTo(CONFIGURED);
	}

}
