package io.github.tokenintrospection.autoconfigure;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.routing.RoutingTable;
import io.github.tokenintrospection.observation.IntrospectionDecision;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * The rules of {@code token-introspection.authorization-servers.<name>.*}: a name that
 * can be a meter tag, only per-server settings, each value checked like the default
 * server's, and failures that name the named server's property.
 */
final class NamedServerProperties {

	static final String PREFIX = TokenIntrospectionProperties.PREFIX + ".authorization-servers";

	/** Settings of the application, not of one server. */
	static final List<String> APPLICATION_WIDE = List.of("enabled", "audit", "endpoint", "health", "resource-metadata",
			"cache.name", "cache.redis", "authorization-servers", "probe", "resilience.retry-after",
			"sender-constraint", "security-events");

	/** Names that stand for something else in meters and the audit trail. */
	private static final List<String> RESERVED = List.of(IntrospectionDecision.DEFAULT_SERVER,
			RoutingTable.NO_SERVER_NAME, "index", "active");

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	/** A starter property in a message, unless it already names a named server's. */
	private static final Pattern ROOT_PROPERTY = Pattern
		.compile("(?:" + Pattern.quote(TokenIntrospectionProperties.PREFIX + ".") + "(?!authorization-servers\\.)|"
				+ Pattern.quote(ConnectionSettingNames.OPAQUETOKEN_PREFIX) + ")");

	private NamedServerProperties() {
	}

	static String prefix(String name) {
		return PREFIX + "." + name + ".";
	}

	/**
	 * Checks one named server's settings.
	 * @param name the server's name
	 * @param server its bound properties
	 * @param environment where they were bound from
	 */
	static void check(String name, TokenIntrospectionProperties.AuthorizationServer server, Environment environment) {
		if (!NAME.matcher(name).matches() || RESERVED.contains(name)) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "." + name, name,
					"a server's name must be lower-case letters, digits and hyphens (at most 63), and neither '"
							+ IntrospectionDecision.DEFAULT_SERVER
							+ "' (the server of the single-server properties) nor '" + RoutingTable.NO_SERVER_NAME
							+ "' (no server), 'index' or 'active' (the shared cache's own keys in Redis)");
		}
		for (String setting : APPLICATION_WIDE) {
			ConfigurationPropertyName property = ConfigurationPropertyName.of(prefix(name) + setting);
			if (isSet(property, environment)) {
				throw new InvalidConfigurationPropertyValueException(property.toString(), null,
						"is a setting of the application, not of one server: set " + TokenIntrospectionProperties.PREFIX
								+ "." + setting + " instead");
			}
		}
		renamingFailures(name, () -> TokenIntrospectionPropertiesValidator.validate(server));
	}

	/**
	 * Runs a step that reads a named server's settings with the code that reads the
	 * default server's, so that its failures name the named server's properties.
	 * @param name the server's name
	 * @param step the step
	 */
	static void renamingFailures(String name, Runnable step) {
		renamingFailures(name, () -> {
			step.run();
			return null;
		});
	}

	/**
	 * Makes a part of a named server with the code that makes the default server's, so
	 * that its failures name the named server's properties.
	 * @param <T> the part's type
	 * @param name the server's name
	 * @param step makes the part
	 * @return the part
	 */
	static <T> T renamingFailures(String name, Supplier<T> step) {
		try {
			return step.get();
		}
		catch (InvalidConfigurationPropertyValueException ex) {
			throw new InvalidConfigurationPropertyValueException(renamed(name, ex.getName()), ex.getValue(),
					renamed(name, ex.getReason()));
		}
	}

	static String renamed(String name, String text) {
		return ROOT_PROPERTY.matcher(text).replaceAll(Matcher.quoteReplacement(prefix(name)));
	}

	static boolean isSet(ConfigurationPropertyName property, Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.getConfigurationProperty(property) != null) {
				return true;
			}
			if (source instanceof IterableConfigurationPropertySource iterable
					&& iterable.stream().anyMatch(property::isAncestorOf)) {
				return true;
			}
		}
		return false;
	}

}
