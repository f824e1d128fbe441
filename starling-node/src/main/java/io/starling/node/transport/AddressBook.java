package io.starling.node.transport;

import io.starling.protocol.NodeId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each known node listens. Seeded from the configuration and learned from the
 * {@code sender_address} of incoming messages and from peer-sampling entries, because protocol
 * messages name peers by id only.
 */
public final class AddressBook {
    private final Map<NodeId, String> addresses = new ConcurrentHashMap<>();

    public void learn(NodeId id, String address) {
        if (address != null && !address.isEmpty()) {
            addresses.put(id, address);
        }
    }

    public Optional<String> addressOf(NodeId id) {
        return Optional.ofNullable(addresses.get(id));
    }

    public Set<String> knownIds() {
        Set<String> ids = new TreeSet<>();
        addresses.keySet().forEach(id -> ids.add(id.value()));
        return ids;
    }
}
