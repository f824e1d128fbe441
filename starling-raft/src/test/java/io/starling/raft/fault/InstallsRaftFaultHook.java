package io.starling.raft.fault;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that installs {@link RaftFaultInjection} in the test JVM. The hook is global
 * to the JVM and its rules name replicas by id, so a hook that outlived its test would silently
 * cut the Raft traffic of any later test whose replicas share those ids. The build runs these
 * classes in a forked JVM of their own (surefire execution {@code raft-fault-hook} in
 * {@code starling-raft/pom.xml}), away from every other Raft test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(InstallsRaftFaultHook.TAG)
public @interface InstallsRaftFaultHook {
    /** The JUnit tag the build selects these classes by. */
    String TAG = "raft-fault-hook";
}
