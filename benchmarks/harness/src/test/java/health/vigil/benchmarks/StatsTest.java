package health.vigil.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void median_oddCount_isTheMiddleValue() {
        assertThat(Stats.median(5, 1, 3)).isEqualTo(3);
    }

    @Test
    void median_evenCount_isTheMeanOfTheMiddleValues() {
        assertThat(Stats.median(4, 1, 3, 2)).isEqualTo(2.5);
    }

    @Test
    void median_noValues_isNaN() {
        assertThat(Stats.median()).isNaN();
    }

    @Test
    void ratio_isVigilOverVanilla() {
        assertThat(MarkdownReport.ratio(150, 100)).isEqualTo("1.50");
        assertThat(MarkdownReport.ratio(1, 0)).isEqualTo("–");
    }
}
