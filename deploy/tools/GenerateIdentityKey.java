import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Generates the gateway's internal-identity signing key (EC P-256) as PEM files, so every gateway replica of
 * the local platform signs with the same key. Run with the JDK's source launcher:
 * {@code java deploy/tools/GenerateIdentityKey.java DIR}.
 */
public class GenerateIdentityKey {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        write(dir.resolve("identity-private.pem"), "PRIVATE KEY", pair.getPrivate().getEncoded());
        write(dir.resolve("identity-public.pem"), "PUBLIC KEY", pair.getPublic().getEncoded());
    }

    private static void write(Path file, String type, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
