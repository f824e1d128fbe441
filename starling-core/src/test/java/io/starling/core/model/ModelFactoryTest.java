package io.starling.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.core.model.nn.Dense;
import io.starling.core.model.nn.Sequential;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelFactoryTest {
    private final ModelFactory factory = ModelFactory.builtIn();

    @Test
    void logregIsOneDenseLayer() {
        Model m = factory.create("logreg", 784, 10, 1);
        assertThat(m.spec()).isEqualTo("logreg(784,10)");
        assertThat(m.paramCount()).isEqualTo(784 * 10 + 10);
    }

    @Test
    void plainMlpHasOneHiddenLayerOf128() {
        Model m = factory.create("mlp", 784, 10, 1);
        assertThat(m.spec()).isEqualTo("mlp(784,128,10)");
        assertThat(m.paramCount()).isEqualTo(784 * 128 + 128 + 128 * 10 + 10);
    }

    @Test
    void mlpTakesHiddenSizesAfterAColon() {
        Model m = factory.create("mlp:256, 128", 784, 10, 1);
        assertThat(m.spec()).isEqualTo("mlp(784,256,128,10)");
        assertThat(((NeuralClassifier) m).network().describe())
                .isEqualTo("dense(784->256) > relu(256) > dense(256->128) > relu(128) > dense(128->10)");
    }

    @Test
    void namesAreCaseInsensitive() {
        assertThat(factory.create("MLP:8", 4, 2, 1).spec()).isEqualTo("mlp(4,8,2)");
    }

    @Test
    void unknownNameListsTheKnownModels() {
        assertThatThrownBy(() -> factory.create("resnet50", 784, 10, 1))
                .isInstanceOfSatisfying(UnknownModelException.class, e -> {
                    assertThat(e.name()).isEqualTo("resnet50");
                    assertThat(e.known()).containsExactly("logreg", "mlp[:h1,h2,...]", "cnn-lenet5[:dropout]");
                })
                .hasMessage("unknown model 'resnet50'; known models: logreg, mlp[:h1,h2,...], cnn-lenet5[:dropout]");
    }

    @Test
    void djlSpecWithoutTheDjlModuleNamesTheMissingModule() {
        assertThatThrownBy(() -> factory.create("djl:cnn-lenet5", 784, 10, 1))
                .isInstanceOf(InvalidModelSpecException.class)
                .hasMessageContaining("starling-djl");
    }

    @Test
    void malformedHiddenSizesAreRejected() {
        assertThatThrownBy(() -> factory.create("mlp:12,x", 4, 2, 1))
                .isInstanceOf(InvalidModelSpecException.class).hasMessageContaining("got 'x'");
        assertThatThrownBy(() -> factory.create("mlp:", 4, 2, 1))
                .isInstanceOf(InvalidModelSpecException.class);
        assertThatThrownBy(() -> factory.create("mlp:0", 4, 2, 1))
                .isInstanceOf(InvalidModelSpecException.class).hasMessageContaining("got 0");
    }

    @Test
    void logregTakesNoArguments() {
        assertThatThrownBy(() -> factory.create("logreg:3", 4, 2, 1))
                .isInstanceOf(InvalidModelSpecException.class).hasMessageContaining("no arguments");
    }

    @Test
    void oversizedModelsAreRefusedBeforeAllocating() {
        assertThatThrownBy(() -> factory.create("mlp:65536,65536", 784, 10, 1))
                .isInstanceOf(InvalidModelSpecException.class).hasMessageContaining("parameters");
    }

    @Test
    void rejectsImpossibleDimensions() {
        assertThatThrownBy(() -> factory.create("logreg", 0, 10, 1))
                .isInstanceOf(InvalidModelSpecException.class).hasMessageContaining("input dimension");
        assertThatThrownBy(() -> factory.create("logreg", 4, 1, 1))
                .isInstanceOf(InvalidModelSpecException.class).hasMessageContaining("classes");
    }

    @Test
    void canBeExtendedWithANewArchitecture() {
        ModelFactory extended = factory.with("wide", "wide", (args, in, classes, seed) ->
                new NeuralClassifier("wide", new Sequential(List.of(new Dense(in, classes, Dense.Init.GLOROT)), seed)));
        assertThat(extended.create("wide", 3, 2, 1).spec()).isEqualTo("wide");
        assertThat(extended.known()).contains("wide");
        assertThat(factory.known()).doesNotContain("wide");
    }
}
