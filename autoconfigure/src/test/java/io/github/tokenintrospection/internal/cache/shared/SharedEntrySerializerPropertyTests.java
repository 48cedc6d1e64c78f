package io.github.tokenintrospection.internal.cache.shared;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values read from Redis are input like any other: whatever is stored there, reading it
 * gives a {@link SharedEntry} or nothing, never an exception, and a value whose
 * {@code stored} time is outside the cache's TTL (a replayed value), however large the
 * number, is ignored.
 */
class SharedEntrySerializerPropertyTests {

	private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

	private static final Duration TTL = Duration.ofSeconds(60);

	private static final String KEY = "a".repeat(64);

	private final SharedEntrySerializer plain = new SharedEntrySerializer(null, TTL, Clock.fixed(NOW, ZoneOffset.UTC));

	private final SharedEntrySerializer encrypted = new SharedEntrySerializer(
			new ClaimsCipher(new byte[ClaimsCipher.KEY_LENGTH]), TTL, Clock.fixed(NOW, ZoneOffset.UTC));

	@Property(tries = 1000)
	void deserializeWhenArbitraryBytesThenEntryOrNothing(@ForAll byte[] value) {
		assertThat(this.plain.deserialize(value)).isNull();
		assertThat(this.encrypted.deserialize(value)).isNull();
	}

	@Property(tries = 2000)
	void deserializeWhenStoredIsAnyNumberThenReadOnlyWithinTheTtl(@ForAll("storedTimes") String stored) {
		byte[] value = ("{\"format\":1,\"key\":\"" + KEY + "\",\"stored\":" + stored
				+ ",\"claims\":{\"active\":true,\"sub\":\"alice\"}}")
			.getBytes(StandardCharsets.UTF_8);
		BigInteger storedAt = new BigInteger(stored);
		boolean recent = storedAt.compareTo(BigInteger.valueOf(NOW.minus(TTL).getEpochSecond())) >= 0 && storedAt
			.compareTo(BigInteger.valueOf(NOW.plus(SharedEntrySerializer.CLOCK_SKEW).getEpochSecond())) <= 0;

		Object read = this.plain.deserialize(value);

		if (recent) {
			assertThat(read).isInstanceOfSatisfying(SharedEntry.class, (entry) -> {
				assertThat(entry.key()).isEqualTo(KEY);
				assertThat(entry.token().isActive()).isTrue();
				assertThat(entry.token().getClaims()).isEqualTo(Map.of("active", true, "sub", "alice"));
			});
		}
		else {
			assertThat(read).as("stored = %s", stored).isNull();
		}
	}

	/**
	 * Around now, and now shifted by multiples of 2^64 (which a narrowing to long would
	 * undo).
	 */
	@Provide
	Arbitrary<String> storedTimes() {
		BigInteger now = BigInteger.valueOf(NOW.getEpochSecond());
		Arbitrary<BigInteger> nearNow = Arbitraries.bigIntegers()
			.between(now.subtract(BigInteger.valueOf(120)), now.add(BigInteger.valueOf(120)));
		Arbitrary<BigInteger> wrapped = nearNow.flatMap((time) -> Arbitraries.integers()
			.between(-3, 3)
			.map((times) -> time.add(BigInteger.TWO.pow(64).multiply(BigInteger.valueOf(times)))));
		BigInteger huge = BigInteger.TEN.pow(40);
		return Arbitraries.oneOf(nearNow, wrapped, Arbitraries.bigIntegers().between(huge.negate(), huge))
			.map(BigInteger::toString);
	}

}
