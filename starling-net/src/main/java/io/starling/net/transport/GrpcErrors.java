package io.starling.net.transport;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.starling.core.compress.MalformedEncodingException;
import io.starling.core.param.DimensionMismatchException;
import io.starling.core.param.NonFiniteValueException;
import io.starling.net.blob.BlobException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where Starling's typed errors become gRPC statuses. Expected rejections keep
 * their message as the status description; anything else is logged and reported as INTERNAL.
 */
public final class GrpcErrors {
    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    /** The status to close a call with after {@code error}. */
    public static StatusRuntimeException toStatus(Throwable error) {
        if (error instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (error instanceof LeaderRedirectException redirect) {
            return redirect.toStatus();
        }
        Status status = switch (error) {
            case RejectedRequestException r -> statusOf(r.reason());
            case BlobException b -> statusOf(b.kind());
            case MalformedEncodingException m -> Status.INVALID_ARGUMENT;
            case DimensionMismatchException d -> Status.INVALID_ARGUMENT;
            case NonFiniteValueException n -> Status.INVALID_ARGUMENT;
            case IllegalArgumentException i -> Status.INVALID_ARGUMENT;
            default -> null;
        };
        if (status == null) {
            log.error("unexpected error while serving a call", error);
            return Status.INTERNAL.withDescription("internal error: " + error).withCause(error).asRuntimeException();
        }
        return status.withDescription(error.getMessage()).asRuntimeException();
    }

    static Status statusOf(RejectedRequestException.Reason reason) {
        return switch (reason) {
            case MALFORMED, WRONG_DIMENSION, NON_FINITE -> Status.INVALID_ARGUMENT;
            case UNKNOWN_TASK -> Status.NOT_FOUND;
            case STALE -> Status.OUT_OF_RANGE;
            case BLOB_NOT_READY, WRONG_STATE -> Status.FAILED_PRECONDITION;
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case OVERLOADED -> Status.RESOURCE_EXHAUSTED;
        };
    }

    static Status statusOf(BlobException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case CORRUPT -> Status.DATA_LOSS;
            case DIGEST_MISMATCH, SIZE_CONFLICT -> Status.INVALID_ARGUMENT;
            case UPLOAD_IN_PROGRESS -> Status.ABORTED;
            case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
            case BAD_OFFSET -> Status.OUT_OF_RANGE;
            case IO -> Status.UNAVAILABLE;
        };
    }
}
