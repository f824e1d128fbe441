package io.starling.node.transport;

import io.starling.net.proto.Announcement;
import io.starling.protocol.NodeId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The open WatchVersions streams of the clients of an aggregator: messages the aggregation
 * protocol sends to a client travel down its stream. A client without an open stream is
 * unreachable until it joins again.
 */
public final class Inboxes {
    private final Map<NodeId, Consumer<Announcement>> open = new ConcurrentHashMap<>();

    public AutoCloseable open(NodeId client, Consumer<Announcement> sink) {
        open.put(client, sink);
        return () -> open.remove(client, sink);
    }

    public Optional<Consumer<Announcement>> of(NodeId client) {
        return Optional.ofNullable(open.get(client));
    }

    public Set<String> clients() {
        Set<String> ids = new TreeSet<>();
        open.keySet().forEach(id -> ids.add(id.value()));
        return ids;
    }
}
