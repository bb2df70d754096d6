package io.visionplatform.common.identity;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * P-256 key handling for internal identity tokens with the JDK alone: generation, PEM (PKCS#8 private keys,
 * X.509 SubjectPublicKeyInfo public keys), JWK coordinates and RFC 7638 thumbprints.
 */
public final class IdentityKeys {

    /** secp256r1 / NIST P-256, the only curve ES256 uses. */
    public static final ECParameterSpec P256 = p256();

    /** Bytes of one P-256 coordinate or signature half. */
    static final int COORDINATE_BYTES = 32;

    private static final Pattern PEM_ARMOUR = Pattern.compile("-----(BEGIN|END) [A-Z ]+-----");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+|\\\\n");

    private IdentityKeys() {
    }

    public static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation is not available in this JDK", e);
        }
    }

    public static String privateKeyPem(ECPrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static String publicKeyPem(ECPublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** Reads a PKCS#8 P-256 private key, PEM-armoured or as bare base64 DER. */
    public static ECPrivateKey readPrivateKeyPem(String pem) {
        try {
            ECPrivateKey key = (ECPrivateKey) keyFactory().generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
            requireP256(key.getParams());
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("Not a PKCS#8 EC P-256 private key");
        }
    }

    /**
     * Reads an X.509 SubjectPublicKeyInfo P-256 public key, PEM-armoured or as bare base64 DER (the one-line
     * form a properties file holds).
     */
    public static ECPublicKey readPublicKeyPem(String pem) {
        try {
            ECPublicKey key = (ECPublicKey) keyFactory().generatePublic(new X509EncodedKeySpec(der(pem)));
            requireP256(key.getParams());
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("Not an X.509 EC P-256 public key");
        }
    }

    /** The RFC 7638 JWK thumbprint (SHA-256, base64url): a stable key id derived from the key itself. */
    public static String thumbprint(ECPublicKey key) {
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + base64Url(coordinate(key.getW().getAffineX()))
                + "\",\"y\":\"" + base64Url(coordinate(key.getW().getAffineY())) + "\"}";
        try {
            return base64Url(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A P-256 public key from its JWK coordinates, refused unless the point lies on the curve. */
    public static ECPublicKey publicKey(byte[] x, byte[] y) {
        if (x.length != COORDINATE_BYTES || y.length != COORDINATE_BYTES) {
            throw new IllegalArgumentException("P-256 coordinates must be 32 bytes each");
        }
        ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
        if (!onCurve(point)) {
            throw new IllegalArgumentException("Point is not on the P-256 curve");
        }
        try {
            return (ECPublicKey) keyFactory().generatePublic(new ECPublicKeySpec(point, P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Not a valid P-256 public key");
        }
    }

    /** A coordinate as JWK wants it: unsigned big-endian, left-padded to exactly 32 bytes. */
    static byte[] coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length == COORDINATE_BYTES) {
            return bytes;
        }
        if (bytes.length == COORDINATE_BYTES + 1 && bytes[0] == 0) {
            return Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (bytes.length > COORDINATE_BYTES) {
            throw new IllegalArgumentException("Coordinate does not fit in 32 bytes");
        }
        byte[] padded = new byte[COORDINATE_BYTES];
        System.arraycopy(bytes, 0, padded, COORDINATE_BYTES - bytes.length, bytes.length);
        return padded;
    }

    static void requireP256(ECParameterSpec params) {
        if (params == null || !params.getCurve().equals(P256.getCurve()) || !params.getGenerator().equals(P256.getGenerator())
                || !params.getOrder().equals(P256.getOrder())) {
            throw new IllegalArgumentException("Key is not on the P-256 curve");
        }
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean onCurve(ECPoint point) {
        EllipticCurve curve = P256.getCurve();
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || x.compareTo(p) >= 0 || y.signum() < 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.modPow(BigInteger.TWO, p);
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return left.equals(right);
    }

    private static byte[] der(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("No key given");
        }
        String base64 = WHITESPACE.matcher(PEM_ARMOUR.matcher(pem).replaceAll("")).replaceAll("");
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Key is neither PEM nor base64 DER");
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static KeyFactory keyFactory() throws GeneralSecurityException {
        return KeyFactory.getInstance("EC");
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is not available in this JDK", e);
        }
    }
}
