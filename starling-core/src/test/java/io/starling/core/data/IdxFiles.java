package io.starling.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files byte by byte, so tests can craft exactly the damage they check. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** An unsigned-byte IDX file with the given magic, header dimensions and payload. */
    static byte[] idx(int magic, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(payload);
        return b.array();
    }

    /** {@code count} images of rows x cols whose pixel i of image n is {@code (n + i) % 256}. */
    static byte[] images(int count, int rows, int cols) {
        byte[] px = new byte[count * rows * cols];
        for (int n = 0; n < count; n++) {
            for (int i = 0; i < rows * cols; i++) {
                px[n * rows * cols + i] = (byte) ((n + i) % 256);
            }
        }
        return idx(0x00000803, new int[] {count, rows, cols}, px);
    }

    static byte[] labels(int... labels) {
        byte[] y = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            y[i] = (byte) labels[i];
        }
        return idx(0x00000801, new int[] {labels.length}, y);
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(data);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
