package io.github.tokenintrospection.pipeline;

/**
 * Adjusts the auto-configured pipeline without replacing it: declare beans of this type
 * to add a claim validator, wrap the client that calls the authorization server, or
 * change how claims become authorities. They are applied in order ({@code @Order},
 * {@code Ordered}), after the starter's properties and before the introspector is built,
 * for the servlet and the reactive stack alike. <pre class="code">
 * &#64;Bean
 * IntrospectionPipelineCustomizer tenantCheck() {
 *     return (pipeline) -&gt; pipeline.validators((validators) -&gt; validators.add(new TenantValidator()));
 * }
 * </pre>
 */
@FunctionalInterface
public interface IntrospectionPipelineCustomizer {

	/**
	 * Adjusts the pipeline.
	 * @param builder the pipeline, with the starter's properties applied
	 */
	void customize(IntrospectionPipeline.Builder builder);

}
