package io.github.tokenintrospection.internal.possession;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client certificate a TLS-terminating proxy passes in a header: each usual encoding
 * read, anything else none, never an exception.
 */
class CertificateThumbprintsTests {

	private static final String PEM = read("test-only-tls/client.crt");

	@Test
	void ofHeaderWhenPemUrlEncodedOrBase64DerThenTheCertificatesThumbprint() throws Exception {
		String expected = CertificateThumbprints.of((X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new java.io.ByteArrayInputStream(PEM.getBytes(StandardCharsets.US_ASCII))));
		String der = Base64.getEncoder()
			.encodeToString(Base64.getMimeDecoder()
				.decode(PEM.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "")));

		assertThat(expected).isNotNull().hasSize(43);
		assertThat(CertificateThumbprints.ofHeader(PEM)).isEqualTo(expected);
		assertThat(CertificateThumbprints.ofHeader(URLEncoder.encode(PEM, StandardCharsets.UTF_8))).isEqualTo(expected);
		assertThat(CertificateThumbprints.ofHeader(der)).isEqualTo(expected);
	}

	@Test
	void ofHeaderWhenMissingOrNotACertificateThenNone() {
		assertThat(CertificateThumbprints.ofHeader(null)).isNull();
		assertThat(CertificateThumbprints.ofHeader("")).isNull();
		assertThat(CertificateThumbprints.ofHeader("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
			.isNull();
		assertThat(CertificateThumbprints.ofHeader("%zz")).isNull();
	}

	@Property(tries = 2000)
	void ofHeaderWhenAnyValueThenNeverThrowsAndNeverAThumbprint(@ForAll("headers") String header) {
		assertThat(CertificateThumbprints.ofHeader(header)).isNull();
	}

	@Provide
	Arbitrary<String> headers() {
		Arbitrary<String> truncated = Arbitraries.integers()
			.between(0, PEM.length() - 40)
			.map((end) -> PEM.substring(0, end) + "\n-----END CERTIFICATE-----");
		Arbitrary<String> base64 = Arbitraries.strings()
			.withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=%")
			.ofMaxLength(3000);
		return Arbitraries.oneOf(truncated, base64, Arbitraries.strings().ofMaxLength(500));
	}

	private static String read(String resource) {
		try (InputStream in = CertificateThumbprintsTests.class.getClassLoader().getResourceAsStream(resource)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
