package io.github.tokenintrospection.internal.jose;

import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;

/**
 * Decrypts an encrypted introspection answer (RFC 9701: a JWE whose payload is the signed
 * answer) with the resource server's private key: RSA-OAEP(-256) for an RSA key, ECDH-ES
 * (with or without key wrapping) for an EC key. RSA1_5 and direct symmetric encryption
 * are refused. The signed answer inside is then verified like any other.
 */
public final class AnswerDecryption {

	private static final Set<JWEAlgorithm> ALGORITHMS = Set.of(JWEAlgorithm.RSA_OAEP_256, JWEAlgorithm.RSA_OAEP_384,
			JWEAlgorithm.RSA_OAEP_512, JWEAlgorithm.RSA_OAEP, JWEAlgorithm.ECDH_ES, JWEAlgorithm.ECDH_ES_A128KW,
			JWEAlgorithm.ECDH_ES_A192KW, JWEAlgorithm.ECDH_ES_A256KW);

	private final JWEDecrypter decrypter;

	/**
	 * Creates the decryption.
	 * @param privateKey the resource server's RSA or EC private key
	 * @throws IllegalArgumentException when the key is of another kind or unusable
	 */
	public AnswerDecryption(PrivateKey privateKey) {
		Assert.notNull(privateKey, "privateKey must not be null");
		try {
			if (privateKey instanceof RSAPrivateKey rsa) {
				this.decrypter = new RSADecrypter(rsa);
			}
			else if (privateKey instanceof ECPrivateKey ec) {
				this.decrypter = new ECDHDecrypter(ec);
			}
			else {
				throw new IllegalArgumentException("a " + privateKey.getAlgorithm()
						+ " key cannot decrypt answers: an RSA or EC private key is needed");
			}
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("the key cannot decrypt answers: " + ex.getMessage(), ex);
		}
	}

	SignedJWT decrypt(EncryptedJWT encrypted) {
		JWEAlgorithm algorithm = encrypted.getHeader().getAlgorithm();
		if (!ALGORITHMS.contains(algorithm)) {
			throw new OAuth2IntrospectionException(
					"Signed introspection answer rejected: its encryption algorithm " + algorithm + " is not accepted");
		}
		try {
			encrypted.decrypt(this.decrypter);
		}
		catch (JOSEException | RuntimeException ex) {
			throw new OAuth2IntrospectionException(
					"Signed introspection answer rejected: it does not decrypt (" + ex.getMessage() + ")");
		}
		SignedJWT signed = encrypted.getPayload().toSignedJWT();
		if (signed == null) {
			throw new OAuth2IntrospectionException(
					"Signed introspection answer rejected: the encrypted answer holds no signed JWT");
		}
		return signed;
	}

}
