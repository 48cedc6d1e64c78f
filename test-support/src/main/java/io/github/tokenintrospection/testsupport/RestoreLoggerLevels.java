package io.github.tokenintrospection.testsupport;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Puts the logger levels back as they were before the test class, for a class whose
 * applications set {@code logging.level.*}. Spring Boot applies those levels to the JVM's
 * one logging system and leaves them there while the context lives, and a test context is
 * cached until the JVM ends: without this, later test classes would log at the levels the
 * class chose.
 * <p>
 * Use with {@code @ExtendWith(RestoreLoggerLevels.class)}; it restores the configured
 * level of every logger, and clears the level of a logger configured during the class.
 */
public final class RestoreLoggerLevels implements BeforeAllCallback, AfterAllCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(RestoreLoggerLevels.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		Map<String, LogLevel> configured = new HashMap<>();
		for (LoggerConfiguration logger : loggingSystem().getLoggerConfigurations()) {
			configured.put(logger.getName(), logger.getConfiguredLevel());
		}
		context.getStore(NAMESPACE).put(context.getUniqueId(), configured);
	}

	@Override
	@SuppressWarnings("unchecked")
	public void afterAll(ExtensionContext context) {
		Map<String, LogLevel> before = context.getStore(NAMESPACE).remove(context.getUniqueId(), Map.class);
		LoggingSystem loggingSystem = loggingSystem();
		for (LoggerConfiguration logger : loggingSystem.getLoggerConfigurations()) {
			LogLevel level = before.get(logger.getName());
			if (!Objects.equals(level, logger.getConfiguredLevel())) {
				loggingSystem.setLogLevel(logger.getName(), level);
			}
		}
	}

	private static LoggingSystem loggingSystem() {
		return LoggingSystem.get(RestoreLoggerLevels.class.getClassLoader());
	}

}
