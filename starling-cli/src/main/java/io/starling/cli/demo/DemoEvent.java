package io.starling.cli.demo;

/**
 * Something the demo narrated, kept for the report's event table and {@code events.csv}.
 *
 * @param atS seconds since the demo started
 * @param kind short tag: {@code leader}, {@code kill}, {@code elected}, {@code failover}, {@code restart}, ...
 */
public record DemoEvent(double atS, String kind, String detail) {
}
