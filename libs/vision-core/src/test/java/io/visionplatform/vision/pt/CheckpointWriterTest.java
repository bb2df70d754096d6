package io.visionplatform.vision.pt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CheckpointWriter}: PyTorch's archive layout, aligned storages, and no partial file on failure. */
class CheckpointWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesPyTorchsLayoutWithAlignedStorages() throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("a", TensorData.ofFloat32(new float[] { 1, 2, 3 }, 3));
        root.put("b", TensorData.ofFloat16(new float[] { 1 }, 1));
        Path file = dir.resolve("last.pt");
        CheckpointWriter.write(file, root);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        }

        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName)).containsExactly("last/data.pkl", "last/byteorder",
                    "last/data/0", "last/data/1", "last/version");
            assertThat(new String(zip.getInputStream(zip.getEntry("last/version")).readAllBytes())).isEqualTo("3\n");
            assertThat(new String(zip.getInputStream(zip.getEntry("last/byteorder")).readAllBytes()))
                    .isEqualTo("little");
        }
        // each storage's bytes start on a 64-byte boundary of the file
        byte[] bytes = Files.readAllBytes(file);
        for (String key : List.of("0", "1")) {
            int header = indexOf(bytes, ("last/data/" + key).getBytes());
            int nameLength = ("last/data/" + key).length();
            int extraLength = (bytes[header - 30 + 28] & 0xff) | (bytes[header - 30 + 29] & 0xff) << 8;
            assertThat((header + nameLength + extraLength) % 64).as("storage %s", key).isZero();
        }
    }

    @Test
    void aFailedWriteLeavesNothingBehindAndKeepsTheOldFile() throws IOException {
        Path file = dir.resolve("best.pt");
        Files.writeString(file, "previous");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ok", 1L);
        root.put("bad", new Object());
        assertThatThrownBy(() -> CheckpointWriter.write(file, root)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readString(file)).isEqualTo("previous");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void anUnwritableTargetLeavesNoTemporaryFile() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("best.pt")); // a directory where the file should go
        Files.writeString(folder.resolve("keep"), "x");
        assertThatThrownBy(() -> CheckpointWriter.write(folder, Map.of("a", 1L))).isInstanceOf(IOException.class);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(folder);
        }
    }

    @Test
    void thePrefixIsTheFileStem() {
        assertThat(CheckpointWriter.prefix(Path.of("runs/best.pt"))).isEqualTo("best");
        assertThat(CheckpointWriter.prefix(Path.of("epoch 3.pt"))).isEqualTo("archive");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
