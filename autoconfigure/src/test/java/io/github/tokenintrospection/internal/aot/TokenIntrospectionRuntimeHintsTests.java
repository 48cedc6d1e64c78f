package io.github.tokenintrospection.internal.aot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.client.IntrospectionResponseReader;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's runtime hints cover what it does by reflection at run time.
 */
class TokenIntrospectionRuntimeHintsTests {

	/** Keycloak's answer for a password-grant token, with every kind of claim value. */
	private static final String KEYCLOAK_ANSWER = """
			{"active":true,"exp":1893456000,"iat":1893455700,"jti":"0b8f3c1e","iss":"https://login.example.com/realms/notes",
			 "aud":["notes-api","account"],"sub":"5d1f","typ":"Bearer","azp":"notes-web","acr":"1",
			 "realm_access":{"roles":["user","admin"]},"resource_access":{"notes-api":{"roles":["editor"]}},
			 "scope":"openid notes:read","email_verified":false,"preferred_username":"alice","client_id":"notes-web",
			 "username":"alice","token_type":"Bearer","auth_time":1893455600.5,"weight":12345678901234567890}""";

	private final RuntimeHints hints = new RuntimeHints();

	TokenIntrospectionRuntimeHintsTests() {
		new TokenIntrospectionRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void registerHintsWhenParsedResultSerializedThenEveryClassWrittenIsRegistered() throws IOException {
		IntrospectedToken token = new IntrospectionResponseReader()
			.read(KEYCLOAK_ANSWER.getBytes(StandardCharsets.UTF_8));

		Set<Class<?>> written = classesWritten(token);

		assertThat(written).contains(IntrospectedToken.class);
		assertThat(written).allSatisfy((type) -> assertThat(RuntimeHintsPredicates.serialization().onType(type))
			.as("serialization hint for %s", type.getName())
			.accepts(this.hints));
	}

	@Test
	void registerHintsWhenInactiveResultSerializedThenEveryClassWrittenIsRegistered() throws IOException {
		assertThat(classesWritten(IntrospectedToken.inactive()))
			.allSatisfy((type) -> assertThat(RuntimeHintsPredicates.serialization().onType(type)).accepts(this.hints));
	}

	@Test
	void registerHintsThenTheClassLookedUpByNameIsRegistered() {
		assertThat(ClassUtils.isPresent(TokenIntrospectionRuntimeHints.REACTOR_NETTY_CLIENT, null)).isTrue();
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(TokenIntrospectionRuntimeHints.REACTOR_NETTY_CLIENT))).accepts(this.hints);
	}

	@Test
	void aotFactoriesWhenLoadedThenTheRegistrarIsFound() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(TokenIntrospectionRuntimeHints.class);
	}

	/**
	 * The value's class (replaced by its serialized form before any hook sees it) and every
	 * class whose descriptor JDK serialization writes for it.
	 */
	private static Set<Class<?>> classesWritten(Object value) throws IOException {
		Set<Class<?>> classes = new LinkedHashSet<>();
		classes.add(value.getClass());
		try (ObjectOutputStream out = new RecordingObjectOutputStream(new ByteArrayOutputStream(), classes)) {
			out.writeObject(value);
		}
		return classes;
	}

	private static final class RecordingObjectOutputStream extends ObjectOutputStream {

		private final Set<Class<?>> classes;

		RecordingObjectOutputStream(OutputStream out, Set<Class<?>> classes) throws IOException {
			super(out);
			this.classes = classes;
			enableReplaceObject(true);
		}

		@Override
		protected void annotateClass(Class<?> type) {
			this.classes.add(type);
		}

		@Override
		protected Object replaceObject(Object object) {
			// Arrays and the serial proxies of JDK values (writeReplace) too.
			this.classes.add(object.getClass());
			return object;
		}

	}

}
