package io.github.tokenintrospection.internal.possession;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
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
