package io.github.tokenintrospection.internal.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dasniko.testcontainers.keycloak.ExtendableKeycloakContainer;
import io.github.tokenintrospection.autoconfigure.TokenIntrospectionConnectionDetails;
import org.jspecify.annotations.Nullable;
import org.testcontainers.utility.MountableFile;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * Creates {@link TokenIntrospectionConnectionDetails} for a {@code @ServiceConnection}
 * Keycloak Testcontainer (dasniko's {@code KeycloakContainer}): the realm and the client
 * come from the realm file the container imports ({@link RealmImports}), the URLs from
 * the running container.
 */
class KeycloakContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<ExtendableKeycloakContainer<?>, TokenIntrospectionConnectionDetails> {

	/**
	 * Where {@code withRealmImportFile} puts the files, and Keycloak imports them from.
	 */
	static final String IMPORT_DIRECTORY = "/opt/keycloak/data/import/";

	KeycloakContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "dasniko.testcontainers.keycloak.ExtendableKeycloakContainer",
				"tools.jackson.databind.json.JsonMapper");
	}

	@Override
	protected TokenIntrospectionConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<ExtendableKeycloakContainer<?>> source) {
		return new KeycloakContainerConnectionDetails(source);
	}

	/**
	 * The realm files a container imports: those copied to the import directory from the
	 * class path or the file system ({@code withRealmImportFile},
	 * {@code withCopyFileToContainer}).
	 */
	static List<RealmImports.RealmFile> realmFiles(Map<MountableFile, String> copiedFiles) {
		List<RealmImports.RealmFile> files = new ArrayList<>();
		copiedFiles.forEach((file, containerPath) -> {
			if (containerPath.startsWith(IMPORT_DIRECTORY) && containerPath.endsWith(".json")) {
				try {
					files.add(new RealmImports.RealmFile(file.getDescription(),
							Files.readString(Path.of(file.getResolvedPath()), StandardCharsets.UTF_8)));
				}
				catch (IOException ex) {
					throw new UncheckedIOException("Cannot read the realm file " + file.getDescription(), ex);
				}
			}
		});
		return files;
	}

	static final class KeycloakContainerConnectionDetails extends
			ContainerConnectionDetails<ExtendableKeycloakContainer<?>> implements TokenIntrospectionConnectionDetails {

		private final ContainerConnectionSource<ExtendableKeycloakContainer<?>> source;

		private volatile RealmImports.@Nullable IntrospectingClient client;

		KeycloakContainerConnectionDetails(ContainerConnectionSource<ExtendableKeycloakContainer<?>> source) {
			super(source);
			this.source = source;
		}

		@Override
		public String getIntrospectionUri() {
			return getIssuerUri() + "/protocol/openid-connect/token/introspect";
		}

		@Override
		public String getIssuerUri() {
			return getContainer().getAuthServerUrl() + "/realms/" + client().realm();
		}

		@Override
		public String getClientId() {
			return client().clientId();
		}

		@Override
		public String getClientSecret() {
			return client().clientSecret();
		}

		private RealmImports.IntrospectingClient client() {
			RealmImports.IntrospectingClient chosen = this.client;
			if (chosen == null) {
				// The files are known once the container is configured, that is started.
				chosen = RealmImports.choose(realmFiles(getContainer().getCopyToFileContainerPathMap()),
						(name) -> this.source.accepts(name, ExtendableKeycloakContainer.class,
								TokenIntrospectionConnectionDetails.class));
				this.client = chosen;
			}
			return chosen;
		}

	}

}
