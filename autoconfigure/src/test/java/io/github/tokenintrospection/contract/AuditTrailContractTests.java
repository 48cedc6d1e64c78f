package io.github.tokenintrospection.contract;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail of whole requests, the same on both stacks: a decision line for the
 * token and an outcome line for the request, sharing the request's correlation id; the
 * outcome names the handler pattern, the status and, for a 403 from
 * {@code @PreAuthorize}, the rule that denied it; no line holds the token.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditTrailContractTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final AuthorizationServerStub authorizationServer = startAuthorizationServer();

	private static final RunningStacks applications = new RunningStacks(
			Map.of(OPAQUETOKEN + "introspection-uri", authorizationServer.url(), OPAQUETOKEN + "client-id", "notes-api",
					OPAQUETOKEN + "client-secret", "s3cret"));

	private static final Pattern REQUEST_ID = Pattern.compile(" request_id=(\\S+)");

	@AfterAll
	static void stop() {
		applications.close();
		authorizationServer.close();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenAcceptedThenDecisionAndOutcomeLinesShareTheRequestId(Stack stack, CapturedOutput output) {
		String token = token(stack, "read");

		assertThat(applications.on(stack).get("/notes?page=2&secret=" + token, token).statusCode()).isEqualTo(200);

		Lines lines = awaitLines(output, token);
		assertThat(lines.decision()).contains(" decision=accepted ")
			.contains(" exp=4102444800 format=json proof=none server=default endpoint=" + authorizationServer.url()
					+ " rs_client_id=notes-api ");
		assertThat(lines.outcome()).contains("token-introspection request=completed status=200 method=GET path=/notes "
				+ "denied_rule=none decision=accepted");
		assertThat(output.getAll()).doesNotContain(token);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenInactiveThenDecisionAndOutcomeLinesShareTheRequestId(Stack stack, CapturedOutput output) {
		String token = token(stack, "inactive");

		assertThat(applications.on(stack).get("/notes", token).statusCode()).isEqualTo(401);

		Lines lines = awaitLines(output, token);
		assertThat(lines.decision()).contains(" decision=rejected reason=inactive ").contains(" format=json ");
		assertThat(lines.outcome()).contains("token-introspection request=completed status=401 method=GET path=/notes "
				+ "denied_rule=none decision=rejected");
		assertThat(output.getAll()).doesNotContain(token);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenPreAuthorizeDeniesThenOutcomeLineNamesTheRuleAndSharesTheRequestId(Stack stack, CapturedOutput output) {
		String token = token(stack, "write");

		assertThat(applications.on(stack).get("/notes", token).statusCode()).isEqualTo(403);

		Lines lines = awaitLines(output, token);
		assertThat(lines.decision()).contains(" decision=accepted ");
		assertThat(lines.outcome()).contains("token-introspection request=completed status=403 method=GET path=/notes "
				+ "denied_rule=hasAuthority('SCOPE_read') decision=accepted");
		assertThat(output.getAll()).doesNotContain(token);
	}

	/**
	 * Waits for the request's two lines and checks that they share the correlation id.
	 */
	private static Lines awaitLines(CapturedOutput output, String token) {
		String fingerprint = " fingerprint=" + IntrospectionCacheControl.fingerprint(token) + " ";
		Lines[] found = new Lines[1];
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<String> lines = output.getAll().lines().filter((line) -> line.contains(fingerprint)).toList();
			assertThat(lines).hasSize(2);
			found[0] = new Lines(lines.get(0), lines.get(1));
		});
		Lines lines = found[0];
		assertThat(lines.decision()).contains("token-introspection decision=");
		assertThat(lines.outcome()).contains("token-introspection request=completed ");
		String requestId = requestId(lines.decision());
		assertThat(requestId).isNotBlank().isNotEqualTo("none");
		assertThat(requestId(lines.outcome())).isEqualTo(requestId);
		return lines;
	}

	private static String requestId(String line) {
		Matcher matcher = REQUEST_ID.matcher(line);
		assertThat(matcher.find()).as("request_id in " + line).isTrue();
		return matcher.group(1);
	}

	private static String token(Stack stack, String kind) {
		return kind + "-audit-" + stack.name().toLowerCase(Locale.ROOT) + "-7c1e9d";
	}

	private static AuthorizationServerStub startAuthorizationServer() {
		AuthorizationServerStub server = new AuthorizationServerStub();
		server.answer((token) -> json(200,
				token.startsWith("inactive") ? "{\"active\":false}"
						: "{\"active\":true,\"sub\":\"alice\",\"exp\":4102444800,\"token_type\":\"Bearer\",\"scope\":\""
								+ token.substring(0, token.indexOf('-')) + "\"}"));
		return server;
	}

	private record Lines(String decision, String outcome) {
	}

}
