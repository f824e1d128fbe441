package io.starling.net.transport;

/**
 * Limits and policies shared by a node's server and its channels.
 *
 * @param maxInboundMessageBytes largest single gRPC message accepted, bytes. Model bytes travel in
 *     1 MiB blob chunks, so 4 MiB leaves room without letting a peer make us buffer more.
 * @param timeouts deadlines for every outgoing call
 * @param backoff retry policy for unary calls and resumable transfers
 * @param tls TLS material, or null for plaintext
 */
public record TransportOptions(int maxInboundMessageBytes, CallTimeouts timeouts, Backoff backoff, TlsConfig tls) {
    /** 4 MiB messages, default timeouts and backoff. */
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 4 << 20;
    /**
     * HTTP/2 flow-control window per stream, bytes. gRPC's 1 MiB default equals one blob chunk, so
     * each chunk would wait a round trip for the window to reopen; 8 MiB keeps several in flight.
     */
    public static final int FLOW_CONTROL_WINDOW_BYTES = 8 << 20;

    public TransportOptions {
        if (maxInboundMessageBytes < (1 << 20) + 4096) {
            throw new IllegalArgumentException("maxInboundMessageBytes must hold a 1 MiB blob chunk plus headers, got "
                    + maxInboundMessageBytes);
        }
    }

    /** Plaintext with default limits. */
    public static TransportOptions defaults() {
        return new TransportOptions(DEFAULT_MAX_INBOUND_MESSAGE_BYTES, CallTimeouts.defaults(), Backoff.defaults(), null);
    }

    public TransportOptions withTls(TlsConfig t) {
        return new TransportOptions(maxInboundMessageBytes, timeouts, backoff, t);
    }

    public TransportOptions withTimeouts(CallTimeouts t) {
        return new TransportOptions(maxInboundMessageBytes, t, backoff, tls);
    }

    public TransportOptions withBackoff(Backoff b) {
        return new TransportOptions(maxInboundMessageBytes, timeouts, b, tls);
    }
}
