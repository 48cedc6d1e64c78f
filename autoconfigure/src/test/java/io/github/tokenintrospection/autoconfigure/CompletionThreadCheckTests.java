package io.github.tokenintrospection.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompletionThreadCheckTests {

	@Test
	void warningWhenCommonPoolParallelismBelowTwoThenNamesTheSetting() {
		assertThat(CompletionThreadCheck.warning(1)).contains("new thread")
			.contains("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
	}

	@Test
	void warningWhenCommonPoolParallelismTwoOrMoreThenNone() {
		assertThat(CompletionThreadCheck.warning(2)).isNull();
		assertThat(CompletionThreadCheck.warning(8)).isNull();
	}

}
