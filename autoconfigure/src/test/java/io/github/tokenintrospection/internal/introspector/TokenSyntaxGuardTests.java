package io.github.tokenintrospection.internal.introspector;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TokenSyntaxGuardTests {

	private final AtomicInteger delegateCalls = new AtomicInteger();

	private final IntrospectionClient delegate = (token) -> {
		this.delegateCalls.incrementAndGet();
		return IntrospectedToken.inactive();
	};

	private final TokenSyntaxGuard guard = new TokenSyntaxGuard(this.delegate, 16);

	@ParameterizedTest
	@ValueSource(strings = { "a", "abcDEF0123456789", "a-b.c_d~e+f/g", "YWJj==", "abc=", "0" })
	void introspectWhenB64TokenWithinLimitThenDelegated(String token) {
		this.guard.introspect(token);

		assertThat(this.delegateCalls).hasValue(1);
	}

	@Test
	void introspectWhenExactlyAtLengthLimitThenDelegated() {
		this.guard.introspect("x".repeat(16));

		assertThat(this.delegateCalls).hasValue(1);
	}

	@Test
	void introspectWhenOneCharacterOverLengthLimitThenRejectedWithoutDelegating() {
		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> this.guard.introspect("x".repeat(17)))
			.withMessage("Bearer token is longer than 16 characters");
		assertThat(this.delegateCalls).hasValue(0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a b", "a\"b", "a,b", "a%20b", "=abc", "==", "ab=c", "tok\u00e9n", "a\nb", "a\u0000b",
			"{\"active\":true}" })
	void introspectWhenOutsideB64TokenSyntaxThenRejectedWithoutDelegating(String token) {
		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> this.guard.introspect(token))
			.withMessage("Bearer token is not in RFC 6750 b64token syntax");
		assertThat(this.delegateCalls).hasValue(0);
	}

	@Test
	void introspectWhenEmptyThenRejectedWithoutDelegating() {
		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> this.guard.introspect(""));
		assertThat(this.delegateCalls).hasValue(0);
	}

}
