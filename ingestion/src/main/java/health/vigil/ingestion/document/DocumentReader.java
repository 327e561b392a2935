package health.vigil.ingestion.document;

import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.tika.Tika;

/**
 * Reads a document's pages into positioned words: Tika tells the type from the content (never from the
 * name or the declared type alone); a PDF page with a usable text layer is read from it (PDFBox), any
 * other page, and every image, is rendered or decoded at 300 DPI grayscale and read by OCR.
 */
final class DocumentReader {

    static final String PDF = "application/pdf";
    static final Set<String> IMAGES = Set.of("image/png", "image/jpeg", "image/tiff");

    /** The most a PDF's decoded streams may hold at once. */
    static final long MAX_DECODED_BYTES = 256L * 1024 * 1024;

    private final Tika tika = new Tika();
    private final PageImages images;
    private final TesseractOcr ocr;
    private final int maxPages;
    private final SecondReading second;

    /**
     * @param ocr the OCR engine, {@code null} when this server has none: scanned pages are then refused
     * @param checks the checks a row read by OCR must pass not to be read a second time
     */
    DocumentReader(PageImages images, TesseractOcr ocr, int maxPages, LabResults checks) {
        this.images = images;
        this.ocr = ocr;
        this.maxPages = maxPages;
        this.second = ocr == null ? null : new SecondReading(ocr, checks);
    }

    /**
     * The document's media type, from its bytes.
     *
     * @throws FeedException {@code UNSUPPORTED_FORMAT} for a type other than PDF, PNG, JPEG and TIFF
     */
    String detect(byte[] content) {
        String mediaType;
        try {
            mediaType = tika.detect(new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new FeedException(IngestionErrors.UNREADABLE_DOCUMENT, "the document cannot be read", e);
        }
        if (!PDF.equals(mediaType) && !IMAGES.contains(mediaType)) {
            throw unsupported(mediaType);
        }
        return mediaType;
    }

    private static FeedException unsupported(String mediaType) {
        return new FeedException(
                IngestionErrors.UNSUPPORTED_FORMAT,
                "the document is " + mediaType + "; lab reports are read from PDF, PNG, JPEG or TIFF");
    }

    /**
     * The document's pages, read.
     *
     * @throws FeedException {@code UNSUPPORTED_FORMAT} for a type other than PDF, PNG, JPEG and TIFF;
     *     {@code ENCRYPTED_DOCUMENT}, {@code UNREADABLE_DOCUMENT}, {@code PAYLOAD_TOO_LARGE} (pages),
     *     {@code OCR_UNAVAILABLE} when a page needs OCR and there is none
     */
    List<Page> read(byte[] content, String mediaType) {
        if (PDF.equals(mediaType)) {
            return pdf(content);
        }
        if (IMAGES.contains(mediaType)) {
            List<Page> pages = new ArrayList<>();
            List<BufferedImage> decoded = images.decode(content, maxPages);
            for (int index = 0; index < decoded.size(); index++) {
                pages.add(ocr(decoded.get(index), index + 1));
            }
            return pages;
        }
        throw unsupported(mediaType);
    }

    private List<Page> pdf(byte[] content) {
        // Streams PDFBox keeps decoded (fonts, images, object streams) are held in memory up to a bound.
        // Page content is decoded as it is read, so a content stream that inflates to gigabytes costs
        // time, not memory (300 MB of content: about 3 s).
        try (PDDocument document = Loader.loadPDF(
                content, "", null, null, MemoryUsageSetting.setupMainMemoryOnly(MAX_DECODED_BYTES).streamCache)) {
            int count = document.getNumberOfPages();
            if (count > maxPages) {
                throw new FeedException(
                        IngestionErrors.PAYLOAD_TOO_LARGE,
                        "the PDF has " + count + " pages; at most " + maxPages + " are read");
            }
            if (count == 0) {
                throw new FeedException(IngestionErrors.UNREADABLE_DOCUMENT, "the PDF has no pages");
            }
            List<Page> pages = new ArrayList<>();
            for (int number = 1; number <= count; number++) {
                List<Word> words = TextLayer.words(document, number);
                pages.add(
                        TextLayer.usable(words)
                                ? new Page(number, Page.Source.TEXT_LAYER, words, 0, 0)
                                : ocr(images.render(document, number - 1), number));
            }
            return pages;
        } catch (InvalidPasswordException e) {
            throw new FeedException(
                    IngestionErrors.ENCRYPTED_DOCUMENT, "the PDF is encrypted and needs a password to be read");
        } catch (IOException e) {
            throw new FeedException(
                    IngestionErrors.UNREADABLE_DOCUMENT, "the PDF cannot be read: " + e.getMessage(), e);
        }
    }

    private Page ocr(BufferedImage image, int number) {
        if (ocr == null) {
            throw new FeedException(
                    IngestionErrors.OCR_UNAVAILABLE,
                    "page " + number + " has no text layer and this server has no OCR"
                            + " (vigil.ingestion.documents.ocr)");
        }
        TesseractOcr.Reading reading = ocr.read(image, number);
        Page page = new Page(number, Page.Source.OCR, reading.words(), reading.rotation(), reading.skew());
        return second.improve(page, reading);
    }

    /** The engines that read the pages, for Provenance. */
    String ocrVersion() {
        return ocr == null ? null : "Tesseract " + ocr.version() + " (" + ocr.language() + ")";
    }
}
