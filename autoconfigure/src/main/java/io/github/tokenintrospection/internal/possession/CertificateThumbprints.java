package io.github.tokenintrospection.internal.possession;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * The certificate thumbprint of RFC 8705 section 3.1, as a token's {@code cnf.x5t#S256}
 * holds it.
 */
public final class CertificateThumbprints {

	private CertificateThumbprints() {
	}

	/** Longest header value read: a certificate, PEM and URL-encoded. */
	private static final int MAX_HEADER_LENGTH = 16 * 1024;

	/**
	 * The thumbprint of a client certificate that a TLS-terminating proxy passed in a
	 * header: PEM, URL-encoded (nginx's {@code $ssl_client_escaped_cert}) or not, or
	 * Base64 DER. The value is hostile input: anything that is not one certificate gives
	 * {@code null}, never an exception.
	 * @param header the header's value, or {@code null}
	 * @return the thumbprint, or {@code null}
	 */
	public static @Nullable String ofHeader(@Nullable String header) {
		if (header == null || header.isBlank() || header.length() > MAX_HEADER_LENGTH) {
			return null;
		}
		try {
			String value = header.strip();
			if (value.indexOf('%') >= 0) {
				value = URLDecoder.decode(value, StandardCharsets.UTF_8);
			}
			String base64 = value.replace("-----BEGIN CERTIFICATE-----", "")
				.replace("-----END CERTIFICATE-----", "")
				.replaceAll("\\s", "");
			byte[] der = Base64.getDecoder().decode(base64);
			Certificate certificate = CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(der));
			return (certificate instanceof X509Certificate x509) ? of(x509) : null;
		}
		catch (CertificateException | RuntimeException ex) {
			// Not one certificate (hostile input): none presented.
			return null;
		}
	}

	/**
	 * Computes a certificate's thumbprint.
	 * @param certificate the client certificate
	 * @return base64url(SHA-256(DER)), or {@code null} when it cannot be encoded
	 */
	public static @Nullable String of(X509Certificate certificate) {
		try {
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
		}
		catch (CertificateEncodingException ex) {
			return null;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
