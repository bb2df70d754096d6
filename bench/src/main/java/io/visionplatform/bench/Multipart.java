package io.visionplatform.bench;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A {@code multipart/form-data} body written by hand: text fields, then one file part last. */
final class Multipart {

    private final String boundary;
    private final StringBuilder fields = new StringBuilder();

    /** {@code boundaryPrefix} names the program in captured traffic; a random part makes it unique. */
    Multipart(String boundaryPrefix) {
        this.boundary = boundaryPrefix + Text.randomHex(12);
    }

    Multipart field(String name, String value) {
        fields.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n");
        return this;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The body with {@code file} streamed from disk: never held in memory, yet with a known Content-Length. */
    BodyPublisher streamingFile(String name, String fileName, String fileType, Path file) {
        try {
            return BodyPublishers.concat(
                    BodyPublishers.ofByteArray(head(name, fileName, fileType)),
                    BodyPublishers.ofFile(file),
                    BodyPublishers.ofByteArray(tail()));
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] withFile(String name, String fileName, String fileType, byte[] data) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(data.length + 512);
        body.writeBytes(head(name, fileName, fileType));
        body.writeBytes(data);
        body.writeBytes(tail());
        return body.toByteArray();
    }

    private byte[] head(String name, String fileName, String fileType) {
        return (fields + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: " + fileType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] tail() {
        return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
