package io.starling.sim.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads FedScale's {@code client_device_capacity} and {@code client_behave_trace} files: Python
 * pickles of dicts keyed by client id (read with razorvine's pickle library, no Python needed),
 * or the same structure as JSON when the file name ends in {@code .json}. Every value is
 * checked; errors name the file and the client.
 */
public final class FedScaleTraceLoader {
    /** Trace files above this size are refused rather than read into memory. */
    public static final long MAX_FILE_BYTES = 512L << 20;

    private FedScaleTraceLoader() {
    }

    public static FedScaleTrace load(Path capacityFile, Path behaviourFile) {
        Map<?, ?> cap = readDict(capacityFile);
        Map<?, ?> beh = behaviourFile == null ? Map.of() : readDict(behaviourFile);
        TreeMap<Long, FedScaleTrace.Capacity> capacities = new TreeMap<>();
        for (Map.Entry<?, ?> e : cap.entrySet()) {
            long id = clientId(capacityFile, e.getKey());
            Map<?, ?> v = dict(capacityFile, id, e.getValue());
            try {
                capacities.put(id, new FedScaleTrace.Capacity(number(capacityFile, id, v, "computation"),
                        number(capacityFile, id, v, "communication")));
            } catch (IllegalArgumentException ex) {
                throw new TraceFormatException(capacityFile + ": client " + id + ": " + ex.getMessage(), ex);
            }
        }
        TreeMap<Long, FedScaleTrace.Behaviour> behaviours = new TreeMap<>();
        for (Map.Entry<?, ?> e : beh.entrySet()) {
            long id = clientId(behaviourFile, e.getKey());
            Map<?, ?> v = dict(behaviourFile, id, e.getValue());
            try {
                Object model = v.get("model");
                behaviours.put(id, new FedScaleTrace.Behaviour(
                        v.containsKey("duration") ? number(behaviourFile, id, v, "duration") : 0,
                        numbers(behaviourFile, id, v, "active"), numbers(behaviourFile, id, v, "inactive"),
                        number(behaviourFile, id, v, "finish_time"), model == null ? "" : model.toString()));
            } catch (IllegalArgumentException ex) {
                throw new TraceFormatException(behaviourFile + ": client " + id + ": " + ex.getMessage(), ex);
            }
        }
        if (capacities.isEmpty()) {
            throw new TraceFormatException(capacityFile + ": holds no clients");
        }
        return new FedScaleTrace(capacities, behaviours);
    }

    private static Map<?, ?> readDict(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new TraceFormatException(file + ": " + size + " bytes is above the " + MAX_FILE_BYTES
                        + "-byte limit for trace files");
            }
            Object root;
            if (file.getFileName().toString().endsWith(".json")) {
                root = new ObjectMapper().readValue(file.toFile(), Object.class);
            } else {
                Unpickler unpickler = new Unpickler();
                try (InputStream in = Files.newInputStream(file)) {
                    root = unpickler.load(in);
                } finally {
                    unpickler.close();
                }
            }
            if (!(root instanceof Map<?, ?> m)) {
                throw new TraceFormatException(file + ": expected a dict keyed by client id at the top, found "
                        + (root == null ? "None" : root.getClass().getSimpleName()));
            }
            return m;
        } catch (NoSuchFileException e) {
            throw new TraceFormatException("trace file " + file + " does not exist", e);
        } catch (PickleException e) {
            throw new TraceFormatException(file + ": not a readable Python pickle (" + e.getMessage()
                    + "); save plain dicts, lists and numbers, or use .json", e);
        } catch (IOException e) {
            throw new TraceFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static long clientId(Path file, Object key) {
        if (key instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(key).trim());
        } catch (NumberFormatException e) {
            throw new TraceFormatException(file + ": client id '" + key + "' is not an integer", e);
        }
    }

    private static Map<?, ?> dict(Path file, long id, Object v) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw new TraceFormatException(file + ": client " + id + ": expected a dict, found "
                + (v == null ? "None" : v.getClass().getSimpleName()));
    }

    private static double number(Path file, long id, Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new TraceFormatException(file + ": client " + id + ": '" + key + "' must be a number, found "
                + (v == null ? "nothing" : v.getClass().getSimpleName() + " " + v));
    }

    private static double[] numbers(Path file, long id, Map<?, ?> m, String key) {
        Object v = m.get(key);
        List<?> list;
        if (v instanceof List<?> l) {
            list = l;
        } else if (v instanceof Object[] a) {
            list = List.of(a);
        } else {
            throw new TraceFormatException(file + ": client " + id + ": '" + key + "' must be a list of seconds, found "
                    + (v == null ? "nothing" : v.getClass().getSimpleName()));
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new TraceFormatException(file + ": client " + id + ": '" + key + "'[" + i + "] must be a number, found "
                        + list.get(i));
            }
            out[i] = n.doubleValue();
        }
        return out;
    }
}
