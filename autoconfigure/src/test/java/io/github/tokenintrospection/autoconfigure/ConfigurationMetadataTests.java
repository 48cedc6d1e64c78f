package io.github.tokenintrospection.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata generated at build time, which IDEs use to complete and
 * document the starter's properties.
 */
class ConfigurationMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final List<String> MAP_PROPERTIES = List.of("token-introspection.route.headers",
			"token-introspection.authorization-servers");

	@Test
	void metadataWhenGeneratedThenListsEveryPropertyWithDescription() throws Exception {
		Map<String, JsonNode> properties = starterProperties();

		assertThat(properties.keySet())
			.containsExactlyInAnyOrderElementsOf(TokenIntrospectionPropertiesTests.NON_DEFAULT_VALUES.keySet()
				.stream()
				.map(ConfigurationMetadataTests::metadataName)
				.collect(Collectors.toSet()));
		assertThat(properties).allSatisfy(
				(name, property) -> assertThat(property.path("description").asString()).as("description of %s", name)
					.isNotBlank());
	}

	@Test
	void metadataWhenGeneratedThenShowsDefaults() throws Exception {
		Map<String, JsonNode> properties = starterProperties();

		assertThat(defaultValue(properties, "token-introspection.cache.ttl")).isEqualTo("60s");
		assertThat(defaultValue(properties, "token-introspection.cache.negative-ttl")).isEqualTo("10s");
		assertThat(defaultValue(properties, "token-introspection.validation.clock-skew")).isEqualTo("60s");
		assertThat(defaultValue(properties, "token-introspection.read-timeout")).isEqualTo("5s");
		assertThat(defaultValue(properties, "token-introspection.connect-timeout")).isEqualTo("2s");
		assertThat(defaultValue(properties, "token-introspection.token-type-hint")).isEqualTo("access_token");
		assertThat(defaultValue(properties, "token-introspection.principal-claim-name")).isEqualTo("sub");
		assertThat(defaultValue(properties, "token-introspection.client-authentication-method"))
			.isEqualTo("client_secret_basic");
		assertThat(defaultValue(properties, "token-introspection.cache.max-size")).isEqualTo("10000");
		assertThat(defaultValue(properties, "token-introspection.enabled")).isEqualTo("true");
	}

	@Test
	void metadataWhenLimitsAndResilienceThenShowsDefaults() throws Exception {
		Map<String, JsonNode> properties = starterProperties();

		assertThat(defaultValue(properties, "token-introspection.limits.max-token-length")).isEqualTo("4096");
		assertThat(defaultValue(properties, "token-introspection.limits.max-response-size")).isEqualTo("64KB");
		assertThat(defaultValue(properties, "token-introspection.resilience.retry-after")).isEqualTo("5s");
		assertThat(defaultValue(properties, "token-introspection.resilience.retry.time-budget")).isEqualTo("2s");
		assertThat(defaultValue(properties, "token-introspection.resilience.circuit-breaker.enabled"))
			.isEqualTo("true");
		assertThat(
				defaultValue(properties, "token-introspection.resilience.circuit-breaker.wait-duration-in-open-state"))
			.isEqualTo("30s");
		assertThat(defaultValue(properties, "token-introspection.resilience.stale-if-error.enabled"))
			.isEqualTo("false");
		assertThat(defaultValue(properties, "token-introspection.resilience.stale-if-error.window")).isEqualTo("5m");
	}

	@Test
	void metadataWhenListPropertiesThenShowsTheirDefaults() throws Exception {
		Map<String, JsonNode> properties = starterProperties();

		assertThat(properties.get("token-introspection.authorities.scope-claim-names").path("defaultValue").values())
			.extracting(JsonNode::asString)
			.containsExactly("scope", "scp");
		assertThat(properties.get("token-introspection.validation.allowed-token-types").path("defaultValue").size())
			.isEqualTo(4);
	}

	@Test
	void readmeWhenPropertyExistsThenItIsInThePropertyTable() throws Exception {
		// Surefire runs in the module directory; the docs are the project's.
		String readme = Files.readString(Path.of("..", "docs", "configuration.md"));

		assertThat(starterProperties().keySet()).allSatisfy(
				(name) -> assertThat(readme).as("docs/configuration.md row for %s", name).contains("| `" + name + "`"));
	}

	@Test
	void metadataWhenGeneratedThenDescribesTheHealthIndicatorSwitch() throws Exception {
		JsonMapper mapper = JsonMapper.builder().build();
		JsonNode health = null;
		for (URL resource : Collections
			.list(ConfigurationMetadataTests.class.getClassLoader().getResources(METADATA))) {
			try (InputStream in = resource.openStream()) {
				for (JsonNode property : mapper.readTree(in).path("properties")) {
					if (property.path("name").asString().equals("management.health.tokenintrospection.enabled")) {
						health = property;
					}
				}
			}
		}

		assertThat(health).as("management.health.tokenintrospection.enabled in the metadata").isNotNull();
		assertThat(health.path("description").asString()).isNotBlank();
		assertThat(health.path("defaultValue").asBoolean()).isTrue();
	}

	/** A map entry's key is documented as the map property. */
	private static String metadataName(String key) {
		for (String map : MAP_PROPERTIES) {
			if (key.startsWith(map + ".") || key.startsWith(map + "[")) {
				return map;
			}
		}
		return key;
	}

	private static String defaultValue(Map<String, JsonNode> properties, String name) {
		assertThat(properties).containsKey(name);
		return properties.get(name).path("defaultValue").asString();
	}

	private static Map<String, JsonNode> starterProperties() throws Exception {
		JsonMapper mapper = JsonMapper.builder().build();
		List<URL> resources = Collections
			.list(ConfigurationMetadataTests.class.getClassLoader().getResources(METADATA));
		Map<String, JsonNode> properties = new HashMap<>();
		for (URL resource : resources) {
			try (InputStream in = resource.openStream()) {
				for (JsonNode property : mapper.readTree(in).path("properties")) {
					String name = property.path("name").asString();
					if (name.startsWith("token-introspection.")) {
						properties.put(name, property);
					}
				}
			}
		}
		return properties;
	}

}
