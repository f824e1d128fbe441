package io.starling.core.data;

import static io.starling.core.data.IdxFiles.gzip;
import static io.starling.core.data.IdxFiles.idx;
import static io.starling.core.data.IdxFiles.images;
import static io.starling.core.data.IdxFiles.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void loadsPlainFilesWithPixelsScaledToUnitInterval() throws IOException {
        Dataset d = IdxLoader.load(write("x", images(3, 2, 2)), write("y", labels(1, 0, 2)));

        assertThat(d.size()).isEqualTo(3);
        assertThat(d.featureDim()).isEqualTo(4);
        assertThat(d.labels()).containsExactly(1, 0, 2);
        assertThat(d.features()[0]).isZero();
        assertThat(d.features()[5]).isEqualTo(2 / 255f);
    }

    @Test
    void gzipIsRecognisedByContentNotByName() throws IOException {
        Dataset plain = IdxLoader.load(write("x", images(4, 3, 3)), write("y", labels(0, 1, 2, 3)));
        Dataset zipped = IdxLoader.load(write("x.bin", gzip(images(4, 3, 3))), write("y.bin", gzip(labels(0, 1, 2, 3))));

        assertThat(zipped.features()).containsExactly(plain.features());
        assertThat(zipped.labels()).containsExactly(plain.labels());
    }

    @Test
    void numberOfClassesIsAtLeastTenForMnistLikeData() throws IOException {
        Dataset d = IdxLoader.load(write("x", images(2, 1, 1)), write("y", labels(0, 3)));

        assertThat(d.numClasses()).isEqualTo(10);
    }

    @Test
    void numberOfClassesGrowsBeyondTenWithLargerLabels() throws IOException {
        Dataset d = IdxLoader.load(write("x", images(2, 1, 1)), write("y", labels(0, 25)));

        assertThat(d.numClasses()).isEqualTo(26);
    }

    @Test
    void wrongMagicNamesFileAndMagic() throws IOException {
        Path bad = write("images-bad-magic", idx(0x00000903, new int[] {1, 1, 1}, new byte[1]));

        assertThatThrownBy(() -> IdxLoader.load(bad, write("y", labels(0))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("bad magic number 0x00000903");
    }

    @Test
    void swappedImageAndLabelFilesAreExplained() throws IOException {
        Path x = write("x", images(1, 1, 1));
        Path y = write("y", labels(0));

        assertThatThrownBy(() -> IdxLoader.load(y, x))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(y.toString())
                .hasMessageContaining("swapped");
    }

    @Test
    void truncatedPayloadNamesFileAndByteCounts() throws IOException {
        byte[] full = images(5, 4, 4);
        Path cut = write("images-cut", Arrays.copyOf(full, full.length - 7));

        assertThatThrownBy(() -> IdxLoader.load(cut, write("y", labels(0, 1, 2, 3, 4))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("need 80 data bytes but the file holds 73");
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path cut = write("labels-cut", Arrays.copyOf(labels(1, 2), 6));

        assertThatThrownBy(() -> IdxLoader.load(write("x", images(2, 1, 1)), cut))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void emptyFileIsReportedAsTruncated() throws IOException {
        Path empty = write("empty", new byte[0]);

        assertThatThrownBy(() -> IdxLoader.load(empty, write("y", labels(0))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void headerDimensionsThatDisagreeWithTheDataAreADimensionMismatch() throws IOException {
        Path x = write("images-dims", idx(0x00000803, new int[] {2, 2, 2}, new byte[12]));

        assertThatThrownBy(() -> IdxLoader.load(x, write("y", labels(0, 1))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(x.toString())
                .hasMessageContaining("dimension mismatch")
                .hasMessageContaining("2x2x2");
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path x = write("x", images(3, 1, 1));
        Path y = write("labels-short", labels(0, 1));

        assertThatThrownBy(() -> IdxLoader.load(x, y))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(y.toString())
                .hasMessageContaining("holds 2 labels but")
                .hasMessageContaining("holds 3 images");
    }

    @Test
    void corruptGzipNamesFileAndSaysGzip() throws IOException {
        byte[] gz = gzip(images(20, 4, 4));
        for (int i = 12; i < gz.length - 8; i++) {
            gz[i] ^= 0x5a;
        }
        Path bad = write("images.gz", gz);

        assertThatThrownBy(() -> IdxLoader.load(bad, write("y", labels(new int[20]))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("gzip");
    }

    @Test
    void truncatedGzipNamesFileAndSaysItEndsEarly() throws IOException {
        byte[] gz = gzip(images(20, 8, 8));
        Path bad = write("images.gz", Arrays.copyOf(gz, gz.length / 2));

        assertThatThrownBy(() -> IdxLoader.load(bad, write("y", labels(new int[20]))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("gzip stream ends early");
    }

    @Test
    void unsupportedElementTypeIsNamed() throws IOException {
        Path floats = write("floats", idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]));

        assertThatThrownBy(() -> IdxLoader.load(floats, write("y", labels(0))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("element type 0x0D");
    }

    @Test
    void missingFileIsAnIoErrorNamingIt() {
        Path absent = dir.resolve("nope");

        assertThatThrownBy(() -> IdxLoader.load(absent, absent))
                .isInstanceOf(DatasetIoException.class)
                .hasMessageContaining(absent.toString())
                .hasMessageContaining("no such file");
    }

    @Test
    void directoryWithStandardNamesLoadsMixedPlainAndGzip() throws IOException {
        write(IdxLoader.TRAIN_IMAGES + ".gz", gzip(images(6, 2, 2)));
        write(IdxLoader.TRAIN_LABELS, labels(0, 1, 2, 0, 1, 2));
        write(IdxLoader.TEST_IMAGES, images(2, 2, 2));
        write(IdxLoader.TEST_LABELS + ".gz", gzip(labels(11, 0)));

        TrainTestSplit split = IdxLoader.loadDirectory(dir);

        assertThat(split.train().size()).isEqualTo(6);
        assertThat(split.test().size()).isEqualTo(2);
        assertThat(split.train().numClasses()).isEqualTo(12).isEqualTo(split.test().numClasses());
    }

    @Test
    void directoryMissingFilesListsEveryMissingName() throws IOException {
        write(IdxLoader.TRAIN_IMAGES, images(1, 1, 1));

        assertThatThrownBy(() -> IdxLoader.loadDirectory(dir))
                .isInstanceOf(DatasetIoException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining(IdxLoader.TRAIN_LABELS)
                .hasMessageContaining(IdxLoader.TEST_IMAGES)
                .hasMessageContaining(IdxLoader.TEST_LABELS)
                .hasMessageNotContaining(IdxLoader.TRAIN_IMAGES + ",");
    }

    @Test
    void directoryWhoseTrainAndTestImagesDifferInSizeIsRejected() throws IOException {
        write(IdxLoader.TRAIN_IMAGES, images(2, 2, 2));
        write(IdxLoader.TRAIN_LABELS, labels(0, 1));
        write(IdxLoader.TEST_IMAGES, images(1, 3, 3));
        write(IdxLoader.TEST_LABELS, labels(0));

        assertThatThrownBy(() -> IdxLoader.loadDirectory(dir))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(IdxLoader.TEST_IMAGES)
                .hasMessageContaining("9 pixels")
                .hasMessageContaining("have 4");
    }

    @Test
    void loadsFilesOfTheFullMnistShape60000And10000() throws IOException {
        write(IdxLoader.TRAIN_IMAGES, images(60_000, 28, 28));
        write(IdxLoader.TRAIN_LABELS, labels(new int[60_000]));
        write(IdxLoader.TEST_IMAGES, images(10_000, 28, 28));
        write(IdxLoader.TEST_LABELS, labels(new int[10_000]));

        TrainTestSplit split = IdxLoader.loadDirectory(dir);

        assertThat(split.train().size()).isEqualTo(60_000);
        assertThat(split.test().size()).isEqualTo(10_000);
        assertThat(split.train().featureDim()).isEqualTo(784);
        assertThat(split.train().features()[59_999 * 784 + 783]).isEqualTo(((59_999 + 783) % 256) / 255f);
    }

    @Test
    void loadsTheBundledFilesFromADirectoryExactlyAsMnist10kDoes() throws IOException {
        for (String name : new String[] {IdxLoader.TRAIN_IMAGES, IdxLoader.TRAIN_LABELS,
                IdxLoader.TEST_IMAGES, IdxLoader.TEST_LABELS}) {
            try (var in = getClass().getClassLoader().getResourceAsStream(Mnist10k.RESOURCE_DIR + name + ".gz")) {
                Files.write(dir.resolve(name + ".gz"), in.readAllBytes());
            }
        }

        TrainTestSplit fromDir = IdxLoader.loadDirectory(dir);
        TrainTestSplit bundled = Mnist10k.load();

        assertThat(Arrays.mismatch(fromDir.train().features(), bundled.train().features())).isEqualTo(-1);
        assertThat(Arrays.equals(fromDir.test().labels(), bundled.test().labels())).isTrue();
    }
}
