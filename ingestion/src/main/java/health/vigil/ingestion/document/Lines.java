package health.vigil.ingestion.document;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Groups words into printed lines by position: a word belongs to the line whose vertical centre is
 * within half a word height of its own. Tesseract's own line finding works per text block, and it splits
 * a lab table into one block per column; position works across the whole width of the page.
 */
final class Lines {

    private Lines() {}

    /** The lines, top to bottom, each's words left to right. */
    static List<List<Word>> of(List<Word> words) {
        if (words.isEmpty()) {
            return List.of();
        }
        double tolerance = medianHeight(words) / 2;
        List<Word> sorted = new ArrayList<>(words);
        sorted.sort(Comparator.comparingDouble(Word::centerY));
        List<List<Word>> lines = new ArrayList<>();
        List<Word> line = new ArrayList<>();
        double lineCenter = 0;
        for (Word word : sorted) {
            if (!line.isEmpty() && Math.abs(word.centerY() - lineCenter) > tolerance) {
                lines.add(line);
                line = new ArrayList<>();
            }
            line.add(word);
            lineCenter = line.stream().mapToDouble(Word::centerY).average().orElse(word.centerY());
        }
        lines.add(line);
        lines.forEach(l -> l.sort(Comparator.comparingDouble(Word::x)));
        return lines;
    }

    static double medianHeight(List<Word> words) {
        double[] heights = words.stream()
                .mapToDouble(Word::height)
                .filter(h -> h > 0)
                .sorted()
                .toArray();
        return heights.length == 0 ? 1 : heights[heights.length / 2];
    }
}
