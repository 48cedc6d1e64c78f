package io.github.tokenintrospection.pipeline;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.reactive.ReactiveValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both stacks built from the same settings have the same stages in the same order: the
 * order {@link Stage} declares.
 */
class PipelineAssemblerTests {

	private static final IntrospectionClient CLIENT = (token) -> IntrospectedToken.inactive();

	private static final ReactiveIntrospectionClient REACTIVE_CLIENT = (token) -> Mono
		.just(IntrospectedToken.inactive());

	@Test
	void assembleWhenEveryStageOnThenBothStacksHaveEveryStageInDeclaredOrder() {
		PipelineSettings settings = builder().staleIfError((stale) -> stale.window(Duration.ofMinutes(1)))
			.circuitBreaker(CircuitBreaker.ofDefaults("test"))
			.settings();
		List<Stage> servlet = PipelineAssembler.assemble(settings, new ServletStack()).stages();
		List<Stage> reactive = PipelineAssembler.assemble(settings, new ReactiveStack()).stages();
		assertThat(servlet).containsExactlyElementsOf(Arrays.asList(Stage.values()));
		assertThat(reactive).isEqualTo(servlet);
	}

	@Test
	void assembleWhenDefaultsThenBothStacksLeaveOutTheSameOptionalStages() {
		PipelineSettings settings = builder().settings();
		List<Stage> servlet = PipelineAssembler.assemble(settings, new ServletStack()).stages();
		List<Stage> reactive = PipelineAssembler.assemble(settings, new ReactiveStack()).stages();
		assertThat(servlet).containsExactly(Stage.SYNTAX_GUARD, Stage.CACHE, Stage.RETRY, Stage.OBSERVED,
				Stage.TRANSPORT, Stage.CLAIM_VALIDATION, Stage.AUTHORITIES);
		assertThat(reactive).isEqualTo(servlet);
	}

	@Test
	void assembleWhenCacheAndRetryLeftOutThenNeitherStackHasThem() {
		PipelineSettings settings = builder().withoutCache().withoutRetry().settings();
		List<Stage> servlet = PipelineAssembler.assemble(settings, new ServletStack()).stages();
		List<Stage> reactive = PipelineAssembler.assemble(settings, new ReactiveStack()).stages();
		assertThat(servlet).containsExactly(Stage.SYNTAX_GUARD, Stage.OBSERVED, Stage.TRANSPORT, Stage.CLAIM_VALIDATION,
				Stage.AUTHORITIES);
		assertThat(reactive).isEqualTo(servlet);
	}

	@Test
	void assembleServletWhenBuilderHasBothClientsThenItsIntrospectorsAreTheStacksOwn() {
		IntrospectionPipeline.Builder builder = builder();
		assertThat(builder.assembleServlet().introspector()).isInstanceOf(ValidatingOpaqueTokenIntrospector.class);
		assertThat(builder.assembleReactive().introspector())
			.isInstanceOf(ReactiveValidatingOpaqueTokenIntrospector.class);
	}

	private static IntrospectionPipeline.Builder builder() {
		IntrospectionPipeline.Builder builder = IntrospectionPipeline.withClient(CLIENT);
		builder.reactiveClient = REACTIVE_CLIENT;
		return builder;
	}

}
