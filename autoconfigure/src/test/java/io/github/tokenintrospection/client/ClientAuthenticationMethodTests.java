package io.github.tokenintrospection.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAuthenticationMethodTests {

	@ParameterizedTest
	@EnumSource(ClientAuthenticationMethod.class)
	void preparationMayBlockWhenMethodThenOnlyWhenItSignsOrFetchesAToken(ClientAuthenticationMethod method) {
		boolean expected = switch (method) {
			case CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, TLS_CLIENT_AUTH -> false;
			// SecureRandom for the jti may read a file.
			case CLIENT_SECRET_JWT, PRIVATE_KEY_JWT -> true;
			// A client_credentials token is an HTTP call; a configured one is not.
			case BEARER -> true;
		};
		assertThat(method.preparationMayBlock(false)).isEqualTo(expected);
		assertThat(method.preparationMayBlock(true)).isEqualTo(expected && method != ClientAuthenticationMethod.BEARER);
	}

}
