package io.github.tokenintrospection.pipeline;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.tokenintrospection.internal.possession.DPoPProofVerifier;
import io.github.tokenintrospection.internal.possession.LocalProofReplays;
import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.jose.JwksKeys;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.reactive.ReactiveValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.reactive.ReactiveIntrospectionClient;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.web.client.RestClient;

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
			.localJwt(localJwtRouter())
			.possessionCheck(new PossessionCheck(new DPoPProofVerifier(List.of("ES256"), Duration.ofMinutes(1),
					Duration.ofSeconds(5), new LocalProofReplays(10), Clock.systemUTC()), false, List.of()))
			.settings();
		List<Stage> servlet = PipelineAssembler.assemble(settings, new ServletStack()).stages();
		List<Stage> reactive = PipelineAssembler.assemble(settings, new ReactiveStack()).stages();
		assertThat(servlet).containsExactlyElementsOf(Arrays.asList(Stage.values()));
		assertThat(servlet.subList(0, 3)).containsExactly(Stage.DPOP_PROOF, Stage.SYNTAX_GUARD, Stage.LOCAL_JWT);
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

	private static LocalJwtRouter localJwtRouter() {
		// Nothing is fetched until a token asks for the keys.
		return new LocalJwtRouter(new LocalJwtRouter.Settings("https://idp.example", List.of("RS256"), List.of("JWT"),
				List.of(), List.of()),
				new JwksKeys(RestClient.create(), () -> URI.create("https://idp.example/certs")));
	}

	private static IntrospectionPipeline.Builder builder() {
		IntrospectionPipeline.Builder builder = IntrospectionPipeline.withClient(CLIENT);
		builder.reactiveClient = REACTIVE_CLIENT;
		return builder;
	}

}
