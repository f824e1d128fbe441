package io.starling.core.data;

import io.starling.core.StarlingException;

/**
 * A data file's content is not what its format promises: bad magic number, header dimensions
 * that disagree with the data, a truncated file, corrupt gzip, a malformed CSV row, or a
 * checksum mismatch. The message always names the file and what was wrong, so the CLI can print
 * it as one line.
 */
public final class DatasetFormatException extends StarlingException {
    private final String file;

    /**
     * @param file the file (or classpath resource) that is wrong, as the user would recognise it
     * @param problem what was wrong, e.g. {@code "bad magic number 0x00000804, expected ..."}
     */
    public DatasetFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public DatasetFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file or resource the problem is in. */
    public String file() {
        return file;
    }
}
