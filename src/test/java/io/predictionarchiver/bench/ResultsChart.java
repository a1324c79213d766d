package io.predictionarchiver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;

/**
 * Renders {@code bench/results/summary.png}: one panel per benchmark headline (see {@link BenchmarkPanels}),
 * each read from the newest {@code bench/results/<name>-<yyyy-mm-dd>.md}, three panels a row, each captioned
 * with its source file. A benchmark with no results file, or whose file lacks what its panel reads, gets no
 * panel; why is printed. Runs no benchmark. Run with {@code ./mvnw -B test -Pbench -Dtest=ResultsChart}.
 */
@Tag("bench")
class ResultsChart {

    private static final Path RESULTS = Path.of("bench/results");
    private static final Path IMAGE = RESULTS.resolve("summary.png");
    private static final int COLUMNS = 3;
    private static final int PANEL_WIDTH = 400;
    private static final int PANEL_HEIGHT = 400;
    private static final int CAPTION_HEIGHT = 16;

    /** Builds one panel from a results file's text at the given size. */
    private interface PanelBuilder {
        CategoryChart build(String results, int width, int height);
    }

    private record Panel(String benchmark, PanelBuilder builder) {
    }

    private record Rendered(CategoryChart chart, Path source) {
    }

    private static final List<Panel> PANELS = List.of(
            new Panel("throughput", BenchmarkPanels::throughput),
            new Panel("raw-transfer", BenchmarkPanels::rawTransfer),
            new Panel("memory", BenchmarkPanels::memoryByFile),
            new Panel("memory", BenchmarkPanels::memoryByPendingIds),
            new Panel("rate-discipline", BenchmarkPanels::rateDiscipline),
            new Panel("poll-by-list", BenchmarkPanels::pollByList));

    @Test
    void rendersTheSummaryOfTheNewestResults() throws IOException {
        // no display on a build machine; set before the first AWT class loads
        System.setProperty("java.awt.headless", "true");
        List<Rendered> rendered = new ArrayList<>();
        for (Panel panel : PANELS) {
            Optional<Path> source = newest(panel.benchmark());
            if (source.isEmpty()) {
                System.out.println("no panel for " + panel.benchmark() + ": no " + panel.benchmark()
                        + "-<date>.md in " + RESULTS);
                continue;
            }
            try {
                rendered.add(new Rendered(panel.builder().build(Files.readString(source.get()), PANEL_WIDTH,
                        PANEL_HEIGHT - CAPTION_HEIGHT), source.get()));
            } catch (IllegalArgumentException unreadable) {
                System.out.println("no panel for " + source.get() + ": " + unreadable.getMessage());
            }
        }
        assertThat(rendered).as("panels drawn from " + RESULTS).isNotEmpty();

        ImageIO.write(compose(rendered), "png", IMAGE.toFile());
        System.out.println("wrote " + IMAGE + " with " + rendered.size() + " of " + PANELS.size() + " panels");
        assertThat(ImageIO.read(IMAGE.toFile()).getWidth()).isEqualTo(COLUMNS * PANEL_WIDTH);
    }

    /** The file of {@code benchmark} with the latest date in its name, if any. */
    private static Optional<Path> newest(String benchmark) throws IOException {
        Pattern name = Pattern.compile(Pattern.quote(benchmark) + "-\\d{4}-\\d{2}-\\d{2}\\.md");
        try (Stream<Path> files = Files.list(RESULTS)) {
            // ISO dates sort as text
            return files.filter(file -> name.matcher(file.getFileName().toString()).matches())
                    .max(Comparator.comparing(file -> file.getFileName().toString()));
        }
    }

    private static BufferedImage compose(List<Rendered> rendered) {
        int rows = (rendered.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage image = new BufferedImage(COLUMNS * PANEL_WIDTH, rows * PANEL_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
        graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int at = 0; at < rendered.size(); at++) {
            int x = (at % COLUMNS) * PANEL_WIDTH;
            int y = (at / COLUMNS) * PANEL_HEIGHT;
            Graphics2D panel = (Graphics2D) graphics.create(x, y, PANEL_WIDTH, PANEL_HEIGHT - CAPTION_HEIGHT);
            rendered.get(at).chart().paint(panel, PANEL_WIDTH, PANEL_HEIGHT - CAPTION_HEIGHT);
            panel.dispose();
            graphics.setColor(Color.GRAY);
            graphics.drawString("source: " + rendered.get(at).source(), x + 10, y + PANEL_HEIGHT - 5);
        }
        graphics.dispose();
        return image;
    }
}
