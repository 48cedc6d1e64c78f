package io.github.tokenintrospection.sample;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * A throw-away PKI made at test start: a CA, Keycloak's server certificate for localhost,
 * and client certificates for mutual TLS. Nothing of it is committed; the PEM files live
 * in a temporary directory.
 */
final class TestPki {

	private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

	private final KeyPair caKeys;

	private final X509Certificate caCertificate;

	private final Path directory;

	private TestPki(KeyPair caKeys, X509Certificate caCertificate, Path directory) {
		this.caKeys = caKeys;
		this.caCertificate = caCertificate;
		this.directory = directory;
	}

	static TestPki create(String caName) {
		try {
			KeyPair caKeys = rsaKeys();
			X500Name name = new X500Name("CN=" + caName);
			X509v3CertificateBuilder builder = builder(name, name, caKeys);
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			X509Certificate certificate = sign(builder, caKeys);
			Path directory = Files.createTempDirectory("test-pki-");
			directory.toFile().deleteOnExit();
			TestPki pki = new TestPki(caKeys, certificate, directory);
			pki.write("ca.crt", certificate);
			return pki;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Issues a certificate and writes {@code <name>.crt} and {@code <name>.key} (PKCS#8).
	 */
	IssuedCertificate issue(String name, String commonName, boolean localhostServer) {
		try {
			KeyPair keys = rsaKeys();
			X509v3CertificateBuilder builder = builder(
					new X500Name(this.caCertificate.getSubjectX500Principal().getName()),
					new X500Name("CN=" + commonName), keys);
			if (localhostServer) {
				builder.addExtension(Extension.subjectAlternativeName, false,
						new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
								new GeneralName(GeneralName.iPAddress, "127.0.0.1") }));
			}
			X509Certificate certificate = sign(builder, this.caKeys);
			Path certificateFile = write(name + ".crt", certificate);
			Path keyFile = writePrivateKey(name + ".key", keys.getPrivate());
			return new IssuedCertificate(certificateFile, keyFile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Writes a private key as an unencrypted PKCS#8 PEM file. */
	Path writePrivateKey(String fileName, java.security.PrivateKey privateKey) {
		try {
			return write(fileName, new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(privateKey, null));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Path caCertificateFile() {
		return this.directory.resolve("ca.crt");
	}

	/**
	 * An SSL context that trusts this CA only and presents a certificate it issued, for
	 * test clients of mutual TLS.
	 */
	SSLContext sslContext(IssuedCertificate clientCertificate) {
		return SslBundle
			.of(new PemSslStoreBundle(
					PemSslStoreDetails.forCertificate("file:" + clientCertificate.certificate())
						.withPrivateKey("file:" + clientCertificate.privateKey()),
					PemSslStoreDetails.forCertificate("file:" + caCertificateFile())))
			.createSslContext();
	}

	/** An SSL context that trusts this CA only, for test clients. */
	SSLContext trustingSslContext() {
		try {
			KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
			trustStore.load(null, null);
			trustStore.setCertificateEntry("ca", this.caCertificate);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trustStore);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Path write(String fileName, Object pemObject) throws IOException {
		StringWriter pem = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
			writer.writeObject(pemObject);
		}
		Path file = this.directory.resolve(fileName);
		Files.writeString(file, pem.toString());
		file.toFile().deleteOnExit();
		return file;
	}

	private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
		Instant now = Instant.now();
		return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
				Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
				keys.getPublic());
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
		try {
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyPair rsaKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record IssuedCertificate(Path certificate, Path privateKey) {

		String certificatePem() {
			return read(this.certificate);
		}

		String privateKeyPem() {
			return read(this.privateKey);
		}

		private static String read(Path file) {
			try {
				return Files.readString(file);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
