package dev.limpet.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {
  private final ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();

  @AfterEach
  void restore() {
    System.clearProperty(NettyDefaults.LEAK_DETECTION);
    ResourceLeakDetector.setLevel(before);
  }

  @Test
  void theDataPlaneProcessRunsWithoutLeakDetection() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    NettyDefaults.apply();
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
  }

  @Test
  void aLevelGivenOnTheCommandLineWins() {
    System.setProperty(NettyDefaults.LEAK_DETECTION, "paranoid");
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    NettyDefaults.apply();
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
  }
}
