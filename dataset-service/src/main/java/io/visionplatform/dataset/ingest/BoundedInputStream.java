package io.visionplatform.dataset.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Lets through at most {@code limit} bytes and fails when the source has more: archive headers declare sizes that a
 * crafted archive may not honour, so the declared size is enforced while reading instead of trusted.
 */
final class BoundedInputStream extends FilterInputStream {

    /** The source held more bytes than allowed. */
    static final class LimitExceededException extends IOException {
        LimitExceededException(String message) {
            super(message);
        }
    }

    private final long limit;
    private final String what;
    private long count;

    /** @param what names the source and its limit in the failure, e.g. {@code "entry a.jpg (declared 100 bytes)"} */
    BoundedInputStream(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        if (count >= limit) {
            return atLimit();
        }
        int b = super.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (count >= limit) {
            return atLimit();
        }
        int n = super.read(buffer, offset, (int) Math.min(length, limit - count));
        if (n > 0) {
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, limit - count));
        count += skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** At the limit: the end of the source is fine, one more byte is not. */
    private int atLimit() throws IOException {
        if (super.read() < 0) {
            return -1;
        }
        throw new LimitExceededException(what + " holds more than " + limit + " bytes");
    }

    /** True when {@code failure} or one of its causes is a {@link LimitExceededException}. */
    static boolean causedByLimit(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LimitExceededException) {
                return true;
            }
        }
        return false;
    }
}
