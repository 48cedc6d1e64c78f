package io.github.tokenintrospection.contract;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.tokenintrospection.internal.possession.CertificateThumbprints;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import io.github.tokenintrospection.testsupport.DPoPProofs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sender-constrained tokens, the same on each {@link Stack}: a DPoP-bound token works
 * with a valid proof of its key only; presented as a bearer token, with a proof of
 * another key, a replayed proof or a proof for another request it gets 401 with a
 * {@code DPoP} challenge; a junk proof costs no introspection call; an unbound token
 * cannot pose as DPoP-bound; a certificate-bound token needs its certificate; where
 * sender-constrained tokens are required, an unbound token gets 401; with server nonces,
 * a proof without one gets 401 with a nonce to retry with.
 */
class SenderConstrainedTokensTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final DPoPProofs client = DPoPProofs.generate();

	/** A client certificate, as a TLS-terminating proxy passes it on. */
	private static final String CLIENT_CERTIFICATE = pem("test-only-tls/client.crt");

	private static final String OTHER_CERTIFICATE = pem("test-only-tls/server.crt");

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final RunningStacks applications = new RunningStacks(properties(false));

	private static final RunningStacks requiring = new RunningStacks(properties(true));

	private static final RunningStacks withNonces = new RunningStacks(withNonces());

	@AfterAll
	static void stop() {
		applications.close();
		requiring.close();
		withNonces.close();
		authorizationServer.close();
	}

	@BeforeEach
	void answerByToken() {
		authorizationServer.answer((token) -> {
			if (token.startsWith("dpop-bound")) {
				return json(200, active("\"cnf\":{\"jkt\":\"" + client.thumbprint() + "\"}"));
			}
			if (token.startsWith("certificate-bound")) {
				return json(200, active(
						"\"cnf\":{\"x5t#S256\":\"" + CertificateThumbprints.ofHeader(CLIENT_CERTIFICATE) + "\"}"));
			}
			return json(200, active(null));
		});
	}

	@ParameterizedTest
	@EnumSource
	void getWhenDPoPBoundTokenWithValidProofThen200(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = "dpop-bound-valid-" + stack;

		HttpResponse<String> response = dpop(application, token, client.proof("GET", url(application), token));

		assertThat(response.statusCode()).as(challenge(response)).isEqualTo(200);
		assertThat(response.body()).isEqualTo("notes of alice");
	}

	@ParameterizedTest
	@EnumSource
	void getWhenValidProofThenHandlerSeesTheAuthorizationHeaderAsSent(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = "dpop-bound-scheme-" + stack;
		String url = "http://localhost:" + application.port() + "/notes/scheme";

		HttpResponse<String> response = dpop(application, "/notes/scheme", token, client.proof("GET", url, token));

		assertThat(response.statusCode()).as(challenge(response)).isEqualTo(200);
		assertThat(response.body()).isEqualTo("DPoP");
	}

	@ParameterizedTest
	@EnumSource
	void getWhenDPoPBoundTokenAsBearerThen401WithDPoPChallenge(Stack stack) {
		RunningStack application = applications.on(stack);

		HttpResponse<String> response = application.get("/notes", "dpop-bound-as-bearer-" + stack);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(challenge(response)).startsWith("DPoP error=\"invalid_token\"").contains("algs=\"ES256 ");
	}

	@ParameterizedTest
	@EnumSource
	void getWhenProofOfAnotherKeyThen401(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = "dpop-bound-other-key-" + stack;

		HttpResponse<String> response = dpop(application, token,
				DPoPProofs.generate().proof("GET", url(application), token));

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(challenge(response)).startsWith("DPoP error=\"invalid_token\"");
	}

	@ParameterizedTest
	@EnumSource
	void getWhenProofReplayedThen401InvalidProof(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = "dpop-bound-replayed-" + stack;
		String proof = client.proof("GET", url(application), token);
		assertThat(dpop(application, token, proof).statusCode()).isEqualTo(200);

		HttpResponse<String> replayed = dpop(application, token, proof);

		assertThat(replayed.statusCode()).isEqualTo(401);
		assertThat(challenge(replayed)).startsWith("DPoP error=\"invalid_dpop_proof\"").contains("used before");
	}

	@ParameterizedTest
	@EnumSource
	void getWhenProofForAnotherRequestOrStaleOrJunkThen401WithoutAnyCall(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = "dpop-bound-junk-" + stack;

		HttpResponse<String> wrongMethod = dpop(application, token, client.proof("POST", url(application), token));
		HttpResponse<String> wrongUri = dpop(application, token,
				client.proof("GET", url(application) + "/elsewhere", token));
		HttpResponse<String> stale = dpop(application, token,
				client.proof().htm("GET").htu(url(application)).ath(token).iat(Instant.now().minusSeconds(120)).sign());
		HttpResponse<String> wrongToken = dpop(application, token, client.proof("GET", url(application), "other"));
		HttpResponse<String> junk = dpop(application, token, "junk.proof.value");

		assertThat(java.util.List.of(wrongMethod, wrongUri, stale, wrongToken, junk)).allSatisfy((response) -> {
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(challenge(response)).startsWith("DPoP error=\"invalid_dpop_proof\"");
		});
		assertThat(authorizationServer.calls(token)).isZero();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenUnboundTokenWithDPoPSchemeThen401AndAsBearerThen200(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = "unbound-" + stack;

		HttpResponse<String> asDPoP = dpop(application, token, client.proof("GET", url(application), token));
		HttpResponse<String> asBearer = application.get("/notes", token);

		assertThat(asDPoP.statusCode()).isEqualTo(401);
		assertThat(asBearer.statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenCertificateBoundTokenWithoutCertificateThen401(Stack stack) {
		HttpResponse<String> response = applications.on(stack).get("/notes", "certificate-bound-" + stack);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(challenge(response)).contains("error=\"invalid_token\"");
	}

	@ParameterizedTest
	@EnumSource
	void getWhenCertificateBoundTokenWithItsCertificateFromTheProxyThen200AndAnotherOne401(Stack stack) {
		RunningStack application = applications.on(stack);
		String token = "certificate-bound-proxied-" + stack;

		HttpResponse<String> same = application.get("/notes", token,
				Map.of("X-Client-Cert", URLEncoder.encode(CLIENT_CERTIFICATE, StandardCharsets.UTF_8)));
		HttpResponse<String> other = application.get("/notes", token,
				Map.of("X-Client-Cert", URLEncoder.encode(OTHER_CERTIFICATE, StandardCharsets.UTF_8)));

		assertThat(same.statusCode()).as(challenge(same)).isEqualTo(200);
		assertThat(other.statusCode()).isEqualTo(401);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenSenderConstraintRequiredThenUnboundRefusedAndBoundAccepted(Stack stack) {
		RunningStack application = requiring.on(stack);
		String bound = "dpop-bound-required-" + stack;

		HttpResponse<String> unbound = application.get("/notes", "unbound-required-" + stack);
		HttpResponse<String> dpop = dpop(application, bound, client.proof("GET", url(application), bound));

		assertThat(unbound.statusCode()).isEqualTo(401);
		assertThat(challenge(unbound)).startsWith("DPoP error=\"invalid_token\"");
		assertThat(dpop.statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenNoncesRequiredThenFirstProof401WithNonceAndRetryWithIt200(Stack stack) {
		RunningStack application = withNonces.on(stack);
		String token = "dpop-bound-nonce-" + stack;

		HttpResponse<String> first = dpop(application, token, client.proof("GET", url(application), token));
		String nonce = first.headers().firstValue("DPoP-Nonce").orElse(null);
		HttpResponse<String> retry = dpop(application, token,
				client.proof().htm("GET").htu(url(application)).ath(token).nonce(nonce).sign());

		assertThat(first.statusCode()).isEqualTo(401);
		assertThat(challenge(first)).startsWith("DPoP error=\"use_dpop_nonce\"");
		assertThat(nonce).isNotBlank();
		assertThat(retry.statusCode()).isEqualTo(200);
		assertThat(authorizationServer.calls(token)).isEqualTo(1);
	}

	private static HttpResponse<String> dpop(RunningStack application, String token, String proof) {
		return dpop(application, "/notes", token, proof);
	}

	private static HttpResponse<String> dpop(RunningStack application, String path, String token, String proof) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Authorization", "DPoP " + token);
		headers.put("DPoP", proof);
		return application.get(path, token, headers);
	}

	private static String challenge(HttpResponse<String> response) {
		return response.headers().firstValue("WWW-Authenticate").orElse("");
	}

	private static String url(RunningStack application) {
		return "http://localhost:" + application.port() + "/notes";
	}

	private static String active(String member) {
		return "{\"active\":true,\"sub\":\"alice\",\"exp\":4102444800,\"token_type\":\"Bearer\",\"scope\":\"read\""
				+ ((member != null) ? "," + member : "") + "}";
	}

	private static Map<String, Object> withNonces() {
		Map<String, Object> properties = new LinkedHashMap<>(properties(false));
		properties.put("token-introspection.sender-constraint.dpop.nonce.enabled", "true");
		return properties;
	}

	private static Map<String, Object> properties(boolean required) {
		return Map.of(OPAQUETOKEN + "introspection-uri", authorizationServer.url(), OPAQUETOKEN + "client-id",
				"notes-api", OPAQUETOKEN + "client-secret", "s3cret", "token-introspection.sender-constraint.required",
				Boolean.toString(required), "token-introspection.sender-constraint.certificate-header",
				"X-Client-Cert");
	}

	private static String pem(String resource) {
		try (var in = SenderConstrainedTokensTests.class.getClassLoader().getResourceAsStream(resource)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
