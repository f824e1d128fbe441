package io.starling.sim.testing;

import io.starling.core.model.TrainConfig;
import io.starling.core.param.ParamVector;
import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.Message;
import io.starling.protocol.NodeId;
import io.starling.protocol.Observation;
import io.starling.protocol.ProtocolNode;
import io.starling.sim.experiment.ModeBinding;
import io.starling.sim.experiment.ModeSetup;
import io.starling.sim.engine.NodeFactory;
import io.starling.sim.engine.NodeRole;
import java.util.List;

/**
 * A minimal asynchronous star protocol for testing the simulator without starling-protocol's
 * real modes: devices pull the model, train, push the result; the server mixes each update in
 * with weight {@code mix} and commits a new version. A failed send retries after {@code retryMs}.
 */
public final class ToyStar implements ModeBinding {
    public record Pull(NodeId sender) implements Message {
        @Override
        public long wireBytes() {
            return 16;
        }
    }

    public record Model(NodeId sender, long version, ParamVector params) implements Message {
        @Override
        public long wireBytes() {
            return 16 + 4L * params.size();
        }
    }

    public record Update(NodeId sender, long baseVersion, ParamVector params) implements Message {
        @Override
        public long wireBytes() {
            return 16 + 4L * params.size();
        }
    }

    @Override
    public String name() {
        return "toy-star";
    }

    @Override
    public String description() {
        return "test-only asynchronous star";
    }

    @Override
    public NodeFactory nodes(ModeSetup setup) {
        double mix = setup.params().getDouble("mix", 0.5, 0, 1);
        long retryMs = setup.params().getLong("retryMs", 5_000, 1, Long.MAX_VALUE);
        NodeId server = setup.aggregators().get(0);
        return (index, spec, rng) -> spec.role() == NodeRole.AGGREGATOR
                ? new Server(spec.id(), setup.initialModel().copy(), mix)
                : new Device(spec.id(), server, setup.trainConfig(), retryMs);
    }

    static final class Server implements ProtocolNode {
        private final NodeId id;
        private ParamVector model;
        private long version;
        private final double mix;

        Server(NodeId id, ParamVector model, double mix) {
            this.id = id;
            this.model = model;
            this.mix = mix;
        }

        @Override
        public NodeId id() {
            return id;
        }

        @Override
        public List<Action> handle(Event event, long nowMs) {
            if (event instanceof Event.MessageReceived r) {
                if (r.message() instanceof Pull) {
                    return List.of(new Action.Send(r.from(), new Model(id, version, model.copy())));
                }
                if (r.message() instanceof Update u) {
                    long staleness = version - u.baseVersion();
                    model = model.copy().lerpInPlace(mix, u.params());
                    version++;
                    return List.of(new Action.Report(new Observation.UpdateAccepted(r.from(), "u" + version, staleness)),
                            new Action.ModelCommitted(version, model, version),
                            new Action.Send(r.from(), new Model(id, version, model.copy())));
                }
            }
            return List.of();
        }
    }

    static final class Device implements ProtocolNode {
        private final NodeId id;
        private final NodeId server;
        private final TrainConfig config;
        private final long retryMs;
        private long baseVersion;
        private long requests;

        Device(NodeId id, NodeId server, TrainConfig config, long retryMs) {
            this.id = id;
            this.server = server;
            this.config = config;
            this.retryMs = retryMs;
        }

        @Override
        public NodeId id() {
            return id;
        }

        private List<Action> pull(long nowMs) {
            return List.of(new Action.Send(server, new Pull(id)), new Action.SetTimer("retry", nowMs + 10 * retryMs));
        }

        @Override
        public List<Action> handle(Event event, long nowMs) {
            return switch (event) {
                case Event.Start s -> pull(nowMs);
                case Event.TimerFired t -> pull(nowMs);
                case Event.DeliveryFailed f -> List.of(new Action.SetTimer("retry", nowMs + retryMs));
                case Event.MessageReceived r when r.message() instanceof Model m -> {
                    baseVersion = m.version();
                    yield List.of(new Action.CancelTimer("retry"),
                            new Action.StartTraining(++requests, m.params(), config.withSeed(config.seed() + requests)));
                }
                case Event.TrainingDone d -> List.of(new Action.Send(server, new Update(id, baseVersion, d.model())),
                        new Action.SetTimer("retry", nowMs + 10 * retryMs)); // the update or reply may be lost
                default -> List.of();
            };
        }
    }
}
