package io.github.tokenintrospection.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.internal.cache.CaffeineEntries;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenCache;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import org.openjdk.jol.info.GraphLayout;

/**
 * Memory of the cache: retained heap per cached Keycloak-sized entry, and the heap during
 * a flood of distinct random tokens that the authorization server calls inactive. Runs in
 * a deliberately small heap (512 MB), see the {@code benchmark} profile of this module.
 */
public final class MemoryBenchmark {

	private static final int ENTRIES = 100_000;

	private static final int FLOOD = 1_000_000;

	private MemoryBenchmark() {
	}

	public static void main(String[] args) throws IOException {
		Path output = Path.of(args[0]);
		Files.createDirectories(output);
		List<String> report = new ArrayList<>();
		report.add("| Measurement | Value |");
		report.add("|---|---:|");
		retainedPerEntry(report);
		flood(report);
		String table = String.join("\n", report) + "\n";
		System.out.println(table);
		Files.writeString(output.resolve("memory.md"), table);
	}

	/**
	 * JOL's size of one parsed answer (an upper bound: it counts strings that entries
	 * share), and the heap that {@value #ENTRIES} cached entries of distinct parsed
	 * answers retain, the cache's own nodes and keys included.
	 */
	private static void retainedPerEntry(List<String> report) {
		SplittableRandom random = new SplittableRandom(7);
		IntrospectedToken one = KeycloakSizedTokens.introspectedToken(random);
		report.add(row("JOL: one parsed Keycloak answer (IntrospectedToken graph)",
				GraphLayout.parseInstance(one).totalSize() + " B"));
		String key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
		report.add(row("JOL: one cache key (SHA-256 hex string)", GraphLayout.parseInstance(key).totalSize() + " B"));

		Clock clock = Clock.systemUTC();
		TokenCache active = IntrospectionCaches.activeTokens(Duration.ofHours(1), ENTRIES, clock);
		TokenCache inactive = IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 10_000);
		// Each token gets its own answer, parsed from its own JSON, as from the server.
		CachingIntrospectionClient client = new CachingIntrospectionClient(
				(token) -> KeycloakSizedTokens.introspectedToken(random), active, inactive, clock);
		// Through the introspector, so that what it keeps with a cached token is counted
		// too.
		ValidatingOpaqueTokenIntrospector introspector = KeycloakSizedTokens.introspector(client, clock);
		long before = usedAfterGc();
		for (int i = 0; i < ENTRIES; i++) {
			introspector.introspect(KeycloakSizedTokens.randomToken(random));
		}
		long after = usedAfterGc();
		long size = nativeSize(active);
		report.add(row("Entries cached", "%,d".formatted(size)));
		report.add(row("Heap retained per cached entry (heap after GC, filled minus empty)",
				"%,d B".formatted((after - before) / size)));
		// Keep the cache reachable until measured.
		report.add(row("Heap retained by the filled cache", mb(after - before)));
		active.clear();
	}

	/**
	 * Sends {@value #FLOOD} distinct random tokens through the caching client with the
	 * default cache sizes; the server (a fake) calls each of them inactive.
	 */
	private static void flood(List<String> report) {
		Clock clock = Clock.systemUTC();
		TokenCache active = IntrospectionCaches.activeTokens(Duration.ofSeconds(60), 10_000, clock);
		TokenCache inactive = IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 10_000);
		SplittableRandom random = new SplittableRandom(11);
		IntrospectedToken valid = KeycloakSizedTokens.introspectedToken(random);
		String validToken = KeycloakSizedTokens.randomToken(random);
		long[] calls = new long[1];
		CachingIntrospectionClient client = new CachingIntrospectionClient((token) -> {
			calls[0]++;
			return token.equals(validToken) ? valid : IntrospectedToken.inactive();
		}, active, inactive, clock);
		client.introspect(validToken);
		long before = usedAfterGc();
		resetPeaks();
		long start = System.nanoTime();
		for (int i = 0; i < FLOOD; i++) {
			client.introspect(KeycloakSizedTokens.randomToken(random));
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		long peak = heapPeak();
		long after = usedAfterGc();
		long callsBeforeValid = calls[0];
		client.introspect(validToken);
		report.add(
				row("Flood: distinct random tokens (1.2 KB), all inactive", "%,d in %.1f s".formatted(FLOOD, seconds)));
		report.add(row("Flood: max heap (-Xmx)", mb(Runtime.getRuntime().maxMemory())));
		report.add(row("Flood: heap after GC before the flood", mb(before)));
		report.add(row("Flood: peak heap during the flood (sum of pool peaks)", mb(peak)));
		report.add(row("Flood: heap after GC after the flood", mb(after)));
		report.add(row("Flood: inactive entries kept (bound 10,000)", "%,d".formatted(nativeSize(inactive))));
		report
			.add(row("Flood: valid token still served from the cache", (calls[0] == callsBeforeValid) ? "yes" : "no"));
	}

	private static long nativeSize(TokenCache cache) {
		com.github.benmanes.caffeine.cache.Cache<?, ?> nativeCache = CaffeineEntries.of(cache);
		nativeCache.cleanUp();
		return nativeCache.estimatedSize();
	}

	private static long usedAfterGc() {
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Runtime runtime = Runtime.getRuntime();
			used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
		}
		return used;
	}

	private static void resetPeaks() {
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				pool.resetPeakUsage();
			}
		}
	}

	/** Sum of the heap pools' peaks: an upper bound of the heap used at any one time. */
	private static long heapPeak() {
		long peak = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				peak += pool.getPeakUsage().getUsed();
			}
		}
		return peak;
	}

	private static String mb(long bytes) {
		return "%.1f MB".formatted(bytes / (1024.0 * 1024.0));
	}

	private static String row(String name, String value) {
		return "| " + name + " | " + value + " |";
	}

}
