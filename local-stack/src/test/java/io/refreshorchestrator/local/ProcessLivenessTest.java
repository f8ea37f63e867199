package io.refreshorchestrator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessLivenessTest {

    @Test
    void shouldSeeThisProcessRunning() {
        assertThat(ProcessLiveness.isRunning(ProcessHandle.current().pid())).isTrue();
    }

    @Test
    void shouldSeeAnExitedProcessGone() throws Exception {
        // given
        Process process = new ProcessBuilder("true").start();

        // when
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();

        // then
        assertThat(ProcessLiveness.isRunning(process.pid())).isFalse();
    }
}
