package io.github.tokenintrospection.internal.web;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The members the resource server writes into its metadata: a document can always be
 * built, whatever is configured (Spring Security refuses empty lists and issuers that are
 * no URLs).
 */
class ResourceMetadataTests {

	@Test
	void describeWhenNothingConfiguredThenDocumentWithoutServersOrScopes() {
		OAuth2ProtectedResourceMetadata document = build(new ResourceMetadata(List.of(), List.of()));

		assertThat(document.getClaims()).doesNotContainKeys("authorization_servers", "scopes_supported")
			.containsEntry("bearer_methods_supported", List.of("header"))
			.containsEntry("tls_client_certificate_bound_access_tokens", false);
	}

	@Test
	void describeWhenSenderConstraintsCheckedThenProofOfPossessionMembers() {
		OAuth2ProtectedResourceMetadata document = build(
				new ResourceMetadata(List.of(), List.of(), List.of("ES256", "RS256"), true, true));

		assertThat(document.getClaims()).containsEntry("dpop_signing_alg_values_supported", List.of("ES256", "RS256"))
			.containsEntry("dpop_bound_access_tokens_required", true)
			.containsEntry("tls_client_certificate_bound_access_tokens", true);
	}

	@Test
	void describeWhenAnIssuerIsNoUrlThenLeftOut() {
		OAuth2ProtectedResourceMetadata document = build(new ResourceMetadata(
				List.of("notes-issuer", "https://login.example.com/realms/notes"), List.of("read")));

		assertThat(document.getAuthorizationServers()).extracting(java.net.URL::toString)
			.containsExactly("https://login.example.com/realms/notes");
		assertThat(document.getScopes()).containsExactly("read");
	}

	private static OAuth2ProtectedResourceMetadata build(ResourceMetadata metadata) {
		OAuth2ProtectedResourceMetadata.Builder builder = OAuth2ProtectedResourceMetadata.builder()
			.resource("https://notes.example.com");
		metadata.describe(builder);
		return builder.build();
	}

}
