package io.github.tokenintrospection.test;

import java.time.Instant;

/**
 * Introspection answers as the authorization server of application.properties would send
 * them.
 */
final class Answers {

	static final String ISSUER = "https://login.example.com";

	private Answers() {
	}

	/**
	 * An active answer for alice, valid for an hour, with the given scope and audience.
	 */
	static String active(String scope, String audience) {
		return "{\"active\":true,\"sub\":\"alice\",\"iss\":\"" + ISSUER + "\",\"aud\":\"" + audience + "\",\"scope\":\""
				+ scope + "\",\"exp\":" + inAnHour() + "}";
	}

	static String readOrders() {
		return active("orders:read", "orders-api");
	}

	static long inAnHour() {
		return Instant.now().plusSeconds(3600).getEpochSecond();
	}

}
