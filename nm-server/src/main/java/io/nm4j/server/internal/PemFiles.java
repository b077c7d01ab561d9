package io.nm4j.server.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and keys from PEM files as cert-manager and openssl write them, into in-memory key
 * stores: a certificate chain, and a private key in PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code
 * RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}); encrypted keys are not supported.
 */
final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
  // DER of the algorithm identifiers PKCS#8 wraps a PKCS#1 or SEC1 key with
  private static final byte[] RSA_ALGORITHM =
      hex("300d06092a864886f70d0101010500"); // SEQUENCE { rsaEncryption, NULL }
  private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201"); // id-ecPublicKey

  private PemFiles() {}

  /** A key store holding the private key of {@code keyFile} with the chain of {@code certFile}. */
  static KeyStore keyStore(Path certFile, Path keyFile, char[] password)
      throws IOException, GeneralSecurityException {
    List<Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("nm4j", key, password, chain.toArray(new Certificate[0]));
    return ks;
  }

  /** A trust store holding every certificate of {@code caFile}. */
  static KeyStore trustStore(Path caFile) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int i = 0;
    for (Certificate c : certificates(caFile)) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    return ks;
  }

  static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<Certificate> out = new ArrayList<>();
    for (Block b : blocks(file)) {
      if (b.type().equals("CERTIFICATE")) {
        out.add(factory.generateCertificate(new ByteArrayInputStream(b.der())));
      }
    }
    if (out.isEmpty()) {
      throw new GeneralSecurityException(file + ": no PEM CERTIFICATE block");
    }
    return out;
  }

  static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    for (Block b : blocks(file)) {
      switch (b.type()) {
        case "PRIVATE KEY":
          return pkcs8(b.der(), file);
        case "RSA PRIVATE KEY":
          return pkcs8(sequence(integerZero(), RSA_ALGORITHM, octetString(b.der())), file);
        case "EC PRIVATE KEY":
          byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, curveOf(b.der(), file));
          return pkcs8(sequence(integerZero(), algorithm, octetString(b.der())), file);
        case "ENCRYPTED PRIVATE KEY":
          throw new GeneralSecurityException(file + ": encrypted private keys are not supported");
        default:
          // other blocks (EC PARAMETERS, certificates) are skipped
      }
    }
    throw new GeneralSecurityException(file + ": no PEM private key block");
  }

  private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException(file + ": the private key is not RSA, EC or EdDSA");
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file) throws IOException, GeneralSecurityException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      try {
        out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new GeneralSecurityException(file + ": bad base64 in a " + m.group(1) + " block");
      }
    }
    return out;
  }

  /** The named curve's OID from a SEC1 {@code ECPrivateKey}'s {@code [0] parameters}. */
  private static byte[] curveOf(byte[] sec1, Path file) throws GeneralSecurityException {
    int[] pos = {0};
    Tlv outer = Tlv.read(sec1, pos);
    int[] inner = {outer.start()};
    while (inner[0] < outer.end()) {
      Tlv field = Tlv.read(sec1, inner);
      if (field.tag() == 0xa0) {
        int[] p = {field.start()};
        Tlv oid = Tlv.read(sec1, p);
        byte[] out = new byte[oid.end() - oid.headerStart()];
        System.arraycopy(sec1, oid.headerStart(), out, 0, out.length);
        return out;
      }
      inner[0] = field.end();
    }
    throw new GeneralSecurityException(file + ": the EC key names no curve");
  }

  /** One DER tag-length-value: {@code [headerStart, start)} header, {@code [start, end)} value. */
  private record Tlv(int tag, int headerStart, int start, int end) {
    static Tlv read(byte[] der, int[] pos) throws GeneralSecurityException {
      int begin = pos[0];
      if (begin + 2 > der.length) {
        throw new GeneralSecurityException("truncated DER");
      }
      int tag = der[begin] & 0xff;
      int i = begin + 1;
      int len = der[i++] & 0xff;
      if (len > 0x7f) {
        int bytes = len & 0x7f;
        if (bytes > 3 || i + bytes > der.length) {
          throw new GeneralSecurityException("bad DER length");
        }
        len = 0;
        for (int k = 0; k < bytes; k++) {
          len = (len << 8) | (der[i++] & 0xff);
        }
      }
      if (i + len > der.length) {
        throw new GeneralSecurityException("truncated DER");
      }
      pos[0] = i + len;
      return new Tlv(tag, begin, i, i + len);
    }
  }

  private static byte[] integerZero() {
    return new byte[] {0x02, 0x01, 0x00};
  }

  private static byte[] octetString(byte[] content) {
    return tlv(0x04, content);
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.writeBytes(p);
    }
    return tlv(0x30, body.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
