package io.visionplatform.dataset.ingest;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** File-name rules shared by the layouts: extensions, base names, splits and unsafe archive entry names. */
final class UploadPaths {

    static final Set<String> SUPPORTED_IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");
    static final Set<String> UNSUPPORTED_IMAGE_EXTENSIONS = Set.of("webp", "tif", "tiff", "heic", "heif", "avif");
    static final Set<String> ARCHIVE_EXTENSIONS = Set.of("zip", "gz", "tgz", "tar", "7z", "rar", "bz2", "xz", "zst");
    static final Set<String> YAML_EXTENSIONS = Set.of("yaml", "yml");
    static final Set<String> NDJSON_EXTENSIONS = Set.of("ndjson", "jsonl");

    private static final Pattern WINDOWS_DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private UploadPaths() {
    }

    /** The lower-case extension of the path's last segment, without the dot; empty when it has none. */
    static String extension(String path) {
        String name = baseName(path);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The last segment of a path with {@code /} separators. */
    static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The client's file name without any folder part, whichever separator the client used. */
    static String clientBaseName(String fileName) {
        String name = fileName == null ? "" : fileName;
        return name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip();
    }

    /** The base name without its extension. */
    static String stem(String path) {
        String name = baseName(path);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? name : name.substring(0, dot);
    }

    /** The folder part of a path, {@code ""} at the root. */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The path with its extension replaced, e.g. {@code a/b.jpg} → {@code a/b.txt}. */
    static String withExtension(String path, String extension) {
        String parent = parent(path);
        String name = stem(path) + "." + extension;
        return parent.isEmpty() ? name : parent + "/" + name;
    }

    static boolean isSupportedImage(String path) {
        return SUPPORTED_IMAGE_EXTENSIONS.contains(extension(path));
    }

    /** Supported or not: the name says it is an image. */
    static boolean looksLikeImage(String path) {
        String ext = extension(path);
        return SUPPORTED_IMAGE_EXTENSIONS.contains(ext) || UNSUPPORTED_IMAGE_EXTENSIONS.contains(ext);
    }

    static boolean isYaml(String path) {
        return YAML_EXTENSIONS.contains(extension(path));
    }

    /** The canonical split a folder name stands for ({@code valid} → {@code val}), or null. */
    static String splitOf(String folder) {
        return switch (folder.toLowerCase(Locale.ROOT)) {
            case "train" -> "train";
            case "val", "valid", "validation" -> "val";
            case "test" -> "test";
            default -> null;
        };
    }

    /** Why an archive entry name is unsafe to handle (absolute, escaping, ambiguous), or empty when it is fine. */
    static Optional<String> unsafeEntryName(String name) {
        if (name.indexOf('\0') >= 0) {
            return Optional.of("it contains a NUL character");
        }
        if (name.indexOf('\\') >= 0) {
            return Optional.of("it contains a backslash");
        }
        if (name.startsWith("/") || WINDOWS_DRIVE.matcher(name).matches()) {
            return Optional.of("it is an absolute path");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                return Optional.of("it climbs out of the archive with ..");
            }
        }
        return Optional.empty();
    }

    /** The entry name with empty and {@code .} segments dropped and no trailing slash. */
    static String normalise(String name) {
        StringBuilder out = new StringBuilder();
        for (String segment : name.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(segment);
        }
        return out.toString();
    }

    /** OS clutter that is never part of a dataset: {@code __MACOSX/}, dot-files and dot-folders. */
    static boolean isClutter(String normalisedPath) {
        for (String segment : normalisedPath.split("/")) {
            if (segment.equals("__MACOSX") || segment.startsWith(".")) {
                return true;
            }
        }
        return baseName(normalisedPath).equalsIgnoreCase("Thumbs.db");
    }
}
