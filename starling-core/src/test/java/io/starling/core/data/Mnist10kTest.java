package io.starling.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class Mnist10kTest {
    @Test
    void bundledSplitHas8000TrainAnd2000TestDigitsOf784Pixels() {
        TrainTestSplit split = Mnist10k.load();

        assertThat(split.train().size()).isEqualTo(Mnist10k.TRAIN_SIZE).isEqualTo(8000);
        assertThat(split.test().size()).isEqualTo(Mnist10k.TEST_SIZE).isEqualTo(2000);
        assertThat(split.train().featureDim()).isEqualTo(784);
        assertThat(split.train().numClasses()).isEqualTo(10);
    }

    @Test
    void everyDigitIsRepresentedInPlausibleProportion() {
        TrainTestSplit split = Mnist10k.load();

        for (int count : split.train().classHistogram()) {
            assertThat(count).isBetween(600, 1000);
        }
        for (int count : split.test().classHistogram()) {
            assertThat(count).isBetween(120, 280);
        }
    }

    @Test
    void pixelsLieInTheUnitIntervalAndLookLikeDigits() {
        Dataset train = Mnist10k.load().train();
        float[] x = train.features();
        double sum = 0;
        int inked = 0;
        for (int i = 0; i < train.size() * 784; i++) {
            assertThat(x[i]).isBetween(0f, 1f);
            sum += x[i];
            inked += x[i] > 0.5f ? 1 : 0;
        }
        double meanPixel = sum / (train.size() * 784.0);
        assertThat(meanPixel).as("MNIST's mean intensity is about 0.13").isBetween(0.10, 0.16);
        assertThat((double) inked / (train.size() * 784.0)).isBetween(0.05, 0.25);
    }

    @Test
    void callersCannotCorruptTheCachedCopy() {
        Dataset first = Mnist10k.load().train();
        float pixel = first.features()[300];
        int label = first.labels()[0];

        first.features()[300] = 42f;
        first.labels()[0] = (label + 1) % 10;
        Dataset second = Mnist10k.load().train();

        assertThat(second.features()[300]).isEqualTo(pixel);
        assertThat(second.labels()[0]).isEqualTo(label);
        assertThat(second.features()).isNotSameAs(first.features());
    }

    @Test
    void aDamagedBundledFileFailsItsChecksumNamingTheFile() {
        String damaged = IdxLoader.TEST_LABELS + ".gz";

        assertThatThrownBy(() -> Mnist10k.parse(name -> {
            byte[] bytes = Mnist10k.resource(name);
            if (name.equals(damaged)) {
                bytes[bytes.length / 2] ^= 1;
            }
            return bytes;
        }))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(Mnist10k.RESOURCE_DIR + damaged)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("7745a7f9d6be2d06aa62c52947bba6027f4ae688ef48b2aa4e9bb3cf66010c53");
    }

    @Test
    void aFileWithoutAChecksumLineIsRefused() {
        assertThatThrownBy(() -> Mnist10k.parse(name -> name.equals("SHA256SUMS")
                ? "0000000000000000000000000000000000000000000000000000000000000000  other.gz\n"
                        .getBytes(StandardCharsets.UTF_8)
                : Mnist10k.resource(name)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("SHA256SUMS")
                .hasMessageContaining("has no checksum for " + IdxLoader.TRAIN_IMAGES + ".gz");
    }
}
