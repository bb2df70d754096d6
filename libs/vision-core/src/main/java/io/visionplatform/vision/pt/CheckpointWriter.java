package io.visionplatform.vision.pt;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a PyTorch zip checkpoint, the layout {@code torch.save} produces and {@link Checkpoint#read(Path)} (and
 * {@code torch.load}) read: {@code <prefix>/data.pkl} (the root value pickled by {@link PickleWriter}), one stored
 * {@code <prefix>/data/<key>} entry per tensor storage, {@code <prefix>/byteorder} ({@code little}) and
 * {@code <prefix>/version} ({@code 3}). The prefix is the file name without extension, as {@code torch.save} names it.
 * Storage data starts on 64-byte boundaries as in PyTorch's writer, so readers may map it.
 *
 * <p>
 * The file is written to a temporary file beside the target and moved over it only when complete, so a reader never
 * sees a half-written checkpoint and a failed write leaves the previous file (if any) untouched and nothing else.
 */
public final class CheckpointWriter {

    /** PyTorch aligns storage data to this many bytes. */
    private static final int ALIGNMENT = 64;
    /** The zip extra field id PyTorch pads with ("FB"). */
    private static final int PADDING_EXTRA_ID = 0x4246;
    private static final int LOCAL_HEADER_BYTES = 30;

    private CheckpointWriter() {
    }

    /**
     * Writes {@code root} (a dict of plain values, {@link TensorData}, {@link TorchParameter}, {@link PyObject}s, ...;
     * see {@link PickleWriter}) to {@code file}, atomically.
     *
     * @throws IllegalArgumentException when a value cannot be pickled (nothing is written)
     * @throws IOException when writing fails (nothing is left behind)
     */
    public static void write(Path file, Map<String, Object> root) throws IOException {
        PickleWriter pickler = new PickleWriter();
        byte[] pickle = pickler.write(root);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            readableByAll(tmp);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream raw = Channels.newOutputStream(channel);
                writeZip(new BufferedOutputStream(raw, 1 << 16), prefix(target), pickle, pickler.storages());
                channel.force(true);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Temporary files are private to the owner; a checkpoint is read by other processes, as torch.save's are. */
    private static void readableByAll(Path tmp) throws IOException {
        if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The archive folder: the file name without extension, or {@code archive} when that is not a plain name. */
    static String prefix(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return stem.matches("[A-Za-z0-9_.-]{1,64}") ? stem : "archive";
    }

    private static void writeZip(OutputStream sink, String prefix, byte[] pickle, List<TensorData> storages)
            throws IOException {
        CountingStream counted = new CountingStream(sink);
        // finished, not closed: the caller still forces the file to disk through its channel
        ZipOutputStream zip = new ZipOutputStream(counted);
        stored(zip, counted, prefix + "/data.pkl", pickle);
        stored(zip, counted, prefix + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        for (int key = 0; key < storages.size(); key++) {
            stored(zip, counted, prefix + "/data/" + key, storages.get(key).data());
        }
        stored(zip, counted, prefix + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.finish();
        counted.flush();
    }

    /** One uncompressed entry whose data starts at a multiple of {@link #ALIGNMENT}. */
    private static void stored(ZipOutputStream zip, CountingStream counted, String name, byte[] data)
            throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        entry.setTime(315_532_800_000L + 86_400_000L); // a fixed DOS-representable time: same content, same bytes
        long dataStart = counted.count + LOCAL_HEADER_BYTES + name.getBytes(StandardCharsets.UTF_8).length + 4;
        int padding = (int) ((ALIGNMENT - dataStart % ALIGNMENT) % ALIGNMENT);
        byte[] extra = new byte[4 + padding];
        extra[0] = (byte) PADDING_EXTRA_ID;
        extra[1] = (byte) (PADDING_EXTRA_ID >>> 8);
        extra[2] = (byte) padding;
        extra[3] = (byte) (padding >>> 8);
        entry.setExtra(extra);
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /** Counts the bytes written, to place each entry's data. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
