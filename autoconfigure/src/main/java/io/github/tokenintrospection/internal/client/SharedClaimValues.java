package io.github.tokenintrospection.internal.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.jspecify.annotations.Nullable;

/**
 * Lets cached introspection results share equal claim values instead of each holding its
 * own copy. Most of a Keycloak answer repeats from token to token (issuer, audiences,
 * scopes, realm and client roles, client ids), and copies of it were most of a cache
 * entry's heap.
 * <p>
 * A small, lossy table bounds the memory used: a value takes the slot its hash points to,
 * replacing what was there; frequent values keep coming back and so are mostly shared,
 * unique ones (a {@code jti}) just pass through. Only small values are kept. Nested JSON
 * objects and arrays become unmodifiable (their order kept), as shared values must be and
 * as {@link io.github.tokenintrospection.IntrospectedToken} promises.
 */
final class SharedClaimValues {

	private static final int SLOTS = 1024;

	/** Largest weight (characters / 8 + elements) of a value that takes a slot. */
	private static final int MAX_WEIGHT = 256;

	private final AtomicReferenceArray<@Nullable Object> slots = new AtomicReferenceArray<>(SLOTS);

	/**
	 * Returns a value equal to the given one, made of shared parts where possible.
	 * @param value a string, or the result of Jackson's untyped mapping (maps, lists,
	 * strings, numbers, booleans, nulls)
	 * @return an equal value; maps and lists unmodifiable
	 */
	Object share(Object value) {
		return share(value, new int[1]);
	}

	String share(String value) {
		return (String) share(value, new int[1]);
	}

	/**
	 * Returns a list equal to the given immutable one (of the same class), its strings
	 * shared.
	 * @param strings an immutable list ({@code List.of})
	 * @return an equal immutable list
	 */
	List<String> shareStrings(List<String> strings) {
		int weight = strings.size();
		String[] shared = new String[strings.size()];
		for (int i = 0; i < shared.length; i++) {
			shared[i] = share(strings.get(i));
			weight += shared[i].length() / 8 + 1;
		}
		List<String> list = List.of(shared);
		return (weight <= MAX_WEIGHT) ? lookUp(list) : list;
	}

	private Object share(Object value, int[] weight) {
		if (value instanceof String string) {
			int own = string.length() / 8 + 1;
			weight[0] += own;
			return (own <= MAX_WEIGHT) ? lookUp(string) : string;
		}
		if (value instanceof List<?> list) {
			int[] inner = new int[] { list.size() };
			List<Object> copy = new ArrayList<>(list.size());
			for (Object element : list) {
				copy.add(share(element, inner));
			}
			weight[0] += inner[0];
			List<Object> shared = Collections.unmodifiableList(copy);
			return (inner[0] <= MAX_WEIGHT) ? lookUp(shared) : shared;
		}
		if (value instanceof Map<?, ?> map) {
			int[] inner = new int[] { map.size() };
			Map<Object, Object> copy = new LinkedHashMap<>((int) (map.size() / 0.75f) + 1);
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				copy.put(share(entry.getKey(), inner), share(entry.getValue(), inner));
			}
			weight[0] += inner[0];
			Map<Object, Object> shared = Collections.unmodifiableMap(copy);
			return (inner[0] <= MAX_WEIGHT) ? lookUp(shared) : shared;
		}
		weight[0]++;
		return value;
	}

	/** Returns the equal value in the table, or puts this one there. */
	private <T> T lookUp(T value) {
		int hash = value.hashCode();
		int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
		Object existing = this.slots.get(slot);
		if (existing != null && existing.getClass() == value.getClass() && existing.equals(value)) {
			@SuppressWarnings("unchecked")
			T shared = (T) existing;
			return shared;
		}
		this.slots.set(slot, value);
		return value;
	}

}
