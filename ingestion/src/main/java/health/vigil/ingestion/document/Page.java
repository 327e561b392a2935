package health.vigil.ingestion.document;

import java.util.List;

/**
 * The words of one page and how they were read.
 *
 * @param number 1-based page number in the document
 * @param source a PDF text layer, or OCR of a rendered page or an image
 * @param rotation how far the page was turned to read it upright, in degrees (0, 90, 180, 270)
 * @param skew the skew taken out of the words' coordinates, in degrees
 */
record Page(int number, Source source, List<Word> words, int rotation, double skew) {

    Page {
        words = List.copyOf(words);
    }

    enum Source {
        TEXT_LAYER,
        OCR
    }

    /** The same page with other words. */
    Page with(List<Word> others) {
        return new Page(number, source, others, rotation, skew);
    }

    /** The page's text in reading order: lines top to bottom, words left to right. */
    String text() {
        StringBuilder text = new StringBuilder();
        for (List<Word> line : Lines.of(words)) {
            for (int i = 0; i < line.size(); i++) {
                text.append(i == 0 ? "" : " ").append(line.get(i).text());
            }
            text.append('\n');
        }
        return text.toString();
    }
}
