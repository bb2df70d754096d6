package io.visionplatform.dataset.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * An uploaded zip, opened for random access after its central directory passed the safety checks: entry count,
 * entry names, declared sizes, compression ratios and nested archives. Lists the dataset's files (clutter dropped, a
 * common top folder stripped) and opens them through streams that enforce the declared sizes.
 */
final class ZipArchive implements Closeable {

    /** One file of the archive: its path in the dataset (root stripped) and the entry behind it. */
    record Item(String path, ZipEntry entry) {
        String entryName() {
            return entry.getName();
        }
    }

    /** Below this many uncompressed bytes a high ratio is harmless (tiny text files compress very well). */
    static final long RATIO_THRESHOLD_BYTES = 1L << 20;
    /** COCO annotation files are large JSON; they get their own cap. */
    static final long MAX_JSON_BYTES = 1L << 30;

    /** Top folders that carry layout meaning and so are never stripped as a mere wrapper. */
    private static final Set<String> LAYOUT_FOLDERS = Set.of("images", "labels", "train", "val", "valid",
            "validation", "test");

    private final ZipFile zip;
    private final List<Item> items;

    private ZipArchive(ZipFile zip, List<Item> items) {
        this.zip = zip;
        this.items = items;
    }

    /** @throws UploadRejectedException the archive is unreadable or unsafe, or holds no images */
    static ZipArchive open(Path path, IngestLimits limits) {
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw notReadable(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<Item> items = stripCommonRoot(checkEntries(zip, limits));
            if (items.stream().noneMatch(item -> UploadPaths.looksLikeImage(item.path()))) {
                throw new UploadRejectedException("archive holds no images", Map.of("entries", items.size()));
            }
            return new ZipArchive(zip, List.copyOf(items));
        } catch (RuntimeException e) {
            closeQuietly(zip, e);
            if (e instanceof IllegalArgumentException) {
                // ZipFile reports malformed entry names as IllegalArgumentException while iterating.
                throw notReadable(e);
            }
            throw e;
        }
    }

    private static List<Item> checkEntries(ZipFile zip, IngestLimits limits) {
        if (zip.size() > limits.maxEntries()) {
            throw new UploadRejectedException("archive holds too many entries",
                    Map.of("limit", limits.maxEntries(), "actual", zip.size()));
        }
        long totalBytes = 0;
        long totalCompressed = 0;
        List<Item> items = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            String name = entry.getName();
            UploadPaths.unsafeEntryName(name).ifPresent(reason -> {
                throw new UploadRejectedException("unsafe entry name: " + reason, Map.of("entry", name));
            });
            if (entry.isDirectory()) {
                continue;
            }
            long size = entry.getSize();
            long compressed = entry.getCompressedSize();
            if (size < 0 || compressed < 0) {
                throw new UploadRejectedException("archive entry does not declare its size", Map.of("entry", name));
            }
            totalBytes += size;
            totalCompressed += compressed;
            if (totalBytes > limits.maxTotalBytes()) {
                throw new UploadRejectedException("archive is larger than the limit when uncompressed",
                        Map.of("limit", limits.maxTotalBytes(), "actual", totalBytes));
            }
            checkRatio(size, compressed, limits, name);
            String path = UploadPaths.normalise(name);
            if (path.isEmpty() || UploadPaths.isClutter(path)) {
                continue;
            }
            if (UploadPaths.ARCHIVE_EXTENSIONS.contains(UploadPaths.extension(path))) {
                throw new UploadRejectedException("archive holds another archive; send the files unpacked",
                        Map.of("entry", name));
            }
            long cap = capFor(path, limits);
            if (size > cap) {
                throw new UploadRejectedException("archive entry is larger than the limit",
                        Map.of("entry", name, "limit", cap, "actual", size));
            }
            items.add(new Item(path, entry));
        }
        checkRatio(totalBytes, totalCompressed, limits, null);
        return items;
    }

    private static void checkRatio(long size, long compressed, IngestLimits limits, String entryName) {
        if (size <= RATIO_THRESHOLD_BYTES) {
            return;
        }
        long ratio = compressed == 0 ? Long.MAX_VALUE : size / compressed;
        if (ratio > limits.maxCompressionRatio()) {
            Map<String, Object> details = entryName == null
                    ? Map.of("limit", limits.maxCompressionRatio(), "actual", ratio)
                    : Map.of("entry", entryName, "limit", limits.maxCompressionRatio(), "actual", ratio);
            throw new UploadRejectedException("archive compresses suspiciously well (zip bomb?)", details);
        }
    }

    /** Files the scan reads get a cap; other files are never read and only count toward the total. */
    private static long capFor(String path, IngestLimits limits) {
        String ext = UploadPaths.extension(path);
        if (ext.equals("json")) {
            return Math.min(limits.maxTotalBytes(), MAX_JSON_BYTES);
        }
        if (UploadPaths.looksLikeImage(path) || ext.equals("txt") || UploadPaths.isYaml(path)) {
            return limits.maxImageBytes();
        }
        return Long.MAX_VALUE;
    }

    /** Drops one top folder that every item lives under, unless that folder is part of a layout. */
    private static List<Item> stripCommonRoot(List<Item> items) {
        if (items.isEmpty()) {
            return items;
        }
        String root = null;
        for (Item item : items) {
            int slash = item.path().indexOf('/');
            if (slash < 0) {
                return items;
            }
            String top = item.path().substring(0, slash);
            if (root == null) {
                root = top;
            } else if (!root.equals(top)) {
                return items;
            }
        }
        if (LAYOUT_FOLDERS.contains(root.toLowerCase(Locale.ROOT))) {
            return items;
        }
        int cut = root.length() + 1;
        return items.stream().map(item -> new Item(item.path().substring(cut), item.entry())).toList();
    }

    List<Item> items() {
        return items;
    }

    /** The entry's bytes, failing beyond its declared size whatever the archive's data holds. */
    InputStream open(Item item) throws IOException {
        return new BoundedInputStream(zip.getInputStream(item.entry()), item.entry().getSize(),
                "archive entry " + item.path());
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    private static UploadRejectedException notReadable(Exception e) {
        return new UploadRejectedException("not a readable zip archive",
                Map.of("reason", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    private static void closeQuietly(ZipFile zip, Exception failure) {
        try {
            zip.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
