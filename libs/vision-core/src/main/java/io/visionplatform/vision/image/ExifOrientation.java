package io.visionplatform.vision.image;

/**
 * Reads the EXIF orientation tag of a JPEG and applies it, as {@code cv2.imdecode} does unless told to ignore it: a phone
 * photo shot in portrait is then decoded upright, the same as the Ultralytics reference sees it. Unreadable EXIF data is
 * ignored (orientation 1), like OpenCV.
 */
final class ExifOrientation {

    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation (1..8) from the first APP1 Exif segment, or 1 when there is none or it is malformed. */
    static int read(byte[] jpeg) {
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) {
                return 1;
            }
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return 1;
            }
            int length = u16(jpeg, pos + 2, true);
            int start = pos + 4;
            int end = pos + 2 + length;
            if (length < 2 || end > jpeg.length) {
                return 1;
            }
            if (marker == 0xE1 && end - start >= 14 && isExifHeader(jpeg, start)) {
                return orientationFromTiff(jpeg, start + 6, end);
            }
            pos = end;
        }
        return 1;
    }

    private static boolean isExifHeader(byte[] b, int p) {
        return b[p] == 'E' && b[p + 1] == 'x' && b[p + 2] == 'i' && b[p + 3] == 'f' && b[p + 4] == 0 && b[p + 5] == 0;
    }

    private static int orientationFromTiff(byte[] b, int tiff, int end) {
        boolean bigEndian;
        if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            bigEndian = true;
        } else if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            bigEndian = false;
        } else {
            return 1;
        }
        if (u16(b, tiff + 2, bigEndian) != 42) {
            return 1;
        }
        long ifdOffset = u32(b, tiff + 4, bigEndian);
        long ifd = tiff + ifdOffset;
        if (ifdOffset < 8 || ifd + 2 > end) {
            return 1;
        }
        int entries = u16(b, (int) ifd, bigEndian);
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + i * 12;
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(b, entry, bigEndian) == TAG_ORIENTATION) {
                int type = u16(b, entry + 2, bigEndian);
                int value = type == 3 ? u16(b, entry + 8, bigEndian) : (int) u32(b, entry + 8, bigEndian);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int p, boolean bigEndian) {
        int hi = b[bigEndian ? p : p + 1] & 0xFF;
        int lo = b[bigEndian ? p + 1 : p] & 0xFF;
        return (hi << 8) | lo;
    }

    private static long u32(byte[] b, int p, boolean bigEndian) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (b[bigEndian ? p + i : p + 3 - i] & 0xFF);
        }
        return v;
    }

    /** Returns the image as it should be displayed for the given EXIF orientation. */
    static BgrImage apply(BgrImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        int w = src.width();
        int h = src.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] in = src.pixels();
        byte[] out = new byte[in.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { // mirrored horizontally
                        sx = w - 1 - x;
                        sy = y;
                    }
                    case 3 -> { // rotated 180
                        sx = w - 1 - x;
                        sy = h - 1 - y;
                    }
                    case 4 -> { // mirrored vertically
                        sx = x;
                        sy = h - 1 - y;
                    }
                    case 5 -> { // transposed
                        sx = y;
                        sy = x;
                    }
                    case 6 -> { // needs a 90 degree clockwise turn
                        sx = y;
                        sy = h - 1 - x;
                    }
                    case 7 -> { // transversed
                        sx = w - 1 - y;
                        sy = h - 1 - x;
                    }
                    default -> { // 8: needs a 90 degree counter-clockwise turn
                        sx = w - 1 - y;
                        sy = x;
                    }
                }
                int s = (sy * w + sx) * 3;
                int d = (y * ow + x) * 3;
                out[d] = in[s];
                out[d + 1] = in[s + 1];
                out[d + 2] = in[s + 2];
            }
        }
        return new BgrImage(ow, oh, out);
    }
}
