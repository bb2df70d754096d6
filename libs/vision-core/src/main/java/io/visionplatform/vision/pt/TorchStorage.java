package io.visionplatform.vision.pt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A PyTorch storage named by a persistent id ({@code ('storage', torch.HalfStorage, key, location, numel)}): a flat
 * array of {@link #numel()} elements of one {@link DType}, whose bytes are read on demand from a {@link Source} (for a
 * checkpoint, the zip entry {@code <prefix>/data/<key>}). Nothing is cached: every {@link #load()} reads again.
 */
public final class TorchStorage {

    /** The largest storage that can be loaded (a Java array). */
    public static final long MAX_LOAD_BYTES = Integer.MAX_VALUE - 8L;

    /** Reads a storage's raw bytes. */
    @FunctionalInterface
    public interface Source {
        /** Exactly {@code storage.nbytes()} bytes, or an exception. */
        byte[] read(TorchStorage storage) throws IOException;
    }

    private final String key;
    private final DType dtype;
    private final String location;
    private final long numel;
    private final long nbytes;
    private final ByteOrder order;
    private final Source source;

    private TorchStorage(String key, DType dtype, String location, long numel, long nbytes, ByteOrder order,
            Source source) {
        this.key = key;
        this.dtype = dtype;
        this.location = location;
        this.numel = numel;
        this.nbytes = nbytes;
        this.order = order;
        this.source = source;
    }

    /**
     * A storage description. Refuses a negative element count or one whose byte size does not fit in a {@code long}.
     */
    public static TorchStorage of(String key, DType dtype, String location, long numel, ByteOrder order, Source source)
            throws CheckpointException {
        if (numel < 0) {
            throw new CheckpointException("storage '" + Describe.text(key) + "' has a negative size " + numel);
        }
        long nbytes;
        try {
            nbytes = Math.multiplyExact(numel, dtype.itemSize());
        } catch (ArithmeticException e) {
            throw new CheckpointException("storage '" + Describe.text(key) + "' is too large: " + numel + " elements");
        }
        return new TorchStorage(key, dtype, location, numel, nbytes, order, source);
    }

    /** The storage key, the file name under {@code <prefix>/data/}. */
    public String key() {
        return key;
    }

    public DType dtype() {
        return dtype;
    }

    /** Where the storage lived when saved, e.g. {@code cpu} or {@code cuda:0} (informational). */
    public String location() {
        return location;
    }

    /** Number of elements. */
    public long numel() {
        return numel;
    }

    /** Number of bytes: {@code numel * dtype.itemSize()}. */
    public long nbytes() {
        return nbytes;
    }

    public ByteOrder byteOrder() {
        return order;
    }

    /** Reads the bytes; checks there are exactly {@link #nbytes()} of them. */
    ByteBuffer load() throws IOException {
        if (nbytes > MAX_LOAD_BYTES) {
            throw new CheckpointException("storage '" + Describe.text(key) + "' has " + nbytes
                    + " bytes, more than the " + MAX_LOAD_BYTES + " this reader can load");
        }
        byte[] bytes = source.read(this);
        if (bytes == null || bytes.length != nbytes) {
            throw new CheckpointException("storage '" + Describe.text(key) + "' should have " + nbytes + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        return ByteBuffer.wrap(bytes).order(order);
    }

    @Override
    public String toString() {
        return "TorchStorage[" + Describe.text(key) + ", " + dtype + ", " + numel + " elements]";
    }
}
