/**
 * The introspection pipeline, assembled in one place for both stacks: a public builder
 * ({@link io.github.tokenintrospection.pipeline.IntrospectionPipeline}) for the
 * auto-configuration and for hand-wired setups, the customizer that adjusts the
 * auto-configured one, and the default claim validators.
 */
package io.github.tokenintrospection.pipeline;
