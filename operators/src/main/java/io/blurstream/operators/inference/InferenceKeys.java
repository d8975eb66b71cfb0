package io.blurstream.operators.inference;

import io.blurstream.operators.record.FusedWindow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The key inference is partitioned by: one int per group, chosen so that the catalog's groups
 * spread evenly over inference's subtasks.
 *
 * <p>Flink sends a key to the subtask that owns its key group, {@code murmur(hashCode) %
 * maxParallelism}. For group ids that is a random draw: 50 groups on two subtasks split 29 to 21
 * about as often as not, and the subtask with 29 sets the pace of the whole job, while the other
 * waits for a share of its core. Inference is nearly all of the job's work, so the job keys it by
 * an int picked per group instead, one whose key group is the one the group should have.
 *
 * <p>The i-th group of the catalog gets the key group at the i-th point of the van der Corput
 * sequence (0, ½, ¼, ¾, ⅛, ...) scaled to {@code maxParallelism}. Any leading run of the catalog,
 * not only the whole of it, then splits evenly over any power-of-two number of subtasks (to within
 * one group), and nearly evenly over other numbers (50 or 200 groups on 3 to 7 subtasks: at most
 * two groups above an even split), whatever the parallelism the job runs or is rescaled to. The
 * keys depend only on the catalog's order and {@code maxParallelism}: a job restored with the same
 * catalog keys its state the same way. Should they not match (another catalog, another maximum),
 * inference is still correct, since windows and the state kept for them carry their group id; only
 * the balance is lost.
 */
public final class InferenceKeys implements KeySelector<FusedWindow, Integer> {
    private static final long serialVersionUID = 1L;

    private final Map<String, Integer> keys;

    private InferenceKeys(Map<String, Integer> keys) {
        this.keys = keys;
    }

    /**
     * Keys for {@code groupIds} in their order (the catalog's).
     *
     * @param maxParallelism the maximum parallelism of the inference operator (its number of key
     *     groups)
     * @throws IllegalArgumentException if {@code maxParallelism} is not positive
     */
    public static InferenceKeys spreading(Collection<String> groupIds, int maxParallelism) {
        if (maxParallelism < 1) {
            throw new IllegalArgumentException("maxParallelism must be ≥ 1, got " + maxParallelism);
        }
        // the groups that want each key group, in catalog order
        List<ArrayDeque<String>> waiting = new ArrayList<>(maxParallelism);
        for (int g = 0; g < maxParallelism; g++) {
            waiting.add(new ArrayDeque<>());
        }
        int i = 0;
        for (String groupId : groupIds) {
            waiting.get(keyGroupAt(i++, maxParallelism)).add(groupId);
        }
        // hand out 0, 1, 2, ... each to the next group waiting for its key group
        Map<String, Integer> keys = new HashMap<>();
        int unassigned = i;
        for (int key = 0; unassigned > 0; key++) {
            String groupId = waiting.get(keyGroupOf(key, maxParallelism)).poll();
            if (groupId != null) {
                keys.put(groupId, key);
                unassigned--;
            }
        }
        return new InferenceKeys(keys);
    }

    /** The key of {@code groupId}; a group the catalog does not name gets a key of its hash. */
    public int keyOf(String groupId) {
        return key(groupId);
    }

    @Override
    public Integer getKey(FusedWindow window) {
        // the map's own Integer: no boxing per window
        return key(window.groupId);
    }

    private Integer key(String groupId) {
        Integer key = keys.get(groupId);
        // negative, so it cannot clash with a catalog group's key
        return key != null ? key : Integer.valueOf(groupId.hashCode() | Integer.MIN_VALUE);
    }

    /** The key group Flink gives {@code key}. */
    static int keyGroupOf(int key, int maxParallelism) {
        return KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
    }

    /** The key group of the {@code i}-th group: the i-th van der Corput point, scaled. */
    static int keyGroupAt(int i, int maxParallelism) {
        double point = Integer.reverse(i) >>> 1; // i's bits mirrored behind the binary point
        return (int) (point / (1L << 31) * maxParallelism);
    }
}
