package io.github.tokenintrospection.internal.cache.shared;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * AES-256-GCM for cached claims at rest: a fresh random nonce per value, stored in front
 * of the ciphertext, whose tag also proves the value was written with the same key.
 */
final class ClaimsCipher {

	/** Length of an AES-256 key in bytes. */
	static final int KEY_LENGTH = 32;

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private static final int NONCE_LENGTH = 12;

	private static final int TAG_BITS = 128;

	private final SecretKey key;

	private final SecureRandom random = new SecureRandom();

	ClaimsCipher(byte[] key) {
		Assert.isTrue(key != null && key.length == KEY_LENGTH, "key must be 256 bits");
		this.key = new SecretKeySpec(key, "AES");
	}

	byte[] encrypt(byte[] plaintext) {
		byte[] nonce = new byte[NONCE_LENGTH];
		this.random.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, nonce));
			byte[] ciphertext = cipher.doFinal(plaintext);
			return ByteBuffer.allocate(NONCE_LENGTH + ciphertext.length).put(nonce).put(ciphertext).array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is required of every Java platform", ex);
		}
	}

	/**
	 * @return the plaintext, or {@code null} when the value was not written with this key
	 * or was altered
	 */
	byte @Nullable [] decrypt(byte[] value) {
		if (value.length < NONCE_LENGTH + TAG_BITS / 8) {
			return null;
		}
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.DECRYPT_MODE, this.key,
					new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(value, 0, NONCE_LENGTH)));
			return cipher.doFinal(value, NONCE_LENGTH, value.length - NONCE_LENGTH);
		}
		catch (GeneralSecurityException ex) {
			return null;
		}
	}

}
