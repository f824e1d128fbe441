package io.starling.sim.experiment;

import io.starling.sim.trace.GeneratorParams;
import java.util.List;
import java.util.Map;

/**
 * An experiment: the devices, data, model, faults and the learning modes to compare on them.
 * Read from YAML by {@link ConfigLoader}, which fills defaults and validates; see
 * docs/simulator.md for every key.
 */
public record ExperimentConfig(String name, long seed, double durationS, double reportIntervalS,
                               double targetAccuracy, int evalDevices, boolean checkInvariants,
                               Data data, ModelSpec model, Training training, Devices devices,
                               Aggregators aggregators, Faults faults, List<Mode> modes) {

    /** Where the data comes from and how it is split over devices. */
    public record Data(String source, String partition, Streaming streaming) {
    }

    /**
     * Local data arriving over time. A device starts with {@code initialFraction} of its share
     * and receives {@code samplesPerS} more per virtual second until it has all of it; rows that
     * arrive after {@code driftAtS} (if > 0) have their label shifted by {@code labelShift}
     * (mod classes), a simple concept drift. Reports add accuracy on what arrived in the last
     * {@code windowS}.
     */
    public record Streaming(boolean enabled, double initialFraction, double samplesPerS, double windowS,
                            double driftAtS, int labelShift) {
    }

    public record ModelSpec(String spec) {
    }

    /** Local training hyper-parameters handed to the protocol nodes. */
    public record Training(int epochs, int maxSteps, int batchSize, double learningRate, double momentum,
                           double weightDecay) {
    }

    /** Devices: {@code count} of them, from exactly one of the three sources. */
    public record Devices(int count, String source, GeneratorParams generator, FedScale fedscale, Uniform uniform) {
    }

    /** FedScale trace files (pickles, or .json), with the costs FedScale traces do not carry. */
    public record FedScale(String capacity, String behaviour, long latencyMs, Energy energy) {
    }

    /** Every device the same; handy for small experiments and tests. */
    public record Uniform(double computeSamplesPerS, double uplinkKbps, double downlinkKbps, long latencyMs,
                          Energy energy, double batteryJ) {
    }

    public record Energy(double joulesPerSample, double joulesPerMbSent, double joulesPerMbReceived,
                         double idleWatts) {
    }

    /** The server side: {@code count} aggregator replicas on datacenter links. */
    public record Aggregators(int count, double computeSamplesPerS, double bandwidthMbps, long latencyMs) {
    }

    /** What goes wrong; device faults name devices by index ({@code 0..count-1}). */
    public record Faults(List<Outage> aggregatorOutages, List<Crash> crashes, List<PartitionSpec> partitions,
                         List<Loss> messageLoss) {
    }

    public record Outage(double fromS, double toS) {
    }

    public record Crash(int device, double atS, double recoverAtS, boolean keepState) {
    }

    /** Groups of device indices; aggregators join group {@code aggregatorGroup}. */
    public record PartitionSpec(double fromS, double toS, List<List<Integer>> groups, int aggregatorGroup) {
    }

    public record Loss(double rate, double fromS, double toS) {
    }

    /** One learning mode to run: {@code name} picks the protocol, {@code params} tune it. */
    public record Mode(String name, String label, Map<String, Object> params) {
        public String displayName() {
            return label == null || label.isBlank() ? name : label;
        }
    }
}
