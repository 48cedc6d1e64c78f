package io.github.tokenintrospection.testsupport;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Netty 4.2's default allocator takes a short lock when many threads allocate at once and
 * it adds magazines: a synchronization lock, not blocking I/O, but BlockHound reports it
 * when a response is written from a Reactor thread (Netty's own integration does not list
 * it yet). A module whose tests want it lists it in its own test resources'
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}.
 */
public final class NettyAllocatorBlockHoundIntegration implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
				"tryExpandMagazines");
	}

}
