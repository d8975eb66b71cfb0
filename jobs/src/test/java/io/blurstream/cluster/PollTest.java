package io.blurstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

    @Test
    void asksUntilTheAnswerIsYes() throws Exception {
        AtomicInteger asked = new AtomicInteger();

        boolean held =
                Poll.until(
                        Duration.ofMinutes(1),
                        Duration.ofMillis(1),
                        () -> asked.incrementAndGet() == 3);

        assertThat(held).isTrue();
        assertThat(asked).hasValue(3);
    }

    @Test
    void givesUpWhenTheTimeIsUpHavingAskedOnceMoreAtTheEnd() throws Exception {
        AtomicInteger asked = new AtomicInteger();

        boolean held =
                Poll.until(
                        Duration.ofMillis(30),
                        Duration.ofMillis(20),
                        () -> {
                            asked.incrementAndGet();
                            return false;
                        });

        assertThat(held).isFalse();
        assertThat(asked.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aFailingQuestionEndsTheWait() {
        AtomicInteger asked = new AtomicInteger();

        assertThatThrownBy(
                        () ->
                                Poll.until(
                                        Duration.ofMinutes(1),
                                        Duration.ofMillis(1),
                                        () -> {
                                            asked.incrementAndGet();
                                            throw new IOException("process died");
                                        }))
                .isInstanceOf(IOException.class)
                .hasMessage("process died");
        assertThat(asked).hasValue(1);
    }
}
