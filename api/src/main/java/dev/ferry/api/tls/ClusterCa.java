package dev.ferry.api.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * A cluster's certificate authority: it issues every component's certificate, and every
 * component trusts exactly it. Keys are ECDSA P-256 (fast to make, accepted by the JDK, Netty
 * and etcd); a leaf serves and authenticates as a client alike (agents are both), and names the
 * addresses it is reached at as subject alternative names, so clients check the host name.
 *
 * <p>Files are written PEM, mode 600 (the directory 700), by a rename, so a reader never sees
 * half a key. Issuing again with the same CA replaces a component's pair without touching what
 * its peers trust: that is how certificates are rotated; a new CA means re-issuing every one.
 */
public final class ClusterCa {

  public static final String CA_CERT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration LEAF_VALIDITY = Duration.ofDays(365);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private ClusterCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /** A new CA named {@code CN=<name>}, valid {@link #CA_VALIDITY} from now. */
  public static ClusterCa create(String name) {
    KeyPair pair = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = builder(subject, subject, pair, CA_VALIDITY)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new ClusterCa(sign(builder, pair.getPrivate()), pair.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a CA: " + e.getMessage(), e);
    }
  }

  /** The CA in {@code dir} ({@value #CA_CERT}, {@value #CA_KEY}), to issue more certificates with it. */
  public static ClusterCa load(Path dir) {
    return new ClusterCa(Pem.certificates(dir.resolve(CA_CERT)).get(0), Pem.privateKey(dir.resolve(CA_KEY)));
  }

  /** Writes {@value #CA_CERT} and {@value #CA_KEY} into {@code dir}; returns the certificate's path. */
  public Path writeTo(Path dir) {
    PrivateFiles.write(dir.resolve(CA_KEY), pem(key));
    PrivateFiles.write(dir.resolve(CA_CERT), pem(certificate));
    return dir.resolve(CA_CERT);
  }

  /**
   * Issues {@code CN=<name>} for {@code addresses} (IP literals become IP names, anything else
   * DNS names; none for a certificate that only authenticates a client) and writes {@code <name>.crt} and {@code <name>.key} into {@code dir}, which
   * must already hold this CA's {@value #CA_CERT} (see {@link #writeTo}).
   */
  public TlsFiles issue(String name, List<String> addresses, Path dir) {
    KeyPair pair = keyPair();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      List<GeneralName> names = new ArrayList<>();
      for (String address : addresses) {
        names.add(new GeneralName(isIpLiteral(address) ? GeneralName.iPAddress : GeneralName.dNSName, address));
      }
      X509v3CertificateBuilder builder = builder(new X500Name(certificate.getSubjectX500Principal().getName()),
          new X500Name("CN=" + name), pair, LEAF_VALIDITY)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      if (!names.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      X509Certificate leaf = sign(builder, key);
      Path certFile = dir.resolve(name + ".crt");
      Path keyFile = dir.resolve(name + ".key");
      PrivateFiles.write(keyFile, pem(pair.getPrivate()));
      PrivateFiles.write(certFile, pem(leaf));
      return new TlsFiles(certFile, keyFile, dir.resolve(CA_CERT));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate for " + name + ": " + e.getMessage(), e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair pair, Duration validity) {
    // Back-dated a minute: a peer whose clock is a little behind still accepts a fresh certificate.
    Instant now = Instant.now().minus(Duration.ofMinutes(1));
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM), Date.from(now),
        Date.from(now.plus(validity)), subject, pair.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an EC key: " + e.getMessage(), e);
    }
  }

  static boolean isIpLiteral(String address) {
    if (address.contains(":")) {
      return true;
    }
    if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return false;
    }
    try {
      InetAddress.getByName(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String pem(Object value) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      if (value instanceof PrivateKey k) {
        // PKCS#8 (BEGIN PRIVATE KEY): what Netty, and so jetcd, reads; Vert.x reads it too.
        writer.writeObject((PemObjectGenerator) new JcaPKCS8Generator(k, null));
      } else {
        writer.writeObject(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }
}
