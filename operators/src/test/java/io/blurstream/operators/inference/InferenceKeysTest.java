package io.blurstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class InferenceKeysTest {

    private static List<String> groups(int n) {
        List<String> ids = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            ids.add("g" + g);
        }
        return ids;
    }

    /** Groups per subtask when {@code ids} are keyed by {@code key}, at {@code parallelism}. */
    private static int[] perSubtask(
            List<String> ids, java.util.function.ToIntFunction<String> key, int parallelism) {
        int[] count = new int[parallelism];
        for (String id : ids) {
            count[
                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            key.applyAsInt(id), 128, parallelism)]++;
        }
        return count;
    }

    private static int spread(int[] counts) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int c : counts) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        return max - min;
    }

    @Test
    void everyGroupHasItsOwnKeyOnTheKeyGroupItWasGiven() {
        List<String> ids = groups(300);
        InferenceKeys keys = InferenceKeys.spreading(ids, 128);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            int key = keys.keyOf(ids.get(i));
            assertThat(seen.add(key)).as("key of %s is unique", ids.get(i)).isTrue();
            assertThat(InferenceKeys.keyGroupOf(key, 128))
                    .isEqualTo(InferenceKeys.keyGroupAt(i, 128));
        }
        assertThat(keys.keyOf("not-in-the-catalog")).isNegative();
    }

    @Test
    void theVanDerCorputPointsHalveTheKeyGroupsAgainAndAgain() {
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 7))
                .extracting(i -> InferenceKeys.keyGroupAt(i, 128))
                .containsExactly(0, 64, 32, 96, 16, 80, 48, 112);
    }

    @Test
    void everyLeadingRunOfTheCatalogSplitsEvenlyOverPowerOfTwoParallelisms() {
        List<String> ids = groups(200);
        InferenceKeys keys = InferenceKeys.spreading(ids, 128);
        for (int parallelism : new int[] {1, 2, 4, 8, 16}) {
            for (int n = 1; n <= ids.size(); n++) {
                assertThat(spread(perSubtask(ids.subList(0, n), keys::keyOf, parallelism)))
                        .as("first %d groups at parallelism %d", n, parallelism)
                        .isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void otherParallelismsGiveNoSubtaskMoreThanTwoGroupsAboveAnEvenSplit() {
        for (int n : new int[] {50, 200}) {
            List<String> ids = groups(n);
            InferenceKeys keys = InferenceKeys.spreading(ids, 128);
            for (int parallelism : new int[] {3, 5, 6, 7}) {
                int busiest =
                        Arrays.stream(perSubtask(ids, keys::keyOf, parallelism)).max().orElse(0);
                assertThat((double) busiest)
                        .as("%d groups at parallelism %d", n, parallelism)
                        .isLessThanOrEqualTo(Math.ceil((double) n / parallelism) + 2);
            }
        }
    }

    @Test
    void theGroupIdsThemselvesSplitUnevenly() {
        // the 29 / 21 split of the pipeline benchmark's 50 groups, which the keys above undo
        assertThat(perSubtask(groups(50), String::hashCode, 2)).containsExactlyInAnyOrder(29, 21);
    }
}
