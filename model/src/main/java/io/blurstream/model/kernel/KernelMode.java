package io.blurstream.model.kernel;

/**
 * Which implementation the kernels use. {@link #VECTOR} needs the {@code jdk.incubator.vector}
 * module ({@code --add-modules=jdk.incubator.vector} on Java 17); {@link #SCALAR} is the portable
 * fallback that C2 compiles to plain (partly auto-vectorised) loops.
 */
public enum KernelMode {
    VECTOR,
    SCALAR;

    /** System property that forces a mode, e.g. {@code -Dblurstream.kernel=scalar}. */
    public static final String PROPERTY = "blurstream.kernel";

    private static final KernelMode DETECTED = detect();

    /** The mode the kernels use in this JVM: the Vector API when present, unless overridden. */
    public static KernelMode active() {
        return DETECTED;
    }

    /** Whether the Vector API module was resolved at start-up. */
    public static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static KernelMode detect() {
        String forced = System.getProperty(PROPERTY, "").trim();
        if (forced.equalsIgnoreCase("scalar")) {
            return SCALAR;
        }
        boolean present = vectorApiPresent();
        if (forced.equalsIgnoreCase("vector") && !present) {
            throw new IllegalStateException(
                    "-D"
                            + PROPERTY
                            + "=vector but the Vector API is missing: start the JVM with"
                            + " --add-modules=jdk.incubator.vector");
        }
        if (!forced.isEmpty() && !forced.equalsIgnoreCase("vector")) {
            throw new IllegalStateException(
                    "-D" + PROPERTY + " must be 'vector' or 'scalar', got '" + forced + "'");
        }
        return present ? VECTOR : SCALAR;
    }
}
