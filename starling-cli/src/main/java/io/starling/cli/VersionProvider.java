package io.starling.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest (falls back to "dev" when run from classes). */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = StarlingCli.class.getPackage().getImplementationVersion();
        return new String[] {"starling " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
}
