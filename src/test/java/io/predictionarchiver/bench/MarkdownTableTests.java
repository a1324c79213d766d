package io.predictionarchiver.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class MarkdownTableTests {

    private static final String RESULTS = """
            # Some benchmark, 2026-11-23

            Scenario: text with a | pipe that is not a table.

            | tool | wall time per round (s) | best MiB/s | ratio |
            |---|---|---:|---:|
            | archive (forked JVM) | [36.6, 26.4] | 39 | 1.00x |
            | curl \\| aws s3 cp - | [9.3, 9.0] | 1,140.5 | 0.34x |
            | rclone copyurl | [11.3, 12.4] |

            Between the tables.

            | | per-id polling | poll-by-list |
            |---|---:|---:|
            | API calls (list pages) | 10000 (0) | 466 (445) |
            | completion → archived, p95 (simulated s) | 3616.20 | 1777.89 |
            """;

    @Test
    void readsEveryTableWithItsHeadersAndRows() {
        List<MarkdownTable> tables = MarkdownTable.allIn(RESULTS);

        assertThat(tables).hasSize(2);
        assertThat(tables.get(0).headers())
                .containsExactly("tool", "wall time per round (s)", "best MiB/s", "ratio");
        assertThat(tables.get(0).rows()).extracting(MarkdownTable.Row::label)
                .containsExactly("archive (forked JVM)", "curl | aws s3 cp -", "rclone copyurl");
        assertThat(tables.get(1).headers()).containsExactly("", "per-id polling", "poll-by-list");
    }

    @Test
    void readsTheFirstNumberOfACellByHeaderName() {
        MarkdownTable transfer = MarkdownTable.withColumns(RESULTS, "tool", "best MiB/s");

        assertThat(transfer.row("archive").number("best MiB/s")).isEqualTo(39.0);
        assertThat(transfer.row("curl").number("best MiB/s")).isEqualTo(1140.5);
        assertThat(transfer.row("curl").number("ratio")).isEqualTo(0.34);
        assertThat(transfer.row("archive").number("wall time per round (s)")).isEqualTo(36.6);
        assertThat(transfer.row("curl").text("tool")).isEqualTo("curl | aws s3 cp -");

        MarkdownTable polling = MarkdownTable.withColumns(RESULTS, "per-id polling", "poll-by-list");
        assertThat(polling.row("API calls").number("per-id polling")).isEqualTo(10000.0);
        assertThat(polling.row("completion → archived, p95").number("poll-by-list")).isEqualTo(1777.89);
    }

    @Test
    void aRowThatStopsShortReadsEmptyAndIsNotANumber() {
        MarkdownTable.Row shortRow = MarkdownTable.withColumns(RESULTS, "tool").row("rclone");

        assertThat(shortRow.text("ratio")).isEmpty();
        assertThatThrownBy(() -> shortRow.number("best MiB/s")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column \"best MiB/s\" of row \"rclone copyurl\" holds \"\", not a number");
    }

    @Test
    void aMissingColumnIsAnErrorNamingItAndTheColumnsThere() {
        MarkdownTable.Row row = MarkdownTable.withColumns(RESULTS, "tool").row("archive");

        assertThatThrownBy(() -> row.number("peak RSS (MiB)")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no column \"peak RSS (MiB)\"; the columns are "
                        + "[tool, wall time per round (s), best MiB/s, ratio]");
    }

    @Test
    void noTableWithTheColumnsIsAnErrorListingTheTablesColumns() {
        assertThatThrownBy(() -> MarkdownTable.withColumns(RESULTS, "tool", "peak RSS (MiB)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no table has the columns [tool, peak RSS (MiB)]; the tables' columns are "
                        + "[[tool, wall time per round (s), best MiB/s, ratio], [, per-id polling, poll-by-list]]");
    }

    @Test
    void aMissingRowIsAnErrorListingTheRows() {
        MarkdownTable polling = MarkdownTable.withColumns(RESULTS, "poll-by-list");

        assertThatThrownBy(() -> polling.row("wall time")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no row starts with \"wall time\"; the rows are "
                        + "[API calls (list pages), completion → archived, p95 (simulated s)]");
    }
}
