package io.blurstream.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors a configuration needs, in a fixed order. Matrices are stored "in × out", row-major,
 * so a linear map is {@code y = x·W + b}. This is the single source of truth for tensor names and
 * shapes: the model file, the initialiser, the inference network and training all read it.
 *
 * <pre>
 * encoder.weight [C_in, H]          encoder.bias [H]
 * blocks.{i}.norm.weight [H]        blocks.{i}.norm.bias [H]
 * blocks.{i}.{forward|backward}.nu [N]  .theta [N]  .gamma_log [N]
 *     .B_re [H, N]  .B_im [H, N]  .C_re [N, H]  .C_im [N, H]
 * blocks.{i}.D [H]
 * blocks.{i}.glu.weight [H, 2H]     blocks.{i}.glu.bias [2H]   (value columns, then gate columns)
 * head.norm.weight [H]              head.norm.bias [H]
 * head.time.weight [F, W]           head.time.bias [F]
 * head.channel.weight [H, C_out]    head.channel.bias [C_out]
 * </pre>
 */
public final class ParameterLayout {

    private final Map<String, ParameterSpec> specs;

    private ParameterLayout(Map<String, ParameterSpec> specs) {
        this.specs = Collections.unmodifiableMap(specs);
    }

    public static ParameterLayout of(BlurConfig config) {
        int h = config.hidden();
        int n = config.state();
        Map<String, ParameterSpec> specs = new LinkedHashMap<>();
        dense(specs, "encoder.weight", config.inputChannels(), h);
        dense(specs, "encoder.bias", h);
        for (int i = 0; i < config.layers(); i++) {
            String block = block(i);
            dense(specs, block + ".norm.weight", h);
            dense(specs, block + ".norm.bias", h);
            for (String dir : directions(config)) {
                String lru = block + "." + dir;
                recurrent(specs, lru + ".nu", n);
                recurrent(specs, lru + ".theta", n);
                recurrent(specs, lru + ".gamma_log", n);
                recurrent(specs, lru + ".B_re", h, n);
                recurrent(specs, lru + ".B_im", h, n);
                dense(specs, lru + ".C_re", n, h);
                dense(specs, lru + ".C_im", n, h);
            }
            dense(specs, block + ".D", h);
            dense(specs, block + ".glu.weight", h, 2 * h);
            dense(specs, block + ".glu.bias", 2 * h);
        }
        dense(specs, "head.norm.weight", h);
        dense(specs, "head.norm.bias", h);
        dense(specs, "head.time.weight", config.horizon(), config.window());
        dense(specs, "head.time.bias", config.horizon());
        dense(specs, "head.channel.weight", h, config.outputChannels());
        dense(specs, "head.channel.bias", config.outputChannels());
        return new ParameterLayout(specs);
    }

    /** Prefix of block {@code i}'s tensors. */
    public static String block(int i) {
        return "blocks." + i;
    }

    /** Names of the recurrences of a block: {@code forward}, and {@code backward} for BLUR. */
    public static List<String> directions(BlurConfig config) {
        return config.direction() == Direction.BIDIRECTIONAL
                ? List.of("forward", "backward")
                : List.of("forward");
    }

    public List<ParameterSpec> specs() {
        return new ArrayList<>(specs.values());
    }

    public ParameterSpec spec(String name) {
        return specs.get(name);
    }

    public boolean contains(String name) {
        return specs.containsKey(name);
    }

    /** Total number of scalar parameters. */
    public long parameterCount() {
        long count = 0;
        for (ParameterSpec spec : specs.values()) {
            count += spec.size();
        }
        return count;
    }

    private static void dense(Map<String, ParameterSpec> specs, String name, int... shape) {
        specs.put(name, new ParameterSpec(name, shape, ParameterGroup.DENSE));
    }

    private static void recurrent(Map<String, ParameterSpec> specs, String name, int... shape) {
        specs.put(name, new ParameterSpec(name, shape, ParameterGroup.RECURRENT));
    }
}
