package io.starling.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.starling.core.data.CsvOptions.Scaling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsRowsWithTheLabelInTheLastColumnByDefault() throws IOException {
        Dataset d = CsvLoader.load(csv("a.csv", "1.5,2,0\n3,4,1\n5,6,1\n"), CsvOptions.defaults());

        assertThat(d.size()).isEqualTo(3);
        assertThat(d.featureDim()).isEqualTo(2);
        assertThat(d.numClasses()).isEqualTo(2);
        assertThat(d.features()).containsExactly(1.5f, 2f, 3f, 4f, 5f, 6f);
        assertThat(d.labels()).containsExactly(0, 1, 1);
    }

    @Test
    void labelColumnCanBeFirstOrCountedFromTheEnd() throws IOException {
        Path file = csv("a.csv", "7,0.1,0.2,0.3\n3,0.4,0.5,0.6\n");

        Dataset first = CsvLoader.load(file, CsvOptions.defaults().withLabelColumn(0));
        Dataset secondToLast = CsvLoader.load(file, CsvOptions.defaults().withLabelColumn(-2));

        assertThat(first.labels()).containsExactly(1, 0);
        assertThat(first.features()).containsExactly(0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f);
        assertThat(secondToLast.features()).containsExactly(7f, 0.1f, 0.3f, 3f, 0.4f, 0.6f);
    }

    @Test
    void headerRowIsSkippedWhenDeclared() throws IOException {
        Dataset d = CsvLoader.load(csv("h.csv", "x,y,label\n1,2,a\n3,4,b\n"), CsvOptions.defaults().withHeader(true));

        assertThat(d.size()).isEqualTo(2);
        assertThat(d.features()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void stringLabelsMapToSortedClassIndicesWhateverTheRowOrder() throws IOException {
        CsvLoader.CsvData read = CsvLoader.read(
                csv("iris.csv", "5.1,virginica\n4.9,setosa\n6.3,versicolor\n5.0,setosa\n"), CsvOptions.defaults());

        assertThat(read.classNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(read.data().labels()).containsExactly(2, 0, 1, 0);
    }

    @Test
    void numericLabelsSortByValueAndEqualValuesAreOneClass() throws IOException {
        CsvLoader.CsvData read = CsvLoader.read(csv("n.csv", "0,10\n0,2\n0,2.0\n0,-1\n"), CsvOptions.defaults());

        assertThat(read.classNames()).containsExactly("-1", "2", "10");
        assertThat(read.data().labels()).containsExactly(2, 1, 1, 0);
    }

    @Test
    void gzipIsDetectedFromContent() throws IOException {
        Path gz = dir.resolve("data.bin");
        Files.write(gz, IdxFiles.gzip("1,2,0\n3,4,1\n".getBytes(StandardCharsets.UTF_8)));

        Dataset d = CsvLoader.load(gz, CsvOptions.defaults());

        assertThat(d.features()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void otherDelimitersQuotesAndBlankLinesAreHandled() throws IOException {
        Dataset d = CsvLoader.load(csv("s.csv", "\"1.0\";2;\"big cat\"\n\n3;4;dog\n"),
                CsvOptions.defaults().withDelimiter(';'));

        assertThat(d.size()).isEqualTo(2);
        assertThat(d.labels()).containsExactly(0, 1);
    }

    @Test
    void rowWithWrongColumnCountNamesFileLineAndCounts() throws IOException {
        Path file = csv("bad.csv", "a,b,label\n1,2,x\n3,4,y\n5,y\n");

        assertThatThrownBy(() -> CsvLoader.load(file, CsvOptions.defaults().withHeader(true)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 4 has 2 columns, expected 3 like the header");
    }

    @Test
    void nonNumericFeatureNamesLineColumnAndHeaderName() throws IOException {
        Path file = csv("bad.csv", "width,height,label\n1,2,x\n3,tall,y\n");

        assertThatThrownBy(() -> CsvLoader.load(file, CsvOptions.defaults().withHeader(true)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 3, column 2 ('height'): 'tall' is not a number");
    }

    @Test
    void nanAndInfinityAreRejected() throws IOException {
        Path nan = csv("nan.csv", "1,2,x\nNaN,2,y\n");
        Path inf = csv("inf.csv", "1,2,x\n1,-Infinity,y\n");

        assertThatThrownBy(() -> CsvLoader.load(nan, CsvOptions.defaults()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("line 2, column 1")
                .hasMessageContaining("not a finite number");
        assertThatThrownBy(() -> CsvLoader.load(inf, CsvOptions.defaults()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("line 2, column 2")
                .hasMessageContaining("not a finite number");
    }

    @Test
    void emptyFeatureValueIsRejected() throws IOException {
        Path file = csv("gap.csv", "1,2,x\n1,,y\n");

        assertThatThrownBy(() -> CsvLoader.load(file, CsvOptions.defaults()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("line 2, column 2: empty value");
    }

    @Test
    void labelColumnOutsideTheRowIsRejected() throws IOException {
        Path file = csv("a.csv", "1,2,x\n");

        assertThatThrownBy(() -> CsvLoader.load(file, CsvOptions.defaults().withLabelColumn(3)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("label column 3 does not exist: rows have 3 columns");
    }

    @Test
    void singleClassIsRejectedWithAHint() throws IOException {
        Path file = csv("one.csv", "1,2,x\n3,4,x\n");

        assertThatThrownBy(() -> CsvLoader.load(file, CsvOptions.defaults()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("at least 2 classes");
    }

    @Test
    void headerOnlyFileHasNoDataRows() throws IOException {
        Path file = csv("empty.csv", "a,b,label\n");

        assertThatThrownBy(() -> CsvLoader.load(file, CsvOptions.defaults().withHeader(true)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("no data rows");
    }

    @Test
    void minMaxScalesTrainingFeaturesIntoTheUnitInterval() throws IOException {
        Dataset d = CsvLoader.load(csv("m.csv", "0,5,a\n10,5,b\n5,5,a\n"), CsvOptions.defaults().withScaling(Scaling.MIN_MAX));

        assertThat(d.features()).containsExactly(0f, 0f, 1f, 0f, 0.5f, 0f);
    }

    @Test
    void standardizeGivesZeroMeanAndUnitVariance() throws IOException {
        Dataset d = CsvLoader.load(csv("s.csv", "1,a\n2,b\n3,a\n4,b\n"), CsvOptions.defaults().withScaling(Scaling.STANDARDIZE));
        double mean = 0;
        double var = 0;
        for (int i = 0; i < 4; i++) {
            mean += d.features()[i] / 4.0;
        }
        for (int i = 0; i < 4; i++) {
            var += Math.pow(d.features()[i] - mean, 2) / 4.0;
        }

        assertThat(mean).isCloseTo(0, within(1e-6));
        assertThat(var).isCloseTo(1, within(1e-5));
    }

    @Test
    void splitFitsScalingOnTheTrainingRowsOnly() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            text.append(i).append(',').append(i % 2).append('\n');
        }
        Path file = csv("lin.csv", text.toString());

        TrainTestSplit split = CsvLoader.loadSplit(file, CsvOptions.defaults().withScaling(Scaling.MIN_MAX), 0.3, 4);

        assertThat(split.train().size()).isEqualTo(70);
        assertThat(split.test().size()).isEqualTo(30);
        float trainMin = Float.MAX_VALUE;
        float trainMax = -Float.MAX_VALUE;
        for (int i = 0; i < split.train().size(); i++) {
            trainMin = Math.min(trainMin, split.train().features()[i]);
            trainMax = Math.max(trainMax, split.train().features()[i]);
        }
        assertThat(trainMin).isEqualTo(0f);
        assertThat(trainMax).isEqualTo(1f);
        Dataset rawTrain = CsvLoader.loadSplit(file, CsvOptions.defaults(), 0.3, 4).train();
        Dataset rawTest = CsvLoader.loadSplit(file, CsvOptions.defaults(), 0.3, 4).test();
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int i = 0; i < rawTrain.size(); i++) {
            lo = Math.min(lo, rawTrain.features()[i]);
            hi = Math.max(hi, rawTrain.features()[i]);
        }
        for (int i = 0; i < rawTest.size(); i++) {
            float expected = (rawTest.features()[i] - lo) / (hi - lo);
            assertThat(split.test().features()[i]).as("test row %d uses the training min/max", i)
                    .isCloseTo(expected, within(1e-6f));
        }
    }

    @Test
    void splitIsDeterministicBySeedAndCoversEveryRowOnce() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            text.append(i).append(',').append(i % 3).append('\n');
        }
        Path file = csv("rows.csv", text.toString());

        TrainTestSplit a = CsvLoader.loadSplit(file, CsvOptions.defaults(), 0.2, 9);
        TrainTestSplit b = CsvLoader.loadSplit(file, CsvOptions.defaults(), 0.2, 9);

        assertThat(a.test().features()).containsExactly(b.test().features());
        float[] all = new float[50];
        System.arraycopy(a.train().features(), 0, all, 0, 40);
        System.arraycopy(a.test().features(), 0, all, 40, 10);
        java.util.Arrays.sort(all);
        for (int i = 0; i < 50; i++) {
            assertThat(all[i]).isEqualTo(i);
        }
    }

    @Test
    void missingFileIsAnIoError() {
        assertThatThrownBy(() -> CsvLoader.load(dir.resolve("absent.csv"), CsvOptions.defaults()))
                .isInstanceOf(DatasetIoException.class)
                .hasMessageContaining("absent.csv: no such file");
    }
}
