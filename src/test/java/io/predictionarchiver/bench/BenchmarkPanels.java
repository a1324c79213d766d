package io.predictionarchiver.bench;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.knowm.xchart.AnnotationTextPanel;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The summary chart's panels: one bar chart per benchmark headline, built from the tables of that benchmark's
 * results file (whatever rows it holds) and titled with its ratio where the file has one. Each method throws
 * {@link IllegalArgumentException} when the file lacks a table, column or row it reads, naming which.
 */
final class BenchmarkPanels {

    private static final Color ARCHIVER = new Color(0x1f77b4);
    private static final Color OTHER = new Color(0xff7f0e);
    private static final Color THIRD = new Color(0x7f7f7f);
    private static final String FONT = Font.SANS_SERIF;

    private BenchmarkPanels() {
    }

    /** Wall time and completion → archived (mean, p95) of the archiver and the documented approach. */
    static CategoryChart throughput(String results, int width, int height) {
        String ratio = "ratio (documented ÷ archiver)";
        MarkdownTable table = MarkdownTable.withColumns(results, "archiver", "documented approach", ratio);
        List<MarkdownTable.Row> rows = List.of(table.row("wall time"), table.row("completion → archived, mean"),
                table.row("completion → archived, p95"));
        CategoryChart chart = chart(width, height, "Throughput: documented ÷ archiver = "
                        + rows.get(0).text(ratio) + " (wall)",
                "lag = completion → archived", "seconds");
        List<String> measures = List.of("wall time", "mean lag", "p95 lag");
        chart.addSeries("archiver", measures, numbers(rows, "archiver")).setFillColor(ARCHIVER);
        chart.addSeries("documented approach", measures, numbers(rows, "documented approach")).setFillColor(OTHER);
        return chart;
    }

    /** How the raw-transfer scenario names a cap on each delivery connection. */
    private static final Pattern CONNECTION_CAP = Pattern.compile("each delivery connection capped at (\\d+) MB/s");

    /** Best MiB/s of each tool moving one file, titled with the archiver's throughput ÷ the others'. */
    static CategoryChart rawTransfer(String results, int width, int height) {
        String ratio = "archiver throughput ÷ tool's";
        MarkdownTable table = MarkdownTable.withColumns(results, "tool", "best MiB/s", ratio);
        List<MarkdownTable.Row> others = table.rows().stream().filter(row -> !row.label().startsWith("archive"))
                .toList();
        String ratios = others.stream().map(row -> row.text(ratio)).distinct().reduce((a, b) -> a + ", " + b)
                .orElse("no other tool");
        Matcher cap = CONNECTION_CAP.matcher(results);
        // the panel's width holds about 47 characters of title
        String scenario = cap.find() ? cap.group(1) + " MB/s cap" : "Uncapped";
        CategoryChart chart = chart(width, height, scenario + ": archiver ÷ tools = " + ratios,
                "tool", "MiB/s (best round)");
        chart.getStyler().setLegendVisible(false);
        // a tool's parenthesis (how it was run) is in the results file; four long names do not fit under the bars
        List<String> tools = labels(table.rows(), "tool").stream().map(tool -> tool.replaceAll(" \\(.*\\)", ""))
                .toList();
        chart.addSeries("best MiB/s", tools, numbers(table.rows(), "best MiB/s")).setFillColor(ARCHIVER);
        return chart;
    }

    /** Peak RSS and heap of {@code archive} for each file size. */
    static CategoryChart memoryByFile(String results, int width, int height) {
        MarkdownTable table = MarkdownTable.withColumns(results, "file", "peak RSS (MiB)",
                "peak heap at a GC (MiB)", "heap committed (MiB)");
        List<MarkdownTable.Row> rows = table.rows();
        String title = "archive memory by file size";
        if (rows.size() > 1) {
            MarkdownTable.Row first = rows.get(0);
            MarkdownTable.Row last = rows.get(rows.size() - 1);
            title = "archive: file " + times(last.number("file") / first.number("file")) + " larger, peak RSS "
                    + times(last.number("peak RSS (MiB)") / first.number("peak RSS (MiB)"));
        }
        CategoryChart chart = chart(width, height, title, "file archived", "MiB");
        List<String> files = labels(rows, "file");
        chart.addSeries("peak RSS", files, numbers(rows, "peak RSS (MiB)")).setFillColor(ARCHIVER);
        chart.addSeries("peak heap at a GC", files, numbers(rows, "peak heap at a GC (MiB)")).setFillColor(OTHER);
        chart.addSeries("heap committed", files, numbers(rows, "heap committed (MiB)"))
                .setFillColor(THIRD);
        return chart;
    }

    /** Heap after a full GC and RSS of the daemon for each level of ids pending in its bucket. */
    static CategoryChart memoryByPendingIds(String results, int width, int height) {
        String pending = "ids pending in the bucket";
        String heap = "heap used after a full GC (MiB)";
        MarkdownTable table = MarkdownTable.withColumns(results, pending, heap, "RSS (MiB)");
        List<MarkdownTable.Row> rows = table.rows();
        String title = "daemon memory by ids pending";
        if (rows.size() > 1) {
            title = "daemon heap after full GC: " + rows.get(0).text(heap) + " → "
                    + rows.get(rows.size() - 1).text(heap) + " MiB";
        }
        CategoryChart chart = chart(width, height, title, "ids pending", "MiB");
        List<String> levels = labels(rows, pending);
        chart.addSeries("heap after a full GC", levels, numbers(rows, heap)).setFillColor(ARCHIVER);
        chart.addSeries("RSS", levels, numbers(rows, "RSS (MiB)")).setFillColor(THIRD);
        return chart;
    }

    /**
     * The most calls the simulator counted in one clock minute against the limit N, per phase. Phases are
     * numbered on the axis and named in a key above the bars: their names are too long to sit side by side.
     */
    static CategoryChart rateDiscipline(String results, int width, int height) {
        String busiest = "max calls in a clock minute";
        MarkdownTable table = MarkdownTable.withColumns(results, "phase", busiest, "N");
        List<MarkdownTable.Row> rows = table.rows();
        double worst = rows.stream().mapToDouble(row -> row.number(busiest) / row.number("N")).max().orElse(0);
        CategoryChart chart = chart(width, height, "Rate: busiest clock minute ÷ N ≤ "
                + String.format(Locale.ROOT, "%.2f", worst) + " in " + rows.size() + " phases",
                "phase", "API calls in one clock minute");
        List<String> numbers = IntStream.rangeClosed(1, rows.size()).mapToObj(String::valueOf).toList();
        String key = IntStream.range(0, rows.size()).mapToObj(at -> numbers.get(at) + ": " + rows.get(at).label())
                .collect(Collectors.joining("\n"));
        double highest = Stream.concat(numbers(rows, busiest).stream(), numbers(rows, "N").stream())
                .mapToDouble(Double::doubleValue).max().orElse(1);
        // head room above the bars for the key
        chart.getStyler().setYAxisMax(highest * (1.25 + 0.12 * rows.size())).setAnnotationTextPanelFont(
                new Font(FONT, Font.PLAIN, 9));
        chart.addAnnotation(new AnnotationTextPanel(key, 0, highest * 1.08, false));
        chart.addSeries("busiest clock minute", numbers, numbers(rows, busiest)).setFillColor(ARCHIVER);
        chart.addSeries("limit N", numbers, numbers(rows, "N")).setFillColor(THIRD);
        return chart;
    }

    /** API calls per prediction (left axis) and p95 completion → archived (right axis) of both poll modes. */
    static CategoryChart pollByList(String results, int width, int height) {
        List<String> modes = List.of("per-id polling", "poll-by-list");
        MarkdownTable table = MarkdownTable.withColumns(results, modes.get(0), modes.get(1), "ratio");
        MarkdownTable.Row calls = table.row("API calls per archived prediction");
        MarkdownTable.Row p95 = table.row("completion → archived, p95");
        CategoryChart chart = chart(width, height, "Poll-by-list: per-id ÷ by-list = " + calls.text("ratio")
                + " calls, " + p95.text("ratio") + " p95", "mode", "API calls per prediction");
        chart.setYAxisGroupTitle(1, "p95 completion → archived (" + unit(p95.label()) + ")");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.addSeries("calls per prediction", modes, modes.stream().map(calls::number).toList())
                .setFillColor(ARCHIVER);
        chart.addSeries("p95 lag", modes, modes.stream().map(p95::number).toList()).setYAxisGroup(1)
                .setFillColor(OTHER);
        return chart;
    }

    private static CategoryChart chart(int width, int height, String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartTitleFont(new Font(FONT, Font.BOLD, 12))
                .setLegendFont(new Font(FONT, Font.PLAIN, 10))
                .setLegendPadding(4)
                .setLegendPosition(Styler.LegendPosition.OutsideS)
                .setLegendLayout(Styler.LegendLayout.Horizontal)
                .setChartBackgroundColor(Color.WHITE)
                .setPlotBackgroundColor(Color.WHITE)
                .setChartTitleBoxVisible(false)
                .setDecimalPattern("#,##0.##");
        chart.getStyler().setAxisTitleFont(new Font(FONT, Font.PLAIN, 11))
                .setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 10))
                .setPlotGridVerticalLinesVisible(false)
                .setYAxisMin(0.0);
        chart.getStyler().setLabelsVisible(true).setLabelsFont(new Font(FONT, Font.PLAIN, 10));
        return chart;
    }

    /** The unit in a measure's trailing parentheses, {@code "completion → archived, p95 (simulated s)"}. */
    private static String unit(String measure) {
        int open = measure.lastIndexOf('(');
        return open >= 0 && measure.endsWith(")") ? measure.substring(open + 1, measure.length() - 1) : "s";
    }

    private static String times(double ratio) {
        return String.format(Locale.ROOT, ratio >= 10 ? "%.0fx" : "%.2fx", ratio);
    }

    private static List<String> labels(List<MarkdownTable.Row> rows, String header) {
        return rows.stream().map(row -> row.text(header)).toList();
    }

    private static List<Double> numbers(List<MarkdownTable.Row> rows, String header) {
        return rows.stream().map(row -> row.number(header)).toList();
    }
}
