package io.starling.net.transport;

import io.starling.net.proto.Header;
import io.starling.protocol.NodeId;
import java.time.Clock;
import java.util.Objects;

/**
 * This node as its messages present it: its id and the address its server listens on. Builds the
 * {@link Header} every outgoing message carries (signature empty until signing is enabled).
 *
 * @param id this node's id
 * @param address "host:port" of this node's gRPC server, or empty when it runs none
 * @param clock wall clock for {@code sent_at_ms}
 */
public record LocalNode(NodeId id, String address, Clock clock) {
    public LocalNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(clock, "clock");
    }

    public static LocalNode of(String id, String address) {
        return new LocalNode(NodeId.of(id), address, Clock.systemUTC());
    }

    /** A fresh header for one outgoing message. */
    public Header header() {
        return Header.newBuilder()
                .setSenderId(id.value())
                .setSenderAddress(address)
                .setSentAtMs(clock.millis())
                .build();
    }
}
