package io.github.tokenintrospection.internal.testcontainers;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.github.tokenintrospection.internal.testcontainers.RealmImports.IntrospectingClient;
import io.github.tokenintrospection.internal.testcontainers.RealmImports.RealmFile;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.MountableFile;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How the Keycloak service connection finds the realm and the client the resource server
 * introspects with, from the realm files the container imports.
 */
class RealmImportsTests {

	private static final Predicate<String> UNNAMED = (name) -> false;

	@Test
	void chooseWhenOneConfidentialSecretClientThenItWhateverTheOthers() {
		RealmFile realm = realm("notes", """
				{ "clientId": "notes-api", "publicClient": false, "clientAuthenticatorType": "client-secret",
				  "secret": "notes-api-secret" },
				{ "clientId": "notes-web", "publicClient": true },
				{ "clientId": "notes-api-jwt", "clientAuthenticatorType": "client-secret-jwt", "secret": "s" },
				{ "clientId": "notes-api-pkjwt", "clientAuthenticatorType": "client-jwt" },
				{ "clientId": "notes-api-mtls", "clientAuthenticatorType": "client-x509" },
				{ "clientId": "disabled-api", "enabled": false, "secret": "s" },
				{ "clientId": "saml-app", "protocol": "saml", "secret": "s" },
				{ "clientId": "exported-api", "secret": "**********" },
				{ "clientId": "no-secret-api" },
				{ "clientId": "broker", "secret": "s" },
				{ "clientId": "realm-management", "bearerOnly": true, "secret": "s" }""");

		IntrospectingClient client = RealmImports.choose(List.of(realm), UNNAMED);

		assertThat(client).isEqualTo(new IntrospectingClient("notes", "notes-api", "notes-api-secret"));
	}

	@Test
	void chooseWhenAuthenticatorTypeAbsentThenClientSecretAsKeycloakDefaults() {
		RealmFile realm = realm("shop", "{ \"clientId\": \"orders-api\", \"secret\": \"s3cret\" }");

		assertThat(RealmImports.choose(List.of(realm), UNNAMED).clientId()).isEqualTo("orders-api");
	}

	@Test
	void chooseWhenSeveralCandidatesAndOneNamedThenTheNamedOne() {
		RealmFile realm = realm("shop", """
				{ "clientId": "orders-api", "secret": "orders-secret" },
				{ "clientId": "billing-api", "secret": "billing-secret" }""");

		IntrospectingClient client = RealmImports.choose(List.of(realm), "billing-api"::equals);

		assertThat(client).isEqualTo(new IntrospectingClient("shop", "billing-api", "billing-secret"));
	}

	@Test
	void chooseWhenSameClientIdInTwoRealmsThenRealmQualifiedNameChooses() {
		RealmFile shop = realm("shop", "{ \"clientId\": \"api\", \"secret\": \"shop-secret\" }");
		RealmFile staff = realm("staff", "{ \"clientId\": \"api\", \"secret\": \"staff-secret\" }");

		assertThat(RealmImports.choose(List.of(shop, staff), "staff/api"::equals).clientSecret())
			.isEqualTo("staff-secret");
		assertThatIllegalStateException().isThrownBy(() -> RealmImports.choose(List.of(shop, staff), "api"::equals))
			.withMessageContaining("[shop/api, staff/api]")
			.withMessageContaining("@ServiceConnection(name = \"<realm>/<client-id>\")");
	}

	@Test
	void chooseWhenSeveralCandidatesAndNoneNamedThenFailsListingThem() {
		RealmFile realm = realm("shop", """
				{ "clientId": "orders-api", "secret": "orders-secret" },
				{ "clientId": "billing-api", "secret": "billing-secret" }""");

		assertThatIllegalStateException().isThrownBy(() -> RealmImports.choose(List.of(realm), UNNAMED))
			.withMessageContaining("[shop/orders-api, shop/billing-api]")
			.withMessageContaining("@ServiceConnection(name = \"<client-id>\")")
			.withMessageNotContaining("orders-secret");
	}

	@Test
	void chooseWhenNoCandidateThenFailsSayingWhatIsNeeded() {
		RealmFile realm = realm("shop", "{ \"clientId\": \"shop-web\", \"publicClient\": true }");

		assertThatIllegalStateException().isThrownBy(() -> RealmImports.choose(List.of(realm), UNNAMED))
			.withMessageContaining("shop-realm.json")
			.withMessageContaining("clientAuthenticatorType is client-secret");
	}

	@Test
	void chooseWhenNoRealmFileThenFailsNamingWithRealmImportFile() {
		assertThatIllegalStateException().isThrownBy(() -> RealmImports.choose(List.of(), UNNAMED))
			.withMessageContaining("withRealmImportFile");
	}

	@Test
	void chooseWhenFileIsNotJsonThenFailsNamingIt() {
		RealmFile broken = new RealmFile("broken.json", "{ realm: ");

		assertThatIllegalStateException().isThrownBy(() -> RealmImports.choose(List.of(broken), UNNAMED))
			.withMessageContaining("broken.json");
	}

	@Test
	void chooseWhenUsersFileNextToRealmThenOnlyTheRealmsClientsCount() {
		RealmFile realm = realm("shop", "{ \"clientId\": \"orders-api\", \"secret\": \"s3cret\" }");
		RealmFile users = new RealmFile("shop-users-0.json", "{ \"realm\": \"shop\", \"users\": [] }");

		assertThat(RealmImports.choose(List.of(realm, users), UNNAMED).clientId()).isEqualTo("orders-api");
	}

	@Test
	void introspectingClientWhenPrintedThenNoSecret() {
		assertThat(new IntrospectingClient("shop", "orders-api", "orders-secret"))
			.hasToString("IntrospectingClient[shop/orders-api]");
	}

	@Test
	void realmFilesWhenCopiedToImportDirectoryThenReadFromTheHost() {
		MountableFile realm = MountableFile.forClasspathResource("keycloak/shop-realm.json");
		MountableFile other = MountableFile.forClasspathResource("keycloak/shop-realm.json");

		List<RealmFile> files = KeycloakContainerConnectionDetailsFactory.realmFiles(Map.of(realm,
				"/opt/keycloak/data/import/shop-realm.json", other, "/opt/keycloak/conf/shop-realm.json"));

		assertThat(files).singleElement().satisfies((file) -> assertThat(file.content()).contains("\"orders-api\""));
		assertThat(RealmImports.choose(files, UNNAMED))
			.isEqualTo(new IntrospectingClient("shop", "orders-api", "orders-secret"));
	}

	@Test
	void factoryWhenLoadedAsSpringBootDoesThenRegisteredAsConnectionDetailsFactory() {
		// As Spring Boot does: factories of modules whose libraries are absent are
		// skipped.
		List<ConnectionDetailsFactory> factories = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(ConnectionDetailsFactory.class, (type, implementation, failure) -> {
			});

		assertThat(factories).hasAtLeastOneElementOfType(KeycloakContainerConnectionDetailsFactory.class);
	}

	private static RealmFile realm(String name, String clients) {
		return new RealmFile(name + "-realm.json",
				"{ \"realm\": \"" + name + "\", \"enabled\": true, \"clients\": [ " + clients + " ] }");
	}

}
