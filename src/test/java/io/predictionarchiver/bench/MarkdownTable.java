package io.predictionarchiver.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pipe table of a markdown results file: a header line, a delimiter line ({@code |---|---:|}), then rows up
 * to the first line that is not a table line. Cells are trimmed, {@code \|} is read as a literal pipe, missing
 * trailing cells read as empty and extra cells are ignored (as GitHub renders them). Columns are found by their
 * exact header text, rows by the start of their first cell; a header or row that is not there is an
 * {@link IllegalArgumentException} naming what was asked for and what the table holds.
 */
record MarkdownTable(List<String> headers, List<Row> rows) {

    private static final Pattern DELIMITER = Pattern.compile("\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)*\\|?");
    // thousands separators are read ("1,485"), a comma followed by a space is a list separator ("[36.6, 26.4]")
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:,\\d{3})*(?:\\.\\d+)?");

    MarkdownTable {
        headers = List.copyOf(headers);
        rows = List.copyOf(rows);
    }

    /** One body row; its cells are read through the table's headers. */
    record Row(List<String> headers, List<String> cells) {

        Row {
            headers = List.copyOf(headers);
            cells = List.copyOf(cells);
        }

        /** The first cell: what the row is about in a table whose first column names the measure. */
        String label() {
            return cells.get(0);
        }

        /** The cell under {@code header}, trimmed; empty when the row stops short of that column. */
        String text(String header) {
            int column = columnOf(headers, header);
            return column < cells.size() ? cells.get(column) : "";
        }

        /** The first number in the cell under {@code header}: {@code "10000 (0)"} is 10000, {@code "6.3x"} is 6.3. */
        double number(String header) {
            String text = text(header);
            Matcher number = NUMBER.matcher(text);
            if (!number.find()) {
                throw new IllegalArgumentException("column \"" + header + "\" of row \"" + label()
                        + "\" holds \"" + text + "\", not a number");
            }
            return Double.parseDouble(number.group().replace(",", ""));
        }
    }

    /** Every table in {@code markdown}, in order. */
    static List<MarkdownTable> allIn(String markdown) {
        List<MarkdownTable> tables = new ArrayList<>();
        List<String> lines = markdown.lines().map(String::strip).toList();
        for (int at = 0; at + 1 < lines.size(); at++) {
            if (!lines.get(at).startsWith("|") || !DELIMITER.matcher(lines.get(at + 1)).matches()) {
                continue;
            }
            List<String> headers = cells(lines.get(at));
            List<Row> rows = new ArrayList<>();
            at += 2;
            while (at < lines.size() && lines.get(at).startsWith("|")) {
                rows.add(new Row(headers, cells(lines.get(at))));
                at++;
            }
            tables.add(new MarkdownTable(headers, rows));
        }
        return tables;
    }

    /** The first table in {@code markdown} that has every one of {@code headers}. */
    static MarkdownTable withColumns(String markdown, String... headers) {
        List<MarkdownTable> tables = allIn(markdown);
        return tables.stream().filter(table -> table.headers().containsAll(Arrays.asList(headers))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table has the columns "
                        + Arrays.toString(headers) + "; the tables' columns are "
                        + tables.stream().map(MarkdownTable::headers).toList()));
    }

    /** The first row whose first cell starts with {@code labelStart}. */
    Row row(String labelStart) {
        return rows.stream().filter(row -> row.label().startsWith(labelStart)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no row starts with \"" + labelStart
                        + "\"; the rows are " + rows.stream().map(Row::label).toList()));
    }

    private static int columnOf(List<String> headers, String header) {
        int column = headers.indexOf(header);
        if (column < 0) {
            throw new IllegalArgumentException("no column \"" + header + "\"; the columns are " + headers);
        }
        return column;
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1);
        if (inner.endsWith("|") && !inner.endsWith("\\|")) {
            inner = inner.substring(0, inner.length() - 1);
        }
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.replace("\\|", "|").strip());
        }
        return cells;
    }
}
