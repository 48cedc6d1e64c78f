package io.github.tokenintrospection.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.tokenintrospection.internal.cache.LastValidatedTokens;
import io.github.tokenintrospection.internal.introspector.IntrospectionDecider;
import io.github.tokenintrospection.internal.observation.IntrospectionListeners;
import io.github.tokenintrospection.internal.validation.DelegatingClaimsValidator;
import io.github.tokenintrospection.observation.IntrospectionListener;

/**
 * Applies the {@link Stage}s, in their declared order, to one stack: which stages a
 * pipeline has follows from its settings alone, so both stacks built from one
 * {@link PipelineSettings} get the same stages in the same order.
 */
final class PipelineAssembler {

	private PipelineAssembler() {
	}

	static <C, L, I> Assembly<I> assemble(PipelineSettings settings, PipelineStack<C, L, I> stack) {
		IntrospectionListener listener = new IntrospectionListeners(settings.listeners(), settings.server());
		LastValidatedTokens lastValidated = settings.staleIfError() ? new LastValidatedTokens(
				settings.staleIfErrorWindow(), settings.staleIfErrorMaxSize(), settings.clock()) : null;
		List<Stage> applied = new ArrayList<>();
		C client = null;
		L lookup = null;
		Stage[] stages = Stage.values();
		// From the transport outwards: each stage wraps the ones after it.
		for (int i = stages.length - 1; i >= 0; i--) {
			Stage stage = stages[i];
			boolean apply = switch (stage) {
				case DPOP_PROOF, CLAIM_VALIDATION, SENDER_CONSTRAINT, AUTHORITIES -> false;
				case TRANSPORT -> {
					client = stack.transport(settings);
					yield true;
				}
				case OBSERVED -> {
					client = stack.observed(client, listener);
					yield true;
				}
				case CIRCUIT_BREAKER -> {
					if (settings.circuitBreaker() != null) {
						client = stack.circuitBreaker(client, settings.circuitBreaker());
					}
					yield settings.circuitBreaker() != null;
				}
				case RETRY -> {
					if (settings.retry() != null) {
						client = stack.retrying(client, settings.retry());
					}
					yield settings.retry() != null;
				}
				case RECORD_LAST_VALIDATED -> {
					if (lastValidated != null) {
						client = stack.recording(client, lastValidated);
					}
					yield lastValidated != null;
				}
				case CACHE -> {
					lookup = (settings.caches() != null)
							? stack.cached(client, settings.caches(), settings.refreshAhead(), settings.clock())
							: stack.uncached(client);
					yield settings.caches() != null;
				}
				case STALE_IF_ERROR -> {
					if (lastValidated != null) {
						lookup = stack.staleIfError(lookup, lastValidated, settings.staleResultListeners(),
								settings.clock());
					}
					yield lastValidated != null;
				}
				case LOCAL_JWT -> {
					if (settings.localJwt() != null) {
						lookup = stack.localJwt(lookup, settings.localJwt());
					}
					yield settings.localJwt() != null;
				}
				case SYNTAX_GUARD -> {
					lookup = stack.syntaxGuarded(lookup, settings.maxTokenLength());
					yield true;
				}
			};
			if (apply) {
				applied.add(stage);
			}
		}
		Collections.reverse(applied);
		boolean possession = settings.possessionCheck() != null;
		if (possession) {
			applied.add(0, Stage.DPOP_PROOF);
		}
		for (Stage stage : stages) {
			if (stage.decides() && (stage != Stage.SENDER_CONSTRAINT || possession)) {
				applied.add(stage);
			}
		}
		IntrospectionDecider decider = new IntrospectionDecider(new DelegatingClaimsValidator(settings.validators()),
				settings.authoritiesConverter(), settings.principalClaimName(), listener, settings.possessionCheck());
		return new Assembly<>(stack.introspector(lookup, decider), List.copyOf(applied));
	}

	/**
	 * An assembled introspector and the stages it has, outermost first.
	 *
	 * @param <I> the introspector's type
	 * @param introspector the introspector
	 * @param stages its stages, in the order a token passes them
	 */
	record Assembly<I>(I introspector, List<Stage> stages) {

	}

}
