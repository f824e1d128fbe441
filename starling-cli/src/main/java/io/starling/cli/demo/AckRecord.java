package io.starling.cli.demo;

/**
 * A client saw {@code updateId} acknowledged as part of checkpoint {@code version}.
 *
 * @param atS seconds since the demo started
 */
public record AckRecord(String clientId, String updateId, long version, double atS) {
}
