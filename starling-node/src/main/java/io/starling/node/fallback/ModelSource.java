package io.starling.node.fallback;

import java.util.Objects;

/**
 * One place a committed model's blob may be fetched from.
 *
 * @param kind peer, follower or leader
 * @param id the node id of the source
 * @param address its gRPC "host:port" (serving {@code Blob})
 */
public record ModelSource(RelaySource kind, String id, String address) {
    public ModelSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
    }
}
