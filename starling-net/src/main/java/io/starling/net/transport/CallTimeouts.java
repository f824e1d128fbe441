package io.starling.net.transport;

/**
 * Deadlines for outgoing calls: every call gets one. Transfers get a base allowance plus time
 * proportional to their size, so a 100 MB model is not cut off by a deadline sized for a ping.
 *
 * @param unaryMs deadline of a request/response call, ms
 * @param transferBaseMs fixed part of a blob transfer's deadline, ms
 * @param minTransferBytesPerSecond the slowest throughput a transfer may have before it is
 *     abandoned (and resumed), bytes/s
 * @param watchMs lifetime of a watch stream before the client re-subscribes, ms
 */
public record CallTimeouts(long unaryMs, long transferBaseMs, long minTransferBytesPerSecond, long watchMs) {
    public CallTimeouts {
        if (unaryMs < 1 || transferBaseMs < 1 || minTransferBytesPerSecond < 1 || watchMs < 1) {
            throw new IllegalArgumentException("all call timeouts must be >= 1, got " + this);
        }
    }

    /** 5 s per unary call; transfers 10 s + 1 s per MiB; watches renewed every 10 min. */
    public static CallTimeouts defaults() {
        return new CallTimeouts(5_000, 10_000, 1 << 20, 600_000);
    }

    /** Deadline for moving {@code bytes} bytes, ms. */
    public long transferMs(long bytes) {
        return transferBaseMs + (bytes * 1000L) / minTransferBytesPerSecond;
    }
}
