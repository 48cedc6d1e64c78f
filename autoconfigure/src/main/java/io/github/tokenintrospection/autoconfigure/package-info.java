/**
 * Spring Boot auto-configuration of token introspection and its configuration properties.
 */
@NullMarked
package io.github.tokenintrospection.autoconfigure;

import org.jspecify.annotations.NullMarked;
