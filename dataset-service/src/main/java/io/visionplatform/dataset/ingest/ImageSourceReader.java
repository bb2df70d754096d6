package io.visionplatform.dataset.ingest;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Opens the bytes of scanned images: zip entries (each archive opened once, kept until {@link #close()}) and local
 * files; remote URLs go to the fetcher given at construction. Every stream is cut at {@code maxImageBytes}.
 */
public final class ImageSourceReader implements Closeable {

    /** Opens a remote image; the ingest worker supplies one that guards against unsafe hosts. */
    @FunctionalInterface
    public interface RemoteFetcher {
        InputStream open(URI url) throws IOException;
    }

    private final int maxBytes;
    private final RemoteFetcher remoteFetcher;
    /** Guarded by {@code this}; reading an open ZipFile from several threads at once is safe. */
    private final Map<Path, ZipFile> zips = new HashMap<>();
    private boolean closed;

    public ImageSourceReader(IngestLimits limits, RemoteFetcher remoteFetcher) {
        // A byte[] cannot hold more than about Integer.MAX_VALUE bytes; readNBytes needs one spare.
        this.maxBytes = (int) Math.min(limits.maxImageBytes(), Integer.MAX_VALUE - 16);
        this.remoteFetcher = remoteFetcher;
    }

    /** The image's bytes, at most {@code maxImageBytes}; more fails with an IOException naming the limit. */
    public byte[] readAll(ImageSource source) throws IOException {
        if (source instanceof ImageSource.ZipEntrySource entry) {
            return readZipEntry(entry);
        }
        if (source instanceof ImageSource.LocalFileSource file) {
            try (InputStream in = Files.newInputStream(file.path())) {
                return readCapped(in, file.path().toString());
            }
        }
        if (source instanceof ImageSource.RemoteUrlSource remote) {
            try (InputStream in = remoteFetcher.open(remote.url())) {
                return readCapped(in, remote.url().toString());
            }
        }
        throw new IllegalArgumentException("unknown image source " + source);
    }

    private byte[] readZipEntry(ImageSource.ZipEntrySource source) throws IOException {
        ZipFile zip = zipFor(source.zip());
        ZipEntry entry = zip.getEntry(source.entryName());
        if (entry == null || entry.isDirectory()) {
            throw new FileNotFoundException(source.entryName() + " is not in " + source.zip());
        }
        long declared = entry.getSize();
        if (declared > maxBytes) {
            throw new IOException(source.entryName() + " declares " + declared + " bytes, more than maxImageBytes="
                    + maxBytes);
        }
        long limit = declared >= 0 ? declared : maxBytes;
        try (InputStream in = new BoundedInputStream(zip.getInputStream(entry), limit,
                "entry " + source.entryName())) {
            return readCapped(in, source.entryName());
        }
    }

    private byte[] readCapped(InputStream in, String what) throws IOException {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new IOException(what + " is larger than maxImageBytes=" + maxBytes);
        }
        return bytes;
    }

    private synchronized ZipFile zipFor(Path path) throws IOException {
        if (closed) {
            throw new IOException("the image reader is closed");
        }
        ZipFile zip = zips.get(path);
        if (zip == null) {
            zip = new ZipFile(path.toFile());
            zips.put(path, zip);
        }
        return zip;
    }

    @Override
    public void close() throws IOException {
        List<ZipFile> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(zips.values());
            zips.clear();
        }
        IOException failure = null;
        for (ZipFile zip : open) {
            try {
                zip.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
