package io.starling.node.transport;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes this node sent and received for protocol traffic (model blobs plus messages). */
public final class TrafficCounters {
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();

    public void sent(long bytes) {
        bytesUp.addAndGet(bytes);
    }

    public void received(long bytes) {
        bytesDown.addAndGet(bytes);
    }

    public long bytesUp() {
        return bytesUp.get();
    }

    public long bytesDown() {
        return bytesDown.get();
    }
}
