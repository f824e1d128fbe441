package io.starling.core.data;

/**
 * How to read a CSV file of labelled examples. Gzip is detected from the content, so it is not an
 * option.
 *
 * @param labelColumn index of the label column; 0 is the first, negative values count from the
 *     end ({@code -1} is the last)
 * @param header whether the first row holds column names rather than data
 * @param delimiter field separator, e.g. {@code ','}, {@code ';'} or {@code '\t'}
 * @param scaling how features are rescaled; fitted on the training data only
 */
public record CsvOptions(int labelColumn, boolean header, char delimiter, Scaling scaling) {
    /** Feature rescaling, fitted per column on training data and applied to train and test. */
    public enum Scaling {
        /** Values as in the file. */
        NONE,
        /** {@code (x - min) / (max - min)}: training values land in [0, 1]; constant columns become 0. */
        MIN_MAX,
        /** {@code (x - mean) / std}: zero mean, unit variance on training data; constant columns become 0. */
        STANDARDIZE
    }

    public CsvOptions {
        if (scaling == null) {
            throw new IllegalArgumentException("scaling must be given (use Scaling.NONE for none)");
        }
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter cannot be a quote or line break, got "
                    + (int) delimiter);
        }
    }

    /** Label in the last column, no header, comma-separated, no scaling. */
    public static CsvOptions defaults() {
        return new CsvOptions(-1, false, ',', Scaling.NONE);
    }

    public CsvOptions withLabelColumn(int column) {
        return new CsvOptions(column, header, delimiter, scaling);
    }

    public CsvOptions withHeader(boolean hasHeader) {
        return new CsvOptions(labelColumn, hasHeader, delimiter, scaling);
    }

    public CsvOptions withDelimiter(char d) {
        return new CsvOptions(labelColumn, header, d, scaling);
    }

    public CsvOptions withScaling(Scaling s) {
        return new CsvOptions(labelColumn, header, delimiter, s);
    }
}
