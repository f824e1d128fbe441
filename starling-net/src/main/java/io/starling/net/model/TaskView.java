package io.starling.net.model;

import io.starling.net.blob.BlobDigest;
import io.starling.net.proto.ModelRef;
import io.starling.net.proto.TaskSpec;
import java.util.Objects;

/**
 * What a node tells its services about one task at this moment: the rules incoming models must
 * meet and the current global model. Services check requests against it before anything reaches
 * the protocol state machine.
 *
 * @param taskId task identifier
 * @param modelSpec model factory spec, e.g. {@code mlp:128}
 * @param dimension parameter count every model must have
 * @param updateCodec codec wire name updates must use (f32 is always accepted too)
 * @param maxStaleness largest accepted {@code current version - base version}
 * @param mode learning mode: sync, async or gossip
 * @param version current global (or local, for gossip) version
 * @param modelDigest digest of the current model's f32 encoding in the node's blob store
 * @param modelBytes size of that blob, bytes
 */
public record TaskView(String taskId, String modelSpec, int dimension, String updateCodec, long maxStaleness,
                       String mode, long version, BlobDigest modelDigest, long modelBytes) {
    public TaskView {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(modelDigest, "modelDigest");
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
    }

    public TaskSpec spec() {
        return TaskSpec.newBuilder().setTaskId(taskId).setModelSpec(modelSpec).setDimension(dimension)
                .setUpdateCodec(updateCodec).setMaxStaleness(maxStaleness).setMode(mode).build();
    }

    public ModelRef modelRef() {
        return ModelRef.newBuilder().setDigest(modelDigest.hex()).setSizeBytes(modelBytes)
                .setDimension(dimension).setCodec("f32").build();
    }
}
