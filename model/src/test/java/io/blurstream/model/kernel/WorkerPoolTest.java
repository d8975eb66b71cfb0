package io.blurstream.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void runsEveryTaskExactlyOnceAcrossManySteps() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int step = 0; step < 500; step++) {
                int tasks = 1 + step % 17;
                AtomicIntegerArray hits = new AtomicIntegerArray(tasks);
                AtomicIntegerArray workers = new AtomicIntegerArray(3);
                pool.run(
                        tasks,
                        (task, worker) -> {
                            hits.incrementAndGet(task);
                            workers.incrementAndGet(worker);
                        });
                for (int t = 0; t < tasks; t++) {
                    assertThat(hits.get(t)).as("step %d task %d", step, t).isEqualTo(1);
                }
                assertThat(workers.get(0) + workers.get(1) + workers.get(2)).isEqualTo(tasks);
            }
        }
    }

    @Test
    void propagatesATaskFailureToTheCaller() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThatThrownBy(
                            () ->
                                    pool.run(
                                            8,
                                            (task, worker) -> {
                                                if (task == 5) {
                                                    throw new IllegalStateException("task 5");
                                                }
                                            }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("task 5");
            // the pool still works afterwards
            AtomicIntegerArray hits = new AtomicIntegerArray(4);
            pool.run(4, (task, worker) -> hits.incrementAndGet(task));
            assertThat(hits.toString()).isEqualTo("[1, 1, 1, 1]");
        }
    }

    @Test
    void rejectsWorkAfterClose() {
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        assertThatThrownBy(() -> pool.run(4, (task, worker) -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
