package dev.limpet.dataplane.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CheckStreakTest {
  @Test
  void startsPassing() {
    assertThat(new CheckStreak(2, 3).passing()).isTrue();
  }

  @Test
  void failsOnlyAfterEnoughFailuresInARow() {
    CheckStreak streak = new CheckStreak(2, 3);

    assertThat(streak.record(false)).isFalse();
    assertThat(streak.record(false)).isFalse();
    assertThat(streak.record(true)).isFalse(); // breaks the run
    assertThat(streak.record(false)).isFalse();
    assertThat(streak.record(false)).isFalse();
    assertThat(streak.passing()).isTrue();
    assertThat(streak.record(false)).isTrue();
    assertThat(streak.passing()).isFalse();
  }

  @Test
  void passesAgainOnlyAfterEnoughPassesInARow() {
    CheckStreak streak = new CheckStreak(2, 1);
    streak.record(false);

    assertThat(streak.record(true)).isFalse();
    assertThat(streak.record(false)).isFalse(); // breaks the run
    assertThat(streak.record(true)).isFalse();
    assertThat(streak.passing()).isFalse();
    assertThat(streak.record(true)).isTrue();
    assertThat(streak.passing()).isTrue();
  }

  @Test
  void resultsThatAgreeWithTheVerdictChangeNothing() {
    CheckStreak streak = new CheckStreak(1, 1);

    assertThat(streak.record(true)).isFalse();
    assertThat(streak.record(false)).isTrue();
    assertThat(streak.record(false)).isFalse();
    assertThat(streak.passing()).isFalse();
  }
}
