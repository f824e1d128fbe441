package io.starling.net.model;

import io.starling.core.compress.ModelCodec;
import io.starling.core.compress.ModelCodecs;
import io.starling.core.param.NonFiniteValueException;
import io.starling.core.param.ParamVector;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobState;
import io.starling.net.blob.BlobStore;
import io.starling.net.proto.ModelRef;
import io.starling.net.transport.RejectedRequestException;
import io.starling.net.transport.RequestChecks;

/**
 * Resolves a {@link ModelRef} from an untrusted message into a checked {@link ParamVector}: the
 * digest is well formed, the dimension and codec fit the task, the blob is complete in the local
 * store (a partial upload is refused), its bytes match the digest, decode cleanly and hold only
 * finite values.
 */
public final class ModelRefs {
    /** Largest parameter count any model may have: 2^28 (1 GiB of float32). */
    public static final int MAX_DIMENSION = 1 << 28;

    private ModelRefs() {
    }

    /** Checks {@code ref} against {@code task} and returns the decoded model. */
    public static ParamVector resolve(String field, ModelRef ref, TaskView task, BlobStore store) {
        if (ref == null || ref.getDigest().isEmpty()) {
            throw RejectedRequestException.malformed(field + " is required");
        }
        BlobDigest digest = RequestChecks.digest(field + ".digest", ref.getDigest());
        RequestChecks.inRange(field + ".size_bytes", ref.getSizeBytes(), 1, store.maxBlobBytes());
        if (ref.getDimension() != task.dimension()) {
            throw new RejectedRequestException(RejectedRequestException.Reason.WRONG_DIMENSION, field
                    + ".dimension is " + ref.getDimension() + " but task '" + task.taskId() + "' has "
                    + task.dimension() + " parameters");
        }
        String codecName = ref.getCodec().isEmpty() ? "f32" : ref.getCodec();
        if (!codecName.equals("f32") && !codecName.equals(task.updateCodec())) {
            throw RejectedRequestException.malformed(field + ".codec '" + abbreviate(codecName)
                    + "' is not accepted for task '" + task.taskId() + "'; use f32 or " + task.updateCodec());
        }
        ModelCodec codec = ModelCodecs.forWireName(codecName);
        BlobState state = store.state(digest);
        switch (state.status()) {
            case ABSENT -> throw new RejectedRequestException(RejectedRequestException.Reason.BLOB_NOT_READY,
                    "blob " + digest.shortHex() + " named by " + field + " is not held here; upload it with Blob.Put first");
            case PARTIAL -> throw new RejectedRequestException(RejectedRequestException.Reason.BLOB_NOT_READY,
                    "blob " + digest.shortHex() + " is only partly uploaded (" + state.committedBytes() + " of "
                            + state.sizeBytes() + " bytes); the partial blob is not accepted, finish the upload first");
            case COMPLETE -> {
                if (state.sizeBytes() != ref.getSizeBytes()) {
                    throw RejectedRequestException.malformed(field + ".size_bytes is " + ref.getSizeBytes()
                            + " but blob " + digest.shortHex() + " has " + state.sizeBytes() + " bytes");
                }
            }
        }
        ParamVector model = codec.decode(store.read(digest), ref.getDimension());
        int bad = model.firstNonFinite();
        if (bad >= 0) {
            throw new RejectedRequestException(RejectedRequestException.Reason.NON_FINITE,
                    new NonFiniteValueException(field, bad, model.get(bad)).getMessage());
        }
        return model;
    }

    private static String abbreviate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "..." : s;
    }
}
