package io.starling.protocol.async;

/** Lifecycle of an {@link AsyncServer}. */
public enum AsyncServerState {
    /** Not started; refuses messages. */
    NEW,
    /** Serving: answers joins with the current model and buffers updates as they arrive. */
    SERVING
}
