package io.github.tokenintrospection.internal.observation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.internal.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.validation.DelegatingClaimsValidator;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.testsupport.MutableClock;
import io.github.tokenintrospection.validation.AudienceValidator;
import io.github.tokenintrospection.validation.TimestampValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The audit trail as an operator sees it: one INFO line per decision on the audit logger,
 * every field present, the token never, and claim values unable to forge log lines.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditTrailListenerTests {

	/** Recognizable, so that any leak shows. */
	private static final String TOKEN = "SECRET-OPAQUE-TOKEN-7e3f9a2b-do-not-log";

	private static final String LINE_START = "token-introspection decision=";

	private static final String ENDPOINT = "https://as.example/introspect";

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final Map<String, IntrospectedToken> answers = new HashMap<>();

	private final AtomicInteger serverCalls = new AtomicInteger();

	private final List<PublishedEvent> published = new ArrayList<>();

	private final AuditTrailListener listener = new AuditTrailListener(
			(principal, type, data) -> this.published.add(new PublishedEvent(principal, type, data)), true,
			() -> ENDPOINT, "notes-api");

	@Test
	void decisionMadeWhenAcceptedThenOneInfoLineWithEveryFieldAndNeverTheToken(CapturedOutput output) {
		this.answers.put(TOKEN,
				activeToken("alice", "notes-web", List.of("read", "write"), List.of("notes-api", "audit-api")));

		introspector().introspect(TOKEN);

		String line = auditLine(output);
		String fingerprint = IntrospectionCacheControl.fingerprint(TOKEN);
		assertThat(fingerprint).matches("[0-9a-f]{12}");
		assertThat(line).contains(" INFO ")
			.contains(AuditTrailListener.LOGGER_NAME)
			.endsWith("token-introspection decision=accepted reason=none cache=miss path=introspection fingerprint="
					+ fingerprint
					+ " active=true client_id=notes-web sub=alice scope=\"read write\" aud=notes-api,audit-api"
					+ " exp=1893459600 format=json proof=none server=default endpoint=https://as.example/introspect rs_client_id=notes-api request_id=none");
		assertThat(output.getAll()).doesNotContain(TOKEN);
	}

	@Test
	void decisionMadeWhenServedFromCacheThenLineSaysHitAndSameFingerprint(CapturedOutput output) {
		this.answers.put(TOKEN, activeToken("alice", "notes-web", List.of("read"), List.of("notes-api")));
		ValidatingOpaqueTokenIntrospector introspector = introspector();

		introspector.introspect(TOKEN);
		introspector.introspect(TOKEN);

		List<String> lines = auditLines(output);
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0)).contains("cache=miss ");
		assertThat(lines.get(1))
			.contains("decision=accepted reason=none cache=hit path=introspection fingerprint="
					+ IntrospectionCacheControl.fingerprint(TOKEN) + " ")
			.contains(" scope=read ");
		assertThat(this.serverCalls).hasValue(1);
		assertThat(output.getAll()).doesNotContain(TOKEN);
	}

	@Test
	void decisionMadeWhenCacheHitsNotIncludedThenAcceptedHitsSkippedButMissesAndRejectionsRecorded(
			CapturedOutput output) {
		List<PublishedEvent> events = new ArrayList<>();
		AuditTrailListener byDefault = new AuditTrailListener(
				(principal, type, data) -> events.add(new PublishedEvent(principal, type, data)), false);
		IntrospectedToken token = activeToken("carol", "c1", List.of(), List.of());

		byDefault.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(),
				CacheStatus.MISS, "00000000000a", token));
		byDefault.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(),
				CacheStatus.HIT, "00000000000b", token));
		byDefault.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.REJECTED, List.of("expired"),
				CacheStatus.HIT, "00000000000c", token));

		assertThat(auditLines(output)).hasSize(2)
			.anySatisfy((line) -> assertThat(line).contains("fingerprint=00000000000a"))
			.anySatisfy((line) -> assertThat(line).contains("fingerprint=00000000000c"))
			.noneSatisfy((line) -> assertThat(line).contains("fingerprint=00000000000b"));
		assertThat(events).hasSize(2);
	}

	@Test
	void decisionMadeWhenRejectedForAudienceThenLineHasReasonAndClaims(CapturedOutput output) {
		this.answers.put(TOKEN, activeToken("bob", "reports", List.of("read"), List.of("reports-api")));

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector().introspect(TOKEN));

		assertThat(auditLine(output))
			.endsWith("token-introspection decision=rejected reason=audience cache=miss path=introspection fingerprint="
					+ IntrospectionCacheControl.fingerprint(TOKEN)
					+ " active=true client_id=reports sub=bob scope=read aud=reports-api"
					+ " exp=1893459600 format=json proof=none server=default endpoint=https://as.example/introspect rs_client_id=notes-api request_id=none");
		assertThat(output.getAll()).doesNotContain(TOKEN);
	}

	@Test
	void decisionMadeWhenInactiveTwiceThenMissThenNegativeHitWithEmptyClaimsQuoted(CapturedOutput output) {
		ValidatingOpaqueTokenIntrospector introspector = introspector();

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector.introspect(TOKEN));
		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector.introspect(TOKEN));

		String fingerprint = IntrospectionCacheControl.fingerprint(TOKEN);
		assertThat(auditLines(output)).satisfiesExactly((line) -> assertThat(line)
			.endsWith("decision=rejected reason=inactive cache=miss path=introspection fingerprint=" + fingerprint
					+ " active=false client_id=\"\" sub=\"\" scope=\"\" aud=\"\" exp=\"\" format=json proof=none"
					+ " server=default endpoint=" + ENDPOINT + " rs_client_id=notes-api request_id=none"),
				(line) -> assertThat(line)
					.endsWith("decision=rejected reason=inactive cache=negative_hit path=introspection fingerprint="
							+ fingerprint
							+ " active=false client_id=\"\" sub=\"\" scope=\"\" aud=\"\" exp=\"\" format=json proof=none"
							+ " server=default endpoint=" + ENDPOINT + " rs_client_id=notes-api request_id=none"));
		assertThat(this.published).extracting(PublishedEvent::principal, PublishedEvent::type)
			.containsOnly(org.assertj.core.groups.Tuple.tuple("anonymous", "TOKEN_INTROSPECTION_REJECTED"));
		assertThat(output.getAll()).doesNotContain(TOKEN);
	}

	@Test
	void decisionMadeWhenServerFailsThenErrorLineWithoutToken(CapturedOutput output) {
		IntrospectionClient failing = (token) -> {
			throw new OAuth2IntrospectionException("Introspection endpoint answered HTTP 500");
		};

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> introspector(failing).introspect(TOKEN));

		assertThat(auditLine(output))
			.contains("decision=error reason=unavailable cache=none path=introspection fingerprint="
					+ IntrospectionCacheControl.fingerprint(TOKEN) + " active=false");
		assertThat(this.published).singleElement()
			.satisfies((event) -> assertThat(event.type()).isEqualTo("TOKEN_INTROSPECTION_ERROR"));
		assertThat(output.getAll()).doesNotContain(TOKEN);
	}

	@Test
	void decisionMadeWhenAcceptedThenSinkGetsSubjectAsPrincipalAndTheSameData() {
		this.answers.put(TOKEN, activeToken("alice", "notes-web", List.of("read", "write"), List.of("notes-api")));

		introspector().introspect(TOKEN);

		assertThat(this.published).singleElement().satisfies((event) -> {
			assertThat(event.principal()).isEqualTo("alice");
			assertThat(event.type()).isEqualTo("TOKEN_INTROSPECTION_ACCEPTED");
			assertThat(event.data()).containsExactly(entry("decision", "accepted"), entry("reason", "none"),
					entry("cache", "miss"), entry("path", "introspection"),
					entry("fingerprint", IntrospectionCacheControl.fingerprint(TOKEN)), entry("active", true),
					entry("client_id", "notes-web"), entry("sub", "alice"), entry("scope", "read write"),
					entry("aud", "notes-api"), entry("exp", 1893459600L), entry("format", "json"),
					entry("proof", "none"), entry("server", "default"), entry("endpoint", ENDPOINT),
					entry("rs_client_id", "notes-api"), entry("request_id", "none"));
			assertThat(event.data().values())
				.allSatisfy((value) -> assertThat(String.valueOf(value)).doesNotContain(TOKEN));
		});
	}

	@Test
	void decisionMadeWhenRejectedThenSinkGetsRejectedTypeAndReasons() {
		this.answers.put(TOKEN, activeToken("bob", "reports", List.of("read"), List.of("reports-api")));

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector().introspect(TOKEN));

		assertThat(this.published).singleElement().satisfies((event) -> {
			assertThat(event.principal()).isEqualTo("bob");
			assertThat(event.type()).isEqualTo("TOKEN_INTROSPECTION_REJECTED");
			assertThat(event.data()).contains(entry("decision", "rejected"), entry("reason", "audience"),
					entry("cache", "miss"), entry("active", true), entry("sub", "bob"), entry("client_id", "reports"),
					entry("aud", "reports-api"));
		});
	}

	@Test
	void decisionMadeWhenSubjectHasLineBreakThenStillOneLineAndNoForgedEntry(CapturedOutput output) {
		String forged = "2030-01-01T00:00:00.000Z  INFO 1 --- [main] io.github.tokenintrospection.audit : "
				+ "token-introspection decision=accepted sub=admin";
		this.answers.put(TOKEN,
				activeToken("mallory\n" + forged, "evil\r\nclient", List.of("read"), List.of("notes-api")));

		introspector().introspect(TOKEN);

		assertThat(output.getAll().lines().filter((line) -> line.contains("token-introspection decision="))).hasSize(1);
		assertThat(output.getAll().lines().filter((line) -> line.contains("sub=admin"))).singleElement()
			.asString()
			.contains(LINE_START + "accepted reason=none cache=miss")
			.contains(" client_id=\"evil??client\" ")
			.contains(" sub=\"mallory?2030-01-01T00:00:00.000Z  INFO 1 --- [main] io.github.tokenintrospection.audit : "
					+ "token-introspection decision=accepted sub=admin\" ");
	}

	@Test
	void decisionMadeWhenClaimHasQuotesBackslashesAndEqualsThenTheyAreEscapedInsideQuotes(CapturedOutput output) {
		this.answers.put(TOKEN,
				activeToken("eve\" admin=\"true", "a\\b", List.of("read"), List.of("notes-api", "x=y")));

		introspector().introspect(TOKEN);

		assertThat(auditLine(output)).contains(" client_id=a\\b ")
			.contains(" sub=\"eve\\\" admin=\\\"true\" ")
			.contains(" aud=\"notes-api,x=y\" ");
	}

	@Test
	void lineWhenValueHasOtherControlOrLineSeparatorCharactersThenTheyAreReplacedInsideQuotes() {
		Map<String, Object> data = new java.util.LinkedHashMap<>();
		data.put("tab", "a\tb");
		data.put("nul", "a\u0000b");
		data.put("del", "a\u007fb");
		data.put("nel", "a\u0085b");
		data.put("csi", "a\u009b31mb");
		data.put("ls", "a\u2028b");
		data.put("ps", "a\u2029b");
		data.put("plain", "é-ok");

		String line = AuditTrailListener.line(data);

		assertThat(line).isEqualTo("token-introspection tab=\"a?b\" nul=\"a?b\" del=\"a?b\" nel=\"a?b\" csi=\"a?31mb\""
				+ " ls=\"a?b\" ps=\"a?b\" plain=é-ok");
		assertThat(line.lines()).hasSize(1);
	}

	@Test
	void decisionMadeWhenLocalJwtPathThenRejectionsRecordedWithPathAndAcceptancesOnlyWhenCacheHitsIncluded(
			CapturedOutput output) {
		AuditTrailListener byDefault = new AuditTrailListener(null, false);
		IntrospectedToken token = activeToken("erin", "c3", List.of("read"), List.of("notes-api"));

		byDefault.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(),
				CacheStatus.NONE, "00000000001a", token, IntrospectionDecision.Path.LOCAL));
		byDefault.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.REJECTED, List.of("expired"),
				CacheStatus.NONE, "00000000001b", token, IntrospectionDecision.Path.LOCAL));
		this.listener.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(),
				CacheStatus.NONE, "00000000001c", token, IntrospectionDecision.Path.LOCAL));

		assertThat(auditLines(output)).hasSize(2)
			.anySatisfy((line) -> assertThat(line)
				.contains("decision=rejected reason=expired cache=none path=local fingerprint=00000000001b"))
			.anySatisfy((line) -> assertThat(line)
				.contains("decision=accepted reason=none cache=none path=local fingerprint=00000000001c"))
			.noneSatisfy((line) -> assertThat(line).contains("fingerprint=00000000001a"));
	}

	@Test
	void decisionMadeWhenNoSinkThenOnlyLogged(CapturedOutput output) {
		AuditTrailListener withoutSink = new AuditTrailListener(null, true);

		withoutSink.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(),
				CacheStatus.HIT, "0123456789ab", activeToken("carol", "c1", List.of(), List.of())));

		assertThat(auditLine(output))
			.endsWith("decision=accepted reason=none cache=hit path=introspection fingerprint=0123456789ab"
					+ " active=true client_id=c1 sub=carol scope=\"\" aud=\"\" exp=1893459600 format=json proof=none server=default endpoint=\"\""
					+ " rs_client_id=\"\" request_id=none");
	}

	@Test
	void decisionMadeWhenTokenIsSenderConstrainedThenLineNamesTheProofCheckedNeverTheThumbprint(CapturedOutput output) {
		AuditTrailListener withoutSink = new AuditTrailListener(null, true);
		IntrospectedToken dpopBound = IntrospectedToken
			.active(Map.of("active", true, "sub", "carol", "cnf", Map.of("jkt", "key-thumbprint-0f3a")));
		IntrospectedToken certificateBound = IntrospectedToken
			.active(Map.of("active", true, "sub", "dave", "cnf", Map.of("x5t#S256", "certificate-thumbprint-9c1e")));

		withoutSink.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(),
				CacheStatus.MISS, "00000000000a", dpopBound));
		withoutSink.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(),
				CacheStatus.MISS, "00000000000b", certificateBound));

		assertThat(auditLines(output)).satisfiesExactly(
				(line) -> assertThat(line).contains("fingerprint=00000000000a").contains(" proof=dpop "),
				(line) -> assertThat(line).contains("fingerprint=00000000000b").contains(" proof=certificate "));
		assertThat(output.getAll()).doesNotContain("key-thumbprint-0f3a").doesNotContain("certificate-thumbprint-9c1e");
	}

	@Test
	void decisionMadeWhenSeveralReasonsThenAllListedCommaSeparated(CapturedOutput output) {
		this.listener.decisionMade(
				new IntrospectionDecision(IntrospectionDecision.Outcome.REJECTED, List.of("expired", "audience"),
						CacheStatus.HIT, "0123456789ab", activeToken("dave", "c2", List.of("read"), List.of("other"))));

		assertThat(auditLine(output)).contains("decision=rejected reason=expired,audience cache=hit ");
		assertThat(this.published).singleElement()
			.satisfies((event) -> assertThat(event.data()).containsEntry("reason", "expired,audience"));
	}

	@Test
	void decisionMadeWhenWithinRequestThenLineCarriesTheRequestIdAndOutcomeSharesIt(CapturedOutput output) {
		RequestAudit request = new RequestAudit("req-42");

		RequestAudit.within(request, () -> {
			this.listener.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(),
					CacheStatus.MISS, "0123456789ab", activeToken("alice", "c1", List.of("read"), List.of())));
			return null;
		});
		request.denied("hasAuthority('SCOPE_admin')");
		this.listener.requestCompleted(request, "DELETE", () -> "/notes/{id}", 403);

		assertThat(auditLine(output)).endsWith(" request_id=req-42");
		assertThat(output.getAll()).contains("token-introspection request=completed status=403 method=DELETE "
				+ "path=/notes/{id} denied_rule=hasAuthority('SCOPE_admin') decision=accepted fingerprint=0123456789ab"
				+ " request_id=req-42");
		assertThat(this.published).extracting(PublishedEvent::principal, PublishedEvent::type)
			.containsExactly(tuple("alice", "TOKEN_INTROSPECTION_ACCEPTED"),
					tuple("alice", "TOKEN_INTROSPECTION_REQUEST_COMPLETED"));
	}

	@Test
	void requestCompletedWhenCacheHitNotRecordedAndSuccessfulThenNoOutcomeLine(CapturedOutput output) {
		AuditTrailListener quiet = new AuditTrailListener(null, false, () -> ENDPOINT, "notes-api");
		RequestAudit successful = new RequestAudit("ok-1");
		RequestAudit denied = new RequestAudit("denied-1");

		for (RequestAudit request : List.of(successful, denied)) {
			RequestAudit.within(request, () -> {
				quiet.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.ACCEPTED, List.of(),
						CacheStatus.HIT, "0123456789ab", activeToken("alice", "c1", List.of(), List.of())));
				return null;
			});
		}
		quiet.requestCompleted(successful, "GET", () -> "/notes", 200);
		quiet.requestCompleted(denied, "GET", () -> "/notes", 500);

		// A failed request is recorded even when its cached decision was not.
		assertThat(output.getAll().lines().filter((line) -> line.contains("token-introspection ")).toList())
			.singleElement()
			.satisfies((line) -> assertThat(line).endsWith("token-introspection request=completed status=500 "
					+ "method=GET path=/notes denied_rule=none decision=accepted fingerprint=0123456789ab "
					+ "request_id=denied-1"));
	}

	@Test
	void requestCompletedWhenNoTokenDecisionThenNothingRecorded(CapturedOutput output) {
		this.listener.requestCompleted(new RequestAudit("anonymous-1"), "GET", () -> "/public", 403);

		assertThat(output.getAll()).doesNotContain("token-introspection");
		assertThat(this.published).isEmpty();
	}

	private ValidatingOpaqueTokenIntrospector introspector() {
		return introspector((token) -> {
			this.serverCalls.incrementAndGet();
			return this.answers.getOrDefault(token, IntrospectedToken.inactive());
		});
	}

	private ValidatingOpaqueTokenIntrospector introspector(IntrospectionClient client) {
		CachingIntrospectionClient caching = new CachingIntrospectionClient(client,
				IntrospectionCaches.activeTokens(Duration.ofMinutes(5), 100, this.clock),
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(30), 100), this.clock);
		DelegatingClaimsValidator validator = new DelegatingClaimsValidator(
				List.of(new TimestampValidator(Duration.ofSeconds(30), this.clock),
						new AudienceValidator(List.of("notes-api"))));
		return new ValidatingOpaqueTokenIntrospector(caching, validator,
				new IntrospectionAuthoritiesConverter(List.of("scope"), "SCOPE_", List.of(), "ROLE_"), "sub",
				this.listener);
	}

	private IntrospectedToken activeToken(String subject, String clientId, List<String> scopes,
			List<String> audiences) {
		return IntrospectedToken.active(Map.of("sub", subject, "client_id", clientId, "scope", scopes, "aud", audiences,
				"exp", Instant.parse("2030-01-01T01:00:00Z"), "token_type", "Bearer"));
	}

	private static String auditLine(CapturedOutput output) {
		List<String> lines = auditLines(output);
		assertThat(lines).as("audit lines in %s", output.getAll()).hasSize(1);
		return lines.get(0);
	}

	private static List<String> auditLines(CapturedOutput output) {
		return output.getAll().lines().filter((line) -> line.contains(LINE_START)).toList();
	}

	record PublishedEvent(String principal, String type, Map<String, Object> data) {
	}

}
