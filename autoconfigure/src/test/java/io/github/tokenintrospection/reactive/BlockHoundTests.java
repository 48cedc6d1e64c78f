package io.github.tokenintrospection.reactive;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * BlockHound is installed for every test of this module (blockhound-junit-platform): a
 * blocking call on a non-blocking thread fails. Without it, the reactive tests would not
 * notice a blocking introspection.
 */
class BlockHoundTests {

	@Test
	void sleepOnParallelSchedulerWhenBlockHoundInstalledThenFails() {
		Mono<String> blocking = Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(Schedulers.parallel());

		assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(5)))
			.hasRootCauseInstanceOf(BlockingOperationError.class)
			.hasMessageContaining("Blocking call! java.lang.Thread.sleep");
	}

}
