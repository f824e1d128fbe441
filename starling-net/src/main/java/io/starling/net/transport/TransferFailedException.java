package io.starling.net.transport;

import io.grpc.Status;
import io.starling.core.StarlingException;

/** A call to a peer failed for good: retries ran out, or the peer refused it for a reason retrying cannot fix. */
public final class TransferFailedException extends StarlingException {
    private final Status.Code code;

    public TransferFailedException(String message, Status.Code code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The gRPC status code of the last failure. */
    public Status.Code code() {
        return code;
    }
}
