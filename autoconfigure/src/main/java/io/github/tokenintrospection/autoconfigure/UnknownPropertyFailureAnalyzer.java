package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a misspelled {@code token-introspection.*} key. The properties class binds
 * with {@code ignoreUnknownFields = false}, so an unknown key already stops the
 * application (a misspelled key could otherwise switch a check off in silence); this
 * analysis adds the closest valid key, taken from the starter's configuration metadata.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnknownPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final String PREFIX = TokenIntrospectionProperties.PREFIX + ".";

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		List<ConfigurationProperty> unknown = cause.getUnboundProperties()
			.stream()
			.filter((property) -> property.getName().toString().startsWith(PREFIX))
			.sorted(Comparator.comparing((property) -> property.getName().toString()))
			.toList();
		if (unknown.isEmpty()) {
			return null;
		}
		Set<String> known = knownNames();
		StringBuilder description = new StringBuilder("Unknown token introspection properties:\n");
		for (ConfigurationProperty property : unknown) {
			String name = property.getName().toString();
			description.append("\n    Property: ").append(name);
			if (property.getOrigin() != null) {
				description.append("\n    Origin: ").append(property.getOrigin());
			}
			String closest = closest(withoutIndexes(name), known);
			description.append("\n    Reason: not a property of the token introspection starter")
				.append((closest != null) ? "; did you mean '" + closest + "'?" : "")
				.append('\n');
		}
		return new FailureAnalysis(description.toString(),
				"Correct or remove the property. Every property is listed in the starter's configuration reference "
						+ "(docs/configuration.md); an unknown key stops the application because it may be meant "
						+ "to turn a check on.",
				cause);
	}

	/** The starter's property names, from the configuration metadata of its jar. */
	static Set<String> knownNames() {
		Set<String> names = new TreeSet<>();
		JsonMapper mapper = JsonMapper.builder().build();
		try {
			Enumeration<URL> resources = UnknownPropertyFailureAnalyzer.class.getClassLoader().getResources(METADATA);
			while (resources.hasMoreElements()) {
				try (InputStream in = resources.nextElement().openStream()) {
					for (JsonNode property : mapper.readTree(in).path("properties")) {
						String name = property.path("name").asString("");
						if (name.startsWith(PREFIX)) {
							names.add(name);
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return names;
	}

	/** {@code a.b[0].c} -> {@code a.b.c}: list elements are named with an index. */
	private static String withoutIndexes(String name) {
		return name.replaceAll("\\[[^\\]]*\\]", "");
	}

	/**
	 * The known name at the smallest edit distance, if it is close enough to be a typo.
	 */
	static @Nullable String closest(String name, Set<String> known) {
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : known) {
			int distance = distance(name, candidate);
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		int tolerance = Math.max(2, name.substring(PREFIX.length()).length() / 3);
		return (bestDistance <= tolerance) ? best : null;
	}

	/** Levenshtein distance. */
	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
