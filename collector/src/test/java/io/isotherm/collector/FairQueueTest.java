package io.isotherm.collector;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FairQueueTest {
    private static List<String> drain(FairQueue<String> queue) {
        List<String> taken = new ArrayList<>();
        for (String next; (next = queue.poll()) != null; ) {
            taken.add(next);
        }
        return taken;
    }

    @Test
    void takes_the_sites_in_turn_and_each_site_in_order() {
        FairQueue<String> queue = new FairQueue<>(100, 100);
        for (int i = 1; i <= 4; i++) {
            queue.offer(1, "a" + i);
        }
        queue.offer(2, "b1");
        queue.offer(3, "c1");
        queue.offer(2, "b2");

        assertThat(queue.size()).isEqualTo(7);
        assertThat(drain(queue)).containsExactly("a1", "b1", "c1", "a2", "b2", "a3", "a4");
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void a_site_fills_only_its_share_and_the_queue_only_its_capacity() {
        FairQueue<String> queue = new FairQueue<>(5, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(queue.offer(1, "a" + i)).isEqualTo(FairQueue.Offer.QUEUED);
        }
        assertThat(queue.offer(1, "a3")).isEqualTo(FairQueue.Offer.SITE_FULL);
        assertThat(queue.offer(2, "b0")).isEqualTo(FairQueue.Offer.QUEUED);
        assertThat(queue.offer(3, "c0")).isEqualTo(FairQueue.Offer.QUEUED);
        assertThat(queue.offer(4, "d0")).isEqualTo(FairQueue.Offer.FULL);

        assertThat(queue.poll()).isEqualTo("a0");
        assertThat(queue.offer(1, "a3")).as("room in its share again").isEqualTo(FairQueue.Offer.QUEUED);
        assertThat(drain(queue)).containsExactly("b0", "c0", "a1", "a2", "a3");
    }

    @Test
    void a_waiting_poll_gets_what_is_offered_meanwhile_and_an_empty_one_times_out() throws Exception {
        FairQueue<String> queue = new FairQueue<>(10, 10);
        assertThat(queue.poll(10, TimeUnit.MILLISECONDS)).isNull();
        Thread producer = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            queue.offer(7, "late");
        });
        producer.start();
        assertThat(queue.poll(10, TimeUnit.SECONDS)).isEqualTo("late");
        producer.join();
    }

    @Test
    void refuses_a_capacity_or_share_below_one() {
        assertThatThrownBy(() -> new FairQueue<String>(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FairQueue<String>(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
