package io.visionplatform.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageHelpersTest {

    @Test
    void sha256MatchesTheKnownDigestForBytesStreamsAndFiles(@TempDir Path dir) throws IOException {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        String expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        Path file = Files.write(dir.resolve("abc.txt"), abc);

        assertThat(ContentHash.sha256(abc)).isEqualTo(expected);
        assertThat(ContentHash.sha256(new ByteArrayInputStream(abc))).isEqualTo(expected);
        assertThat(ContentHash.sha256(file)).isEqualTo(expected);
    }

    @Test
    void sha256OfAFileLargerThanOneBlockEqualsTheHashOfItsBytes(@TempDir Path dir) throws IOException {
        byte[] content = new byte[200_001];
        new java.util.Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("blob"), content);

        assertThat(ContentHash.sha256(file)).isEqualTo(ContentHash.sha256(content));
    }

    @Test
    void attachmentKeepsTheExactNameEncodedAndAnAsciiFallback() {
        assertThat(StorageClient.attachment("best weights.pt"))
                .isEqualTo("attachment; filename=\"best weights.pt\"; filename*=UTF-8''best%20weights.pt");
        assertThat(StorageClient.attachment("daten-ü\"x.zip"))
                .isEqualTo("attachment; filename=\"daten-__x.zip\"; filename*=UTF-8''daten-%C3%BC%22x.zip");
    }

    @Test
    void etagsLoseTheirQuotes() {
        assertThat(StorageClient.unquote("\"abc\"")).isEqualTo("abc");
        assertThat(StorageClient.unquote("abc")).isEqualTo("abc");
        assertThat(StorageClient.unquote(null)).isNull();
    }

    @Test
    void aClientWithoutABucketFailsClearly() {
        assertThatThrownBy(() -> new StorageClient(TestStorageConfig.local().withBucket(Optional.empty())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("platform.storage.bucket");
    }
}
