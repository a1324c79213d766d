package io.predictionarchiver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;

/**
 * Renders {@code bench/results/summary.png}: one panel per benchmark headline (see {@link BenchmarkPanels}),
 * three panels a row, each captioned with its source file. A panel reads the most recently run of its
 * benchmark's results files ({@code <name>-<yyyy-mm-dd>.md}, and labelled reruns such as
 * {@code <name>-<label>-<yyyy-mm-dd>.md}, by the start time each file records) that has what the panel reads;
 * files of the benchmark's other scenarios (a capped transfer, a backlog) are another panel's or none. A
 * benchmark with no such file gets no panel; why is printed. Runs no benchmark. Run with
 * {@code ./mvnw -B test -Pbench -Dtest=ResultsChart}.
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

    /** @param otherScenarios labels that name another scenario of the benchmark, not a rerun of this one */
    private record Panel(String benchmark, List<String> otherScenarios, PanelBuilder builder) {

        boolean reads(String file) {
            Matcher name = RESULTS_FILE.matcher(file);
            if (!name.matches() || !name.group(1).equals(benchmark) && !name.group(1).startsWith(benchmark + "-")) {
                return false;
            }
            String label = name.group(1).substring(benchmark.length());
            return otherScenarios.stream().noneMatch(other -> label.startsWith("-" + other));
        }
    }

    private record Rendered(CategoryChart chart, Path source) {
    }

    /** A results file: its name and label (group 1), its date, and a label after the date (older files). */
    private static final Pattern RESULTS_FILE = Pattern.compile("([a-z0-9-]+?)-(\\d{4}-\\d{2}-\\d{2})(-[a-z0-9-]+)?\\.md");
    private static final Pattern STARTED = Pattern.compile("started (\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z)");

    private static final List<Panel> PANELS = List.of(
            new Panel("throughput", List.of("backlog"), BenchmarkPanels::throughput),
            new Panel("raw-transfer", List.of("capped"), BenchmarkPanels::rawTransfer),
            new Panel("raw-transfer-capped", List.of(), BenchmarkPanels::rawTransfer),
            new Panel("memory", List.of(), BenchmarkPanels::memoryByFile),
            new Panel("memory", List.of(), BenchmarkPanels::memoryByPendingIds),
            new Panel("rate-discipline", List.of(), BenchmarkPanels::rateDiscipline),
            new Panel("poll-by-list", List.of("in-flight"), BenchmarkPanels::pollByList));

    @Test
    void rendersTheSummaryOfTheNewestResults() throws IOException {
        // no display on a build machine; set before the first AWT class loads
        System.setProperty("java.awt.headless", "true");
        List<Rendered> rendered = new ArrayList<>();
        for (Panel panel : PANELS) {
            Optional<Rendered> drawn = Optional.empty();
            for (Path source : latestFirst(panel)) {
                try {
                    drawn = Optional.of(new Rendered(panel.builder().build(Files.readString(source), PANEL_WIDTH,
                            PANEL_HEIGHT - CAPTION_HEIGHT), source));
                    break;
                } catch (IllegalArgumentException unreadable) {
                    System.out.println("passed over " + source + ": " + unreadable.getMessage());
                }
            }
            drawn.ifPresentOrElse(rendered::add, () -> System.out.println("no panel for " + panel.benchmark()
                    + ": no results file of it in " + RESULTS + " has what the panel reads"));
        }
        assertThat(rendered).as("panels drawn from " + RESULTS).isNotEmpty();

        ImageIO.write(compose(rendered), "png", IMAGE.toFile());
        System.out.println("wrote " + IMAGE + " with " + rendered.size() + " of " + PANELS.size() + " panels");
        assertThat(ImageIO.read(IMAGE.toFile()).getWidth()).isEqualTo(COLUMNS * PANEL_WIDTH);
    }

    /** The panel's results files, the most recently run first. */
    private static List<Path> latestFirst(Panel panel) throws IOException {
        try (Stream<Path> files = Files.list(RESULTS)) {
            // each file's start time read once, not at every comparison
            return files.filter(file -> panel.reads(file.getFileName().toString()))
                    .map(file -> Map.entry(file, started(file)))
                    .sorted(Map.Entry.<Path, Instant>comparingByValue().reversed())
                    .map(Map.Entry::getKey)
                    .toList();
        }
    }

    /** When the run began, as its file records it; older files say only their date. */
    private static Instant started(Path file) {
        try {
            Matcher started = STARTED.matcher(Files.readString(file));
            if (started.find()) {
                return Instant.parse(started.group(1));
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        Matcher name = RESULTS_FILE.matcher(file.getFileName().toString());
        name.matches();
        return Instant.parse(name.group(2) + "T00:00:00Z");
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
