package io.starling.node.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.compress.ModelCodecs;
import io.starling.core.model.ModelFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a node's YAML configuration and checks it completely before anything starts: unknown
 * keys, missing required keys, wrong types and out-of-range values each stop with a
 * {@link ConfigException} naming the key (as a dotted path) and what is expected.
 */
public final class NodeConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private NodeConfigLoader() {
    }

    public static NodeConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist");
        }
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    public static NodeConfig parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("config must be a YAML mapping of keys to values");
        }
        Section top = new Section("", root, Set.of("id", "role", "listen", "http", "dataDir", "seed", "task", "train",
                "aggregator", "client", "peer", "data", "faults", "cluster"));
        String id = top.id("id");
        NodeConfig.Role role = top.enumValue("role", NodeConfig.Role.class, null);
        String listen = top.address("listen", "127.0.0.1:0");
        String http = top.string("http", "");
        if (!http.isEmpty()) {
            top.address("http", http);
        }
        String dataDir = top.string("dataDir", "starling-node-" + id);
        long seed = top.longValue("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);

        Section t = top.section("task", Set.of("id", "model", "mode", "rule", "maxStaleness", "codec"));
        NodeConfig.Mode mode = t.enumValue("mode", NodeConfig.Mode.class, null);
        String defaultRule = switch (mode) {
            case SYNC -> "fedavg";
            case ASYNC -> "fedbuff:k=3,lr=1.0";
            case GOSSIP -> "doubly-weighted:lambda=0.5";
        };
        NodeConfig.Task task = new NodeConfig.Task(t.id("id"), t.string("model", "logreg"), mode,
                t.string("rule", defaultRule), t.longValue("maxStaleness", 10, 0, 1_000_000), t.string("codec", "f32"));
        check(t.path("rule"), () -> AggregationRules.parse(task.rule()));
        check(t.path("codec"), () -> ModelCodecs.parse(task.codec()));
        if (task.codec().trim().startsWith("topk")) {
            throw new ConfigException(t.path("codec") + ": top-k sparsifies deltas, but clients and peers send whole "
                    + "models; use f32, f16 or q8");
        }
        check(t.path("model"), () -> ModelFactory.builtIn().create(task.model(), 784, 10, 1));

        Section tr = top.section("train", Set.of("epochs", "batchSize", "learningRate", "momentum", "maxSteps"));
        NodeConfig.Train train = new NodeConfig.Train((int) tr.longValue("epochs", 1, 1, 1000),
                (int) tr.longValue("batchSize", 32, 1, 100_000), tr.doubleValue("learningRate", 0.05, 1e-9, 100),
                tr.doubleValue("momentum", 0.9, 0, 0.999), (int) tr.longValue("maxSteps", 0, 0, 1_000_000));

        NodeConfig.Aggregator aggregator = null;
        NodeConfig.Client client = null;
        NodeConfig.Peer peer = null;
        NodeConfig.Data data = null;
        NodeConfig.Cluster cluster = null;
        NodeConfig.Group group = null;
        switch (role) {
            case AGGREGATOR -> {
                Section a = top.section("aggregator", Set.of("minClients", "clientFraction", "minUpdates", "roundDeadlineMs"));
                int minClients = (int) a.longValue("minClients", 1, 1, 100_000);
                aggregator = new NodeConfig.Aggregator(minClients, a.doubleValue("clientFraction", 1.0, 1e-6, 1.0),
                        (int) a.longValue("minUpdates", minClients, 1, minClients),
                        a.longValue("roundDeadlineMs", 60_000, 1, 86_400_000));
                if (mode == NodeConfig.Mode.GOSSIP) {
                    throw new ConfigException("task.mode: gossip has no aggregator; use role: peer");
                }
            }
            case CLIENT -> {
                Section c = top.section("client", Set.of("aggregatorId", "aggregatorAddress", "modelTimeoutMs",
                        "uploadBytesPerSecond", "replicas", "peers", "fallbackTimeoutMs", "probePeriodMs",
                        "gossipPeriodMs", "attemptTimeoutMs"));
                boolean votes = root.has("cluster");
                if (votes) {
                    cluster = ReplicatedSections.cluster(top, id, listen, mode, true);
                    NodeConfig.Cluster voters = cluster;
                    check("task.rule", () -> voters.aggregatorConfig(task.rule(), task.maxStaleness()));
                }
                if (c.node.has("replicas") || votes) {
                    group = ReplicatedSections.group(c, id, mode, cluster);
                    client = new NodeConfig.Client(null, null, group.fallbackTimeoutMs(), 0);
                } else {
                    ReplicatedSections.refuseGroupKeys(c);
                    client = new NodeConfig.Client(c.id("aggregatorId"), c.address("aggregatorAddress", null),
                            c.longValue("modelTimeoutMs", 10_000, 1, 86_400_000),
                            c.longValue("uploadBytesPerSecond", 0, 0, Long.MAX_VALUE));
                }
                data = data(top);
                if (mode == NodeConfig.Mode.GOSSIP) {
                    throw new ConfigException("task.mode: gossip has no aggregator; use role: peer");
                }
            }
            case PEER -> {
                Section p = top.section("peer", Set.of("peers", "periodMs", "shufflePeriodMs", "viewSize"));
                List<NodeConfig.PeerRef> peers = new ArrayList<>();
                JsonNode list = p.node.get("peers");
                if (list == null || !list.isArray() || list.isEmpty()) {
                    throw new ConfigException(p.path("peers") + ": required, a list of {id, address} bootstrap peers");
                }
                for (int i = 0; i < list.size(); i++) {
                    Section e = new Section(p.path("peers") + "[" + i + "]", list.get(i), Set.of("id", "address"));
                    peers.add(new NodeConfig.PeerRef(e.id("id"), e.address("address", null)));
                }
                peer = new NodeConfig.Peer(peers, p.longValue("periodMs", 1000, 1, 86_400_000),
                        p.longValue("shufflePeriodMs", 2000, 1, 86_400_000), (int) p.longValue("viewSize", 8, 1, 256));
                data = data(top);
                if (mode != NodeConfig.Mode.GOSSIP) {
                    throw new ConfigException("task.mode: a peer learns by gossip; set mode: gossip");
                }
            }
            case REPLICA -> {
                cluster = ReplicatedSections.cluster(top, id, listen, mode, false);
                NodeConfig.Cluster replicas = cluster;
                check("task.rule", () -> replicas.aggregatorConfig(task.rule(), task.maxStaleness()));
            }
        }
        for (String other : List.of("aggregator", "client", "peer", "cluster")) {
            String owner = other.equals("cluster") ? "replica" : other;
            boolean votingClient = other.equals("cluster") && role == NodeConfig.Role.CLIENT;
            if (!votingClient && !owner.equals(role.name().toLowerCase(Locale.ROOT)) && root.has(other)) {
                throw new ConfigException(other + ": only for role " + owner
                        + (other.equals("cluster") ? " (or a client that is also a voting member)" : "")
                        + ", but this node's role is " + role.name().toLowerCase(Locale.ROOT));
            }
        }
        Section f = top.section("faults", Set.of("enabled"));
        NodeConfig.Faults faults = new NodeConfig.Faults(f.bool("enabled", false));
        return new NodeConfig(id, role, listen, http, dataDir, seed, task, train, aggregator, client, peer, data, faults,
                cluster, group);
    }

    static NodeConfig.Data data(Section top) {
        Section d = top.section("data", Set.of("source", "partition", "clients", "index", "partitionSeed"));
        String source = d.string("source", "mnist10k");
        if (!source.equals("mnist10k")) {
            throw new ConfigException(d.path("source") + ": unknown data source '" + source + "'; supported: mnist10k");
        }
        int clients = (int) d.longValue("clients", 1, 1, 100_000);
        return new NodeConfig.Data(source, d.string("partition", "dirichlet:0.5"), clients,
                (int) d.longValue("index", 0, 0, clients - 1), d.longValue("partitionSeed", 42, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    static void check(String key, Runnable parse) {
        try {
            parse.run();
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": " + e.getMessage(), e);
        }
    }

    /** A mapping in the YAML tree with its dotted path and allowed keys. */
    static final class Section {
        private final String prefix;
        final JsonNode node;

        Section(String prefix, JsonNode node, Set<String> known) {
            this.prefix = prefix;
            this.node = node;
            if (!node.isObject()) {
                throw new ConfigException((prefix.isEmpty() ? "config" : prefix) + ": must be a mapping of keys to values");
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!known.contains(k)) {
                    throw new ConfigException(path(k) + ": unknown key; known keys here: " + new TreeSet<>(known));
                }
            }
        }

        String path(String key) {
            return prefix.isEmpty() ? key : prefix + "." + key;
        }

        Section section(String key, Set<String> known) {
            JsonNode n = node.get(key);
            return new Section(path(key), n == null || n.isNull() ? YAML.createObjectNode() : n, known);
        }

        private JsonNode value(String key, boolean required) {
            JsonNode n = node.get(key);
            if ((n == null || n.isNull()) && required) {
                throw new ConfigException(path(key) + ": required key is missing");
            }
            return n == null || n.isNull() ? null : n;
        }

        String string(String key, String fallback) {
            JsonNode n = value(key, fallback == null);
            if (n == null) {
                return fallback;
            }
            if (!n.isValueNode()) {
                throw new ConfigException(path(key) + ": expected a text value");
            }
            return n.asText();
        }

        String id(String key) {
            String v = string(key, null);
            if (!v.matches("[A-Za-z0-9._:-]{1,128}")) {
                throw new ConfigException(path(key) + ": '" + v + "' is not an id; use 1..128 characters of [A-Za-z0-9._:-]");
            }
            return v;
        }

        String address(String key, String fallback) {
            String v = string(key, fallback);
            int colon = v.lastIndexOf(':');
            boolean ok = colon > 0;
            if (ok) {
                try {
                    int port = Integer.parseInt(v.substring(colon + 1));
                    ok = port >= 0 && port <= 65535;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new ConfigException(path(key) + ": '" + v + "' is not host:port (port 0..65535)");
            }
            return v;
        }

        long longValue(String key, long fallback, long min, long max) {
            JsonNode n = value(key, false);
            if (n == null) {
                return fallback;
            }
            if (!n.canConvertToLong() || !n.isIntegralNumber()) {
                throw new ConfigException(path(key) + ": expected a whole number, got '" + n.asText() + "'");
            }
            long v = n.asLong();
            if (v < min || v > max) {
                throw new ConfigException(path(key) + ": " + v + " is outside " + min + ".." + max);
            }
            return v;
        }

        double doubleValue(String key, double fallback, double min, double max) {
            JsonNode n = value(key, false);
            if (n == null) {
                return fallback;
            }
            if (!n.isNumber()) {
                throw new ConfigException(path(key) + ": expected a number, got '" + n.asText() + "'");
            }
            double v = n.asDouble();
            if (!(v >= min && v <= max)) {
                throw new ConfigException(path(key) + ": " + v + " is outside [" + min + ", " + max + "]");
            }
            return v;
        }

        boolean bool(String key, boolean fallback) {
            JsonNode n = value(key, false);
            if (n == null) {
                return fallback;
            }
            if (!n.isBoolean()) {
                throw new ConfigException(path(key) + ": expected true or false, got '" + n.asText() + "'");
            }
            return n.asBoolean();
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
            String v = string(key, fallback == null ? null : fallback.name());
            try {
                return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                List<String> names = new ArrayList<>();
                for (E c : type.getEnumConstants()) {
                    names.add(c.name().toLowerCase(Locale.ROOT));
                }
                throw new ConfigException(path(key) + ": '" + v + "' is not one of " + names);
            }
        }
    }
}
