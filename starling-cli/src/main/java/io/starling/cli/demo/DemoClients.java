package io.starling.cli.demo;

import io.starling.core.data.Dataset;
import io.starling.core.model.Model;
import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.node.fallback.FallbackClient;
import io.starling.node.fallback.FallbackSettings;
import io.starling.node.fallback.ModeSwitch;
import io.starling.protocol.hybrid.HybridState;
import io.starling.raft.grpc.ReplicaSpec;
import io.starling.raft.history.HistoryRecorder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's federated clients: each a {@link FallbackClient} (the same hybrid client code as a
 * {@code starling node} client of a replica group) over its own {@link DemoGroupLink} to the
 * replica processes, with its own partition, model instance and gRPC server on 127.0.0.1. While a
 * leader serves, a client trains on the latest committed model and submits until a committed
 * checkpoint includes the update (resending to the next leader after a kill); when no model comes
 * from a serving leader for the fallback timeout it gossips with the other clients over their
 * gRPC {@code Gossip} services, and hands its gossip model back once a leader serves again.
 * Every submit, resend and acknowledgement goes to the shared history. {@link #close} stops them all.
 */
final class DemoClients implements AutoCloseable {
    /** Probe for a serving leader every second while gossiping. */
    static final long PROBE_PERIOD_MS = 1_000;
    /**
     * Push the gossip model to a random peer this often. Each model received is merged and
     * trained on, so this also paces the clients' training while they gossip (they share the
     * machine with the replica JVMs that restart meanwhile).
     */
    static final long GOSSIP_PERIOD_MS = 1_000;
    /** How long one replica is given to acknowledge before the update is resent elsewhere. */
    static final long ATTEMPT_TIMEOUT_MS = 5_000;

    private final List<FallbackClient> clients = new ArrayList<>();
    private final List<DemoGroupLink> links = new ArrayList<>();
    private final Map<String, Integer> switchesSeen = new HashMap<>();

    /** A mode switch of one client. */
    record Switch(String clientId, ModeSwitch modeSwitch) {
    }

    /**
     * Creates and binds every client (nothing trains until {@link #start}).
     *
     * @param cluster the replica processes, reached over their gRPC services
     * @param dir where each client keeps the model blobs it receives
     */
    DemoClients(List<Dataset> parts, Model template, TrainConfig train, String modelSpec, long fallbackTimeoutMs,
                long seed, DemoCluster cluster, HistoryRecorder history, Path dir) {
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < parts.size(); c++) {
            ids.add("c" + c);
        }
        try {
            for (int c = 0; c < parts.size(); c++) {
                String id = ids.get(c);
                DemoGroupLink link = new DemoGroupLink(id, cluster, ATTEMPT_TIMEOUT_MS, history);
                links.add(link);
                FallbackSettings s = FallbackSettings.of(id, ReplicaSpec.DEFAULT_TASK, modelSpec, fallbackTimeoutMs,
                        PROBE_PERIOD_MS, GOSSIP_PERIOD_MS, train, seed + c, dir.resolve(id));
                clients.add(FallbackClient.create(s, template.copy(), parts.get(c), link, ids));
            }
            for (FallbackClient c : clients) {
                clients.forEach(p -> c.learnPeer(p.id(), p.address()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Every client joins the group: asks for the latest committed model and starts training. */
    void start() {
        clients.forEach(FallbackClient::start);
    }

    List<String> ids() {
        return clients.stream().map(FallbackClient::id).toList();
    }

    int size() {
        return clients.size();
    }

    HybridState mode(String id) {
        return client(id).mode();
    }

    /** Clients learning by gossip right now. */
    List<String> gossiping() {
        return clients.stream().filter(c -> c.mode() == HybridState.FALLBACK).map(FallbackClient::id).toList();
    }

    /** Gossip hand-backs of client {@code id} that a committed checkpoint acknowledged. */
    long handBacksAcknowledged(String id) {
        return client(id).handBacksAcknowledged();
    }

    /** Every client's switches so far, oldest first. */
    List<ModeSwitch> switches(String id) {
        return client(id).switches();
    }

    /** Switches that happened since the previous call, in each client's order. */
    synchronized List<Switch> newSwitches() {
        List<Switch> out = new ArrayList<>();
        for (FallbackClient c : clients) {
            List<ModeSwitch> all = c.switches();
            int seen = switchesSeen.getOrDefault(c.id(), 0);
            for (int i = seen; i < all.size(); i++) {
                out.add(new Switch(c.id(), all.get(i)));
            }
            switchesSeen.put(c.id(), all.size());
        }
        return out;
    }

    /**
     * Client {@code id}'s gossip model, if it is gossiping now and still was after the model was
     * read (a client that reconnected meanwhile would answer with the committed model instead).
     */
    Optional<ParamVector> gossipModel(String id) {
        FallbackClient c = client(id);
        int before = c.switches().size();
        if (c.mode() != HybridState.FALLBACK) {
            return Optional.empty();
        }
        ParamVector model = c.currentModel();
        return c.mode() == HybridState.FALLBACK && c.switches().size() == before ? Optional.of(model) : Optional.empty();
    }

    private FallbackClient client(String id) {
        return clients.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no client " + id));
    }

    /** Stops every client (training, gossip, gRPC server) and its view of the group. */
    @Override
    public void close() {
        clients.forEach(FallbackClient::close);
        links.forEach(DemoGroupLink::close);
    }
}
