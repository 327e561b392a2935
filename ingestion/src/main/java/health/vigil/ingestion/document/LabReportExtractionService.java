package health.vigil.ingestion.document;

import health.vigil.ingestion.api.DocumentIds;
import health.vigil.ingestion.api.DocumentPlan;
import health.vigil.ingestion.api.DocumentUpload;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.LabReportExtraction;
import health.vigil.ingestion.common.Digests;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;

/** Reads, parses, checks and maps an uploaded lab report; see {@link LabReportExtraction}. */
final class LabReportExtractionService implements LabReportExtraction {

    /** Spellings of the accepted types that clients declare. */
    private static final Map<String, String> DECLARED = Map.of(
            "image/jpg", "image/jpeg",
            "image/pjpeg", "image/jpeg",
            "image/tif", "image/tiff",
            "application/x-pdf", "application/pdf");

    private final DocumentReader reader;
    private final LabResults results;
    private final LabReportMapper mapper;
    private final LabReportMapper.Engine engine;
    private final long maxBytes;

    LabReportExtractionService(
            DocumentReader reader,
            LabResults results,
            LabReportMapper mapper,
            LabReportMapper.Engine engine,
            long maxBytes) {
        this.reader = reader;
        this.results = results;
        this.mapper = mapper;
        this.engine = engine;
        this.maxBytes = maxBytes;
    }

    @Override
    public DocumentIds identify(DocumentUpload upload) {
        String sha256 = Digests.sha256Hex(upload.content());
        String id = "doc-" + Digests.sha256Prefix(upload.patientId() + "|" + sha256, 8);
        return new DocumentIds(sha256, id, id, id);
    }

    @Override
    public Bundle file(DocumentUpload upload) {
        return mapper.file(upload, identify(upload), mediaType(upload));
    }

    @Override
    public DocumentPlan plan(DocumentUpload upload) {
        String mediaType = mediaType(upload);
        DocumentIds ids = identify(upload);
        List<Page> pages = reader.read(upload.content(), mediaType);
        LabTable table = LabTableParser.parse(pages);
        List<LabResult> read = results.interpret(table);
        List<String> observationIds = new ArrayList<>();
        List<DocumentPlan.ExtractedResult> extracted = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
            LabResult result = read.get(i);
            String id = ids.diagnosticReport() + "-" + (i + 1);
            observationIds.add(id);
            extracted.add(new DocumentPlan.ExtractedResult(
                    id,
                    result.row().page(),
                    result.row().text(),
                    result.analyte() == null ? null : result.analyte().code(),
                    result.confidence(),
                    result.reasons()));
        }
        int ocrPages = (int)
                pages.stream().filter(page -> page.source() == Page.Source.OCR).count();
        return new DocumentPlan(
                ids,
                mediaType,
                pages.size(),
                ocrPages,
                extracted,
                mapper.transaction(upload, ids, mediaType, pages, table, read, observationIds, engine));
    }

    /** The detected type of a document within the size limit, which agrees with the declared type. */
    private String mediaType(DocumentUpload upload) {
        if (upload.content().length > maxBytes) {
            throw new FeedException(
                    IngestionErrors.PAYLOAD_TOO_LARGE,
                    "the document is " + upload.content().length + " bytes; at most " + maxBytes + " are read");
        }
        if (upload.content().length == 0) {
            throw new FeedException(IngestionErrors.UNREADABLE_DOCUMENT, "the document is empty");
        }
        String mediaType = reader.detect(upload.content());
        checkDeclared(upload.declaredType(), mediaType);
        return mediaType;
    }

    /** A declared type must be the detected one; a generic {@code application/octet-stream} says nothing. */
    private static void checkDeclared(String declared, String detected) {
        if (declared == null || declared.isBlank()) {
            return;
        }
        String type = declared.split(";")[0].strip().toLowerCase(Locale.ROOT);
        type = DECLARED.getOrDefault(type, type);
        if (!type.equals("application/octet-stream") && !type.equals(detected)) {
            throw new FeedException(
                    IngestionErrors.UNSUPPORTED_FORMAT,
                    "the document was sent as " + type + " but its content is " + detected);
        }
    }
}
