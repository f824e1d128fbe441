package io.starling.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;

/**
 * Starts DJL's PyTorch engine strictly offline, from the native libraries bundled in the
 * {@code pytorch-native-cpu} and {@code pytorch-jni} jars.
 *
 * <p>DJL looks for {@code native/lib/pytorch.properties} on the class path (shipped by the
 * native jar); when it is there, DJL extracts libtorch and {@code libdjl_torch.so} into its
 * engine cache directory ({@code ENGINE_CACHE_DIR}, else {@code DJL_CACHE_DIR}/pytorch, else
 * {@code ~/.djl.ai/pytorch}) once and loads them from there. When it is missing, DJL would try to
 * download libtorch, which Starling never wants: this class checks first and fails with a typed
 * error instead, and it sets {@code ai.djl.offline=true} unless the user chose otherwise.
 */
public final class PyTorchRuntime {
    /** The resource by which DJL recognises a bundled native library. */
    static final String BUNDLED_NATIVE_MARKER = "native/lib/pytorch.properties";
    /** The resource by which DJL recognises a bundled JNI bridge. */
    static final String BUNDLED_JNI_MARKER = "jnilib/pytorch.properties";
    private static final String ENGINE_NAME = "PyTorch";

    private static Engine engine;

    private PyTorchRuntime() {
    }

    /**
     * The PyTorch engine, started on first use.
     *
     * @throws DjlEngineUnavailableException if the bundled native libraries are missing or fail to
     *     load
     */
    public static synchronized Engine engine() {
        if (engine == null) {
            engine = start();
        }
        return engine;
    }

    /**
     * Whether the engine starts here; never throws. Tests use it to skip with {@link #whyNot()}.
     */
    public static boolean isAvailable() {
        return whyNot() == null;
    }

    /** Null when the engine starts, else the reason it does not. */
    public static synchronized String whyNot() {
        try {
            engine();
            return null;
        } catch (DjlEngineUnavailableException e) {
            return e.getMessage();
        }
    }

    private static Engine start() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        ClassLoader loader = PyTorchRuntime.class.getClassLoader();
        if (loader.getResource(BUNDLED_NATIVE_MARKER) == null) {
            throw new DjlEngineUnavailableException("the PyTorch native library is not on the class path: add "
                    + "ai.djl.pytorch:pytorch-native-cpu:2.7.1 with classifier linux-x86_64 "
                    + "(Starling never lets DJL download it)");
        }
        if (loader.getResource(BUNDLED_JNI_MARKER) == null) {
            throw new DjlEngineUnavailableException("the DJL PyTorch JNI bridge is not on the class path: add "
                    + "ai.djl.pytorch:pytorch-jni:2.7.1-0.35.1");
        }
        String os = System.getProperty("os.name", "") + "/" + System.getProperty("os.arch", "");
        if (!os.startsWith("Linux/") || !(os.endsWith("amd64") || os.endsWith("x86_64"))) {
            throw new DjlEngineUnavailableException("the bundled PyTorch native library is built for "
                    + "linux-x86_64 but this JVM runs on " + os + "; use the built-in engine (a spec "
                    + "without 'djl:') or put the native jar for this platform on the class path");
        }
        try {
            Engine e = Engine.getEngine(ENGINE_NAME);
            if (e == null) {
                throw new DjlEngineUnavailableException("DJL found no PyTorch engine provider: add "
                        + "ai.djl.pytorch:pytorch-engine:0.35.1 to the class path");
            }
            return e;
        } catch (EngineException | IllegalArgumentException | UnsatisfiedLinkError e) {
            throw new DjlEngineUnavailableException("DJL could not load the bundled PyTorch native library ("
                    + e.getMessage() + "); check that the engine cache directory (system property or "
                    + "environment variable ENGINE_CACHE_DIR, default ~/.djl.ai/pytorch) is writable "
                    + "and has about 500 MB free", e);
        }
    }
}
