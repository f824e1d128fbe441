package io.starling.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens data files for the loaders: gzip is recognised by its magic bytes (not the file name),
 * and gzip damage surfaces as {@link DatasetFormatException} naming the file, while failures to
 * read at all surface as {@link DatasetIoException}.
 */
final class DataFileStreams {
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final int INITIAL_CHUNK_BYTES = 1 << 20;

    private DataFileStreams() {
    }

    /** Opens {@code file} as it is on disk; pass it to {@link #decompressIfGzip}. */
    static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new DatasetIoException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new DatasetIoException(file + ": permission denied");
        } catch (IOException e) {
            throw new DatasetIoException(file + ": cannot open (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Wraps {@code raw} so that gzip content is decompressed transparently and gzip damage is
     * reported as a {@link DatasetFormatException} about {@code name}.
     */
    static InputStream decompressIfGzip(String name, InputStream raw) {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 != GZIP_MAGIC_0 || b1 != GZIP_MAGIC_1) {
                return in;
            }
            return new GzipErrorTranslator(name, new GZIPInputStream(in, 1 << 16));
        } catch (ZipException | EOFException e) {
            throw gzipProblem(name, e);
        } catch (IOException e) {
            throw new DatasetIoException(name + ": read failed (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads {@code in} to its end, refusing more than {@code maxBytes}. The buffer grows with the
     * data that actually arrives, so a header that lies about its size cannot make us allocate
     * more than the stream holds.
     */
    static byte[] readAtMost(String name, InputStream in, long maxBytes) {
        byte[] buf = new byte[(int) Math.min(maxBytes + 1, INITIAL_CHUNK_BYTES)];
        int n = 0;
        try {
            while (true) {
                if (n == buf.length) {
                    if (n > maxBytes) {
                        break;
                    }
                    long grown = Math.min((long) buf.length * 2, maxBytes + 1);
                    buf = Arrays.copyOf(buf, (int) grown);
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            throw new DatasetIoException(name + ": read failed (" + e.getMessage() + ")", e);
        }
        if (n > maxBytes) {
            throw new DatasetFormatException(name, "larger than the limit of " + maxBytes + " bytes");
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    static DatasetFormatException gzipProblem(String name, IOException e) {
        if (e instanceof EOFException) {
            return new DatasetFormatException(name,
                    "gzip stream ends early (truncated file or interrupted download?)", e);
        }
        return new DatasetFormatException(name, "corrupt gzip data (" + e.getMessage() + ")", e);
    }

    /** Turns the gzip decoder's checked errors into format errors that name the file. */
    private static final class GzipErrorTranslator extends FilterInputStream {
        private final String name;

        GzipErrorTranslator(String name, InputStream in) {
            super(in);
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | EOFException e) {
                throw gzipProblem(name, e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw gzipProblem(name, e);
            }
        }
    }
}
