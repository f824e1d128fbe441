package io.starling.sim.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.starling.core.model.TrainConfig;
import io.starling.sim.trace.GeneratorParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an experiment config from YAML: the user's keys are laid over built-in defaults, unknown
 * keys and ill-typed values are rejected by Jackson, and {@link #validate} then checks ranges,
 * files, model specs, partitions and mode parameters. Every error is a {@link ConfigException}
 * naming the dotted key path (or the file) and what is expected, raised before anything runs.
 */
public final class ConfigLoader {
    static final String DEFAULTS = """
            name: experiment
            seed: 1
            durationS: 3600
            reportIntervalS: 60
            targetAccuracy: 0.8
            evalDevices: 10
            checkInvariants: true
            data:
              source: mnist10k
              partition: iid
              streaming: {enabled: false, initialFraction: 0.1, samplesPerS: 0.01, windowS: 600, driftAtS: 0, labelShift: 1}
            model: {spec: logreg}
            training: {epochs: 1, maxSteps: 0, batchSize: 16, learningRate: 0.05, momentum: 0.0, weightDecay: 0.0}
            devices:
              count: 100
              source: generator
              fedscale:
                capacity: null
                behaviour: null
                latencyMs: 50
                energy: {joulesPerSample: 0.02, joulesPerMbSent: 5, joulesPerMbReceived: 2, idleWatts: 0.05}
              uniform:
                computeSamplesPerS: 50
                uplinkKbps: 2000
                downlinkKbps: 10000
                latencyMs: 50
                energy: {joulesPerSample: 0.02, joulesPerMbSent: 5, joulesPerMbReceived: 2, idleWatts: 0.05}
                batteryJ: 0
            aggregators: {count: 1, computeSamplesPerS: 100000, bandwidthMbps: 1000, latencyMs: 5}
            faults: {aggregatorOutages: [], crashes: [], partitions: [], messageLoss: []}
            modes: []
            """;
    private static final Set<String> DEVICE_SOURCES = Set.of("generator", "fedscale", "uniform");

    private final ObjectMapper yaml;
    private final DataCatalog data;
    private final ModelCatalog models;
    private final ModeRegistry modes;

    public ConfigLoader(DataCatalog data, ModelCatalog models, ModeRegistry modes) {
        this.data = data;
        this.models = models;
        this.modes = modes;
        this.yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);
    }

    /** Reads, fills defaults and validates {@code file}; relative paths in it resolve against its folder. */
    public ExperimentConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        return validate(parse(text, file.toString()), base);
    }

    /** Parses YAML text over the defaults, without the semantic checks of {@link #validate}. */
    public ExperimentConfig parse(String text, String origin) {
        JsonNode user;
        try {
            user = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(origin + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        }
        if (user == null || user.isMissingNode() || user.isNull()) {
            throw new ConfigException(origin + ": the config is empty; it needs at least 'modes'");
        }
        if (!user.isObject()) {
            throw new ConfigException(origin + ": the top level must be a mapping of keys to values");
        }
        ObjectNode merged;
        try {
            merged = (ObjectNode) yaml.readTree(DEFAULTS);
            merged.set("devices", withGeneratorDefaults((ObjectNode) merged.get("devices")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("built-in defaults do not parse", e);
        }
        overlay(merged, (ObjectNode) user);
        try {
            return yaml.treeToValue(merged, ExperimentConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new ConfigException(origin + ": unknown key '" + path(e) + "'; expected one of: " + known, e);
        } catch (InvalidFormatException e) {
            throw new ConfigException(origin + ": bad value '" + e.getValue() + "' for '" + path(e) + "'; expected "
                    + describe(e.getTargetType()), e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException(origin + ": bad value for '" + path(e) + "': " + cause.getMessage(), e);
        } catch (MismatchedInputException e) {
            throw new ConfigException(origin + ": bad value for '" + path(e) + "'; expected "
                    + describe(e.getTargetType()), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(origin + ": " + e.getOriginalMessage(), e);
        }
    }

    private ObjectNode withGeneratorDefaults(ObjectNode devices) {
        devices.set("generator", yaml.valueToTree(GeneratorParams.defaults()));
        return devices;
    }

    /** Lays {@code user} over {@code base}: mappings merge key by key, everything else replaces. */
    private static void overlay(ObjectNode base, ObjectNode user) {
        Iterator<Map.Entry<String, JsonNode>> it = user.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = base.get(e.getKey());
            if (existing instanceof ObjectNode b && e.getValue() instanceof ObjectNode u) {
                overlay(b, u);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of keys to values";
        }
        return "a " + type.getSimpleName();
    }

    /** Semantic checks: ranges, files, model and partition specs, modes and their parameters. */
    public ExperimentConfig validate(ExperimentConfig c, Path baseDir) {
        require(c.name() != null && !c.name().isBlank(), "name", "a non-empty name");
        positive(c.durationS(), "durationS");
        positive(c.reportIntervalS(), "reportIntervalS");
        require(c.reportIntervalS() <= c.durationS(), "reportIntervalS",
                "at most durationS (" + c.durationS() + "), got " + c.reportIntervalS());
        require(c.targetAccuracy() > 0 && c.targetAccuracy() <= 1, "targetAccuracy",
                "a number in (0, 1], got " + c.targetAccuracy());
        require(c.evalDevices() >= 1, "evalDevices", "an integer >= 1, got " + c.evalDevices());

        data.check(c.data().source(), c.data().partition(), baseDir, "data.source", "data.partition");
        ExperimentConfig.Streaming s = c.data().streaming();
        require(s.initialFraction() >= 0 && s.initialFraction() <= 1, "data.streaming.initialFraction",
                "a number in [0, 1], got " + s.initialFraction());
        require(s.samplesPerS() >= 0 && Double.isFinite(s.samplesPerS()), "data.streaming.samplesPerS",
                "a number >= 0, got " + s.samplesPerS());
        positive(s.windowS(), "data.streaming.windowS");
        require(s.driftAtS() >= 0, "data.streaming.driftAtS", "a time >= 0 (0 = no drift), got " + s.driftAtS());
        models.check(c.model().spec(), "model.spec");
        trainConfig(c);

        ExperimentConfig.Devices d = c.devices();
        require(d.count() >= 1 && d.count() <= 10_000_000, "devices.count", "an integer in [1, 10000000], got " + d.count());
        require(DEVICE_SOURCES.contains(d.source()), "devices.source",
                "one of generator, fedscale, uniform; got '" + d.source() + "'");
        if (d.source().equals("fedscale")) {
            requireFile(d.fedscale().capacity(), baseDir, "devices.fedscale.capacity");
            if (d.fedscale().behaviour() != null) {
                requireFile(d.fedscale().behaviour(), baseDir, "devices.fedscale.behaviour");
            }
        }
        require(c.aggregators().count() >= 1 && c.aggregators().count() <= 15, "aggregators.count",
                "an integer in [1, 15], got " + c.aggregators().count());
        positive(c.aggregators().bandwidthMbps(), "aggregators.bandwidthMbps");
        positive(c.aggregators().computeSamplesPerS(), "aggregators.computeSamplesPerS");

        validateFaults(c);
        require(!c.modes().isEmpty(), "modes", "a list of at least one mode (" + String.join(", ", modes.names()) + ")");
        for (int i = 0; i < c.modes().size(); i++) {
            ExperimentConfig.Mode m = c.modes().get(i);
            require(m.name() != null, "modes[" + i + "].name", "one of " + String.join(", ", modes.names()));
            ModeBinding b = modes.require(m.name(), "modes[" + i + "].name");
            ModeParams p = new ModeParams("modes[" + i + "].params", m.params());
            b.nodes(new ModeSetup(List.of(io.starling.protocol.NodeId.of("aggregator-0")),
                    List.of(io.starling.protocol.NodeId.of("device-0")),
                    io.starling.core.param.ParamVector.zeros(1), trainConfig(c), p, c.seed()));
            p.requireAllUsed();
        }
        return c;
    }

    private void validateFaults(ExperimentConfig c) {
        ExperimentConfig.Faults f = c.faults();
        for (int i = 0; i < f.aggregatorOutages().size(); i++) {
            ExperimentConfig.Outage o = f.aggregatorOutages().get(i);
            window(o.fromS(), o.toS(), c.durationS(), "faults.aggregatorOutages[" + i + "]");
        }
        for (int i = 0; i < f.crashes().size(); i++) {
            ExperimentConfig.Crash k = f.crashes().get(i);
            String p = "faults.crashes[" + i + "]";
            require(k.device() >= 0 && k.device() < c.devices().count(), p + ".device",
                    "a device index in [0, " + c.devices().count() + "), got " + k.device());
            require(k.atS() >= 0, p + ".atS", "a time >= 0, got " + k.atS());
            require(k.recoverAtS() < 0 || k.recoverAtS() > k.atS(), p + ".recoverAtS",
                    "a time after atS (" + k.atS() + ") or -1 for never, got " + k.recoverAtS());
        }
        for (int i = 0; i < f.partitions().size(); i++) {
            ExperimentConfig.PartitionSpec ps = f.partitions().get(i);
            String p = "faults.partitions[" + i + "]";
            window(ps.fromS(), ps.toS(), c.durationS(), p);
            require(ps.groups() != null && !ps.groups().isEmpty(), p + ".groups", "a list of lists of device indices");
            require(ps.aggregatorGroup() >= 0 && ps.aggregatorGroup() <= ps.groups().size(), p + ".aggregatorGroup",
                    "a group index in [0, " + ps.groups().size() + "], got " + ps.aggregatorGroup());
            for (List<Integer> g : ps.groups()) {
                for (Integer d : g) {
                    require(d != null && d >= 0 && d < c.devices().count(), p + ".groups",
                            "device indices in [0, " + c.devices().count() + "), got " + d);
                }
            }
        }
        for (int i = 0; i < f.messageLoss().size(); i++) {
            ExperimentConfig.Loss l = f.messageLoss().get(i);
            String p = "faults.messageLoss[" + i + "]";
            require(l.rate() >= 0 && l.rate() <= 1, p + ".rate", "a probability in [0, 1], got " + l.rate());
            window(l.fromS(), l.toS(), c.durationS(), p);
        }
    }

    /** The protocol nodes' local training settings; throws naming {@code training} if invalid. */
    public static TrainConfig trainConfig(ExperimentConfig c) {
        ExperimentConfig.Training t = c.training();
        try {
            return new TrainConfig(t.epochs(), t.maxSteps(), t.batchSize(), t.learningRate(), t.momentum(),
                    t.weightDecay(), c.seed());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("training: " + e.getMessage(), e);
        }
    }

    private static void requireFile(String file, Path baseDir, String path) {
        require(file != null && !file.isBlank(), path, "a file name");
        Path p = baseDir.resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new ConfigException(path + ": file " + p + " does not exist");
        }
    }

    private static void window(double fromS, double toS, double durationS, String path) {
        require(fromS >= 0 && toS > fromS, path, "a window with 0 <= fromS < toS, got [" + fromS + ", " + toS + ")");
        require(fromS < durationS, path + ".fromS", "a time before the end of the run (" + durationS + " s), got " + fromS);
    }

    private static void positive(double v, String path) {
        require(v > 0 && Double.isFinite(v), path, "a number > 0, got " + v);
    }

    private static void require(boolean ok, String path, String expected) {
        if (!ok) {
            throw new ConfigException(path + ": expected " + expected);
        }
    }
}
