package io.starling.sim.testing;

import io.starling.protocol.Action;
import io.starling.protocol.Event;
import io.starling.protocol.NodeId;
import io.starling.protocol.ProtocolNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** A protocol node whose reactions a test writes as a function, and which records what it saw. */
public final class ScriptedNode implements ProtocolNode {
    /** One event as the node saw it. */
    public record Seen(long atMs, Event event) {
    }

    private final NodeId id;
    private final BiFunction<Event, Long, List<Action>> script;
    private final List<Seen> seen = new ArrayList<>();

    public ScriptedNode(NodeId id, BiFunction<Event, Long, List<Action>> script) {
        this.id = id;
        this.script = script;
    }

    public static ScriptedNode passive(NodeId id) {
        return new ScriptedNode(id, (e, t) -> List.of());
    }

    @Override
    public NodeId id() {
        return id;
    }

    @Override
    public List<Action> handle(Event event, long nowMs) {
        seen.add(new Seen(nowMs, event));
        return script.apply(event, nowMs);
    }

    public List<Seen> seen() {
        return seen;
    }

    public <E extends Event> List<Seen> seen(Class<E> type) {
        return seen.stream().filter(s -> type.isInstance(s.event())).toList();
    }
}
