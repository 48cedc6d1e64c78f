package io.github.tokenintrospection.internal.aot;

import java.util.List;

import io.github.tokenintrospection.IntrospectedToken;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What the starter does at run time that ahead-of-time processing cannot see: JDK
 * serialization of {@link IntrospectedToken} (a serializing cache of the application,
 * named by {@code token-introspection.cache.name}, stores it with the claim values the
 * parser produces), and the classes looked up by name at run time. Everything else reads
 * and writes JSON as trees and maps, with no data binding by reflection. Registered in
 * {@code META-INF/spring/aot.factories}.
 */
class TokenIntrospectionRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * Looked up with {@code ClassUtils.isPresent} at run time: Reactor Netty's client and
	 * Spring Boot's connector builder (to choose the reactive transport), and
	 * Resilience4j (whether the health indicator reports the circuit breaker).
	 */
	static final List<String> TYPES_LOOKED_UP_BY_NAME = List.of("reactor.netty.http.client.HttpClient",
			"org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder",
			"io.github.resilience4j.circuitbreaker.CircuitBreaker");

	/**
	 * What a serialized result holds: its serialized form and the claim values the parser
	 * creates (strings, booleans, numbers, instants, immutable lists and maps, the serial
	 * proxies the JDK writes for them, and the bytes of a {@code BigInteger}).
	 */
	static final List<String> SERIALIZED_TYPES = List.of("io.github.tokenintrospection.IntrospectedToken",
			"io.github.tokenintrospection.IntrospectedToken$SerializedForm", "java.lang.String", "java.lang.Boolean",
			"java.lang.Number", "java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.math.BigInteger",
			"java.math.BigDecimal", "java.time.Instant", "java.time.Ser", "java.util.CollSer",
			"java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
			"java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN", "java.util.ArrayList",
			"java.util.HashMap", "java.util.LinkedHashMap", "java.util.Collections$UnmodifiableCollection",
			"java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
			"java.util.Collections$UnmodifiableMap", "byte[]");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (String type : SERIALIZED_TYPES) {
			hints.serialization().registerType(TypeReference.of(type));
		}
		for (String type : TYPES_LOOKED_UP_BY_NAME) {
			hints.reflection().registerType(TypeReference.of(type));
		}
	}

}
