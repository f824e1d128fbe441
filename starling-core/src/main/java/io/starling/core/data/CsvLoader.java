package io.starling.core.data;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Reads labelled examples from a CSV file (RFC 4180 quoting, any single-character delimiter,
 * plain or gzip detected by content). One column holds the label; every other column is a
 * numeric feature.
 *
 * <p>Labels may be numbers or strings. The distinct labels are sorted (numerically when all are
 * numbers, so {@code 1} and {@code 1.0} are one class; otherwise as strings) and class {@code i}
 * is the {@code i}-th of them, so the mapping does not depend on row order; digit labels
 * {@code 0..9} map to themselves when all ten occur.
 *
 * <p>Every row must have the column count of the first row (or header); every feature must be a
 * finite number. Otherwise a {@link DatasetFormatException} names the file, the line and the
 * column. Blank lines are skipped.
 */
public final class CsvLoader {
    private static final CsvFactory FACTORY = CsvFactory.builder()
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();
    private static final long MAX_VALUES = Integer.MAX_VALUE - 16;

    private CsvLoader() {
    }

    /**
     * A loaded CSV file.
     *
     * @param data the examples, scaled as the options asked
     * @param classNames the label text of each class index, in class order
     */
    public record CsvData(Dataset data, List<String> classNames) {
        public CsvData {
            classNames = List.copyOf(classNames);
        }
    }

    /** All rows of {@code file} as one dataset; scaling (if any) is fitted on all of them. */
    public static Dataset load(Path file, CsvOptions options) {
        return read(file, options).data();
    }

    /** Like {@link #load}, also returning the label text behind each class index. */
    public static CsvData read(Path file, CsvOptions options) {
        CsvData raw = readUnscaled(file, options);
        if (options.scaling() == CsvOptions.Scaling.NONE) {
            return raw;
        }
        return new CsvData(FeatureScaler.fit(raw.data(), options.scaling()).apply(raw.data()), raw.classNames());
    }

    /**
     * Reads {@code file} and splits its rows at random into train and test. Scaling is fitted on
     * the training rows only and applied to both, so no test statistic leaks into training.
     *
     * @param testFraction share of rows held out, in (0, 1); at least one row goes to each side
     * @param seed seed of the shuffle that decides the split
     */
    public static TrainTestSplit loadSplit(Path file, CsvOptions options, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
        }
        Dataset all = readUnscaled(file, options).data();
        if (all.size() < 2) {
            throw new DatasetFormatException(file.toString(), "has " + all.size()
                    + " data row(s); a train/test split needs at least 2");
        }
        int[] order = new int[all.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int testRows = (int) Math.max(1, Math.min(all.size() - 1, Math.round(all.size() * testFraction)));
        int[] testIdx = Arrays.copyOfRange(order, 0, testRows);
        int[] trainIdx = Arrays.copyOfRange(order, testRows, order.length);
        Arrays.sort(testIdx);
        Arrays.sort(trainIdx);
        Dataset train = all.subset(trainIdx);
        Dataset test = all.subset(testIdx);
        if (options.scaling() == CsvOptions.Scaling.NONE) {
            return new TrainTestSplit(train, test);
        }
        FeatureScaler scaler = FeatureScaler.fit(train, options.scaling());
        return new TrainTestSplit(scaler.apply(train), scaler.apply(test));
    }

    private static CsvData readUnscaled(Path file, CsvOptions options) {
        try (InputStream in = DataFileStreams.open(file)) {
            return parse(file.toString(), DataFileStreams.decompressIfGzip(file.toString(), in), options);
        } catch (IOException e) {
            throw new DatasetIoException(file + ": read failed (" + e.getMessage() + ")", e);
        }
    }

    /** Parses CSV text from {@code in}; {@code name} is used in error messages. */
    static CsvData parse(String name, InputStream in, CsvOptions options) throws IOException {
        Rows rows = new Rows();
        try (CsvParser parser = (CsvParser) FACTORY.createParser(in)) {
            parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(options.delimiter()));
            List<String> fields = new ArrayList<>();
            List<String> headerNames = null;
            int columns = -1;
            int labelCol = -1;
            long line;
            while ((line = nextRow(name, parser, fields)) >= 0) {
                if (columns < 0) {
                    columns = fields.size();
                    labelCol = resolveLabelColumn(name, options.labelColumn(), columns);
                    if (columns < 2) {
                        throw new DatasetFormatException(name, "line " + line + " has " + columns
                                + " column; need a label and at least one feature (is the delimiter '"
                                + printable(options.delimiter()) + "' right?)");
                    }
                    rows.featureDim = columns - 1;
                    if (options.header()) {
                        headerNames = List.copyOf(fields);
                        continue;
                    }
                }
                if (fields.size() != columns) {
                    throw new DatasetFormatException(name, "line " + line + " has " + fields.size()
                            + " columns, expected " + columns + " like the " + (headerNames != null ? "header" : "first row"));
                }
                rows.add(name, line, fields, labelCol, headerNames);
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new DatasetFormatException(name, "not valid CSV at line "
                    + e.getLocation().getLineNr() + " (" + e.getOriginalMessage() + ")", e);
        }
        if (rows.count == 0) {
            throw new DatasetFormatException(name, "holds no data rows");
        }
        return rows.toCsvData(name);
    }

    /**
     * Reads the next row's fields into {@code out}; returns the line the row starts on (the
     * location of its first field, since the parser reports none for the row itself), or -1 at
     * the end of the input.
     */
    private static long nextRow(String name, CsvParser parser, List<String> out) throws IOException {
        out.clear();
        JsonToken t = parser.nextToken();
        if (t == null) {
            return -1;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new DatasetFormatException(name, "unexpected CSV structure " + t);
        }
        long line = 0;
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (out.isEmpty()) {
                line = parser.currentTokenLocation().getLineNr();
            }
            out.add(parser.getText());
        }
        return line;
    }

    private static int resolveLabelColumn(String name, int labelColumn, int columns) {
        int col = labelColumn < 0 ? columns + labelColumn : labelColumn;
        if (col < 0 || col >= columns) {
            throw new DatasetFormatException(name, "label column " + labelColumn + " does not exist: rows have "
                    + columns + " columns (use 0.." + (columns - 1) + ", or -1 for the last)");
        }
        return col;
    }

    private static String printable(char c) {
        return c == '\t' ? "\\t" : String.valueOf(c);
    }

    /** Rows accumulated while parsing: features in a growing array, labels as ids of distinct strings. */
    private static final class Rows {
        int featureDim;
        int count;
        float[] features = new float[1024];
        int[] labelIds = new int[64];
        final Map<String, Integer> labelIdOf = new HashMap<>();
        final List<String> labelTexts = new ArrayList<>();

        void add(String name, long line, List<String> fields, int labelCol, List<String> header) {
            if ((long) (count + 1) * featureDim > MAX_VALUES) {
                throw new DatasetFormatException(name, "line " + line + ": more than " + MAX_VALUES
                        + " feature values, too many to hold in memory");
            }
            if ((count + 1) * featureDim > features.length) {
                features = Arrays.copyOf(features, (int) Math.min(MAX_VALUES, Math.max(
                        (long) features.length * 2, (long) (count + 1) * featureDim)));
            }
            if (count == labelIds.length) {
                labelIds = Arrays.copyOf(labelIds, labelIds.length * 2);
            }
            int at = count * featureDim;
            for (int c = 0; c < fields.size(); c++) {
                if (c == labelCol) {
                    continue;
                }
                features[at++] = parseFeature(name, line, c, fields.get(c), header);
            }
            String label = fields.get(labelCol);
            if (label.isEmpty()) {
                throw new DatasetFormatException(name, "line " + line + ", column " + columnName(labelCol, header)
                        + ": the label is empty");
            }
            Integer id = labelIdOf.get(label);
            if (id == null) {
                id = labelTexts.size();
                labelIdOf.put(label, id);
                labelTexts.add(label);
            }
            labelIds[count++] = id;
        }

        CsvData toCsvData(String name) {
            ClassMapping mapping = ClassMapping.of(labelTexts);
            if (mapping.classNames().size() < 2) {
                throw new DatasetFormatException(name, "every row has the label '" + mapping.classNames().get(0)
                        + "'; classification needs at least 2 classes (is the label column right?)");
            }
            int[] y = new int[count];
            for (int i = 0; i < count; i++) {
                y[i] = mapping.classOf()[labelIds[i]];
            }
            float[] x = Arrays.copyOf(features, count * featureDim);
            return new CsvData(new ArrayDataset(x, y, featureDim, mapping.classNames().size()), mapping.classNames());
        }

        private static float parseFeature(String name, long line, int col, String text, List<String> header) {
            if (text.isEmpty()) {
                throw new DatasetFormatException(name, "line " + line + ", column " + columnName(col, header)
                        + ": empty value (missing values are not supported; impute or drop the row)");
            }
            float v;
            try {
                v = Float.parseFloat(text);
            } catch (NumberFormatException e) {
                throw new DatasetFormatException(name, "line " + line + ", column " + columnName(col, header)
                        + ": '" + abbreviate(text) + "' is not a number");
            }
            if (!Float.isFinite(v)) {
                throw new DatasetFormatException(name, "line " + line + ", column " + columnName(col, header)
                        + ": '" + abbreviate(text) + "' is not a finite number (NaN and infinities are not allowed)");
            }
            return v;
        }

        private static String columnName(int col, List<String> header) {
            return (col + 1) + (header != null ? " ('" + abbreviate(header.get(col)) + "')" : "");
        }

        private static String abbreviate(String s) {
            return s.length() <= 40 ? s : s.substring(0, 37) + "...";
        }
    }

    /** Sorted distinct labels: numerically when every label is a number, else as strings. */
    private record ClassMapping(List<String> classNames, int[] classOf) {
        static ClassMapping of(List<String> distinct) {
            int k = distinct.size();
            double[] numeric = new double[k];
            boolean allNumeric = true;
            for (int i = 0; i < k && allNumeric; i++) {
                try {
                    numeric[i] = Double.parseDouble(distinct.get(i));
                    allNumeric = Double.isFinite(numeric[i]);
                } catch (NumberFormatException e) {
                    allNumeric = false;
                }
            }
            Integer[] order = new Integer[k];
            for (int i = 0; i < k; i++) {
                order[i] = i;
            }
            final boolean byNumber = allNumeric;
            Arrays.sort(order, (a, b) -> byNumber
                    ? Double.compare(numeric[a], numeric[b])
                    : distinct.get(a).compareTo(distinct.get(b)));
            List<String> names = new ArrayList<>();
            int[] classOf = new int[k];
            for (int r = 0; r < k; r++) {
                int id = order[r];
                boolean sameAsPrevious = byNumber && r > 0 && numeric[id] == numeric[order[r - 1]];
                if (!sameAsPrevious) {
                    names.add(byNumber ? canonical(numeric[id]) : distinct.get(id));
                }
                classOf[id] = names.size() - 1;
            }
            return new ClassMapping(names, classOf);
        }

        private static String canonical(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
