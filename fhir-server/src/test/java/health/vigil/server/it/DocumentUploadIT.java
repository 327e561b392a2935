package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import health.vigil.ingestion.api.DocumentIds;
import health.vigil.ingestion.api.DocumentUpload;
import health.vigil.ingestion.api.LabReportExtraction;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code Patient/[id]/$upload-document} end to end: a lab report uploaded as a text-layer PDF and as a
 * scan (OCR by the server's Tesseract) becomes a stored document, a preliminary report with coded
 * results, a Provenance and a review Task; the same file again reads nothing; bad files store nothing.
 */
class DocumentUploadIT extends ServerIT {

    private static final String[][] ROWS = {
        {"Test", "Result", "Units", "Reference Range", "Flag"},
        {"Sodium", "139", "mmol/L", "136-145", ""},
        {"Potassium", "5.9", "mmol/L", "3.5-5.1", "H"},
        {"Glucose", "92", "mg/dL", "70-99", ""},
        {"Creatinine", "0.9", "mg/dL", "0.6-1.3", ""}
    };

    @Autowired
    private LabReportExtraction extraction;

    private String patient;
    private String run;

    @BeforeEach
    void patient() throws Exception {
        run = UUID.randomUUID().toString().substring(0, 8);
        patient = "doc-" + run;
        assertThat(fhirPut("Patient/" + patient, "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}")
                        .statusCode())
                .isIn(200, 201);
    }

    @Test
    void uploadDocument_textLayerPdf_storesDocumentPreliminaryResultsProvenanceAndTask() throws Exception {
        byte[] pdf = report("Riverside Laboratory " + run);

        HttpResponse<String> response = upload(pdf, "application/pdf");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
        assertThat(answer.getParameterBool("earlier")).isFalse();
        assertThat(answer.getParameter().stream().filter(p -> p.getName().equals("result")))
                .hasSize(4);

        DocumentReference document = search("DocumentReference?subject=Patient/" + patient, DocumentReference.class)
                .get(0);
        assertThat(document.getType().getCodingFirstRep().getCode()).isEqualTo("11502-2");
        assertThat(document.getContentFirstRep().getAttachment().getContentType())
                .isEqualTo("application/pdf");
        HttpResponse<String> binary = http().send(
                        authorized(fhirBase() + "/"
                                        + document.getContentFirstRep()
                                                .getAttachment()
                                                .getUrl())
                                .header("Accept", "application/pdf")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(binary.statusCode()).isEqualTo(200);

        List<Observation> results = search(
                "Observation?subject=Patient/" + patient + "&category=laboratory&status=preliminary&_sort=_id",
                Observation.class);
        assertThat(results)
                .extracting(
                        o -> o.getCode().getCodingFirstRep().getCode(),
                        o -> o.getValueQuantity().getValue().toPlainString())
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple("2951-2", "139"),
                        org.assertj.core.api.Assertions.tuple("2823-3", "5.9"),
                        org.assertj.core.api.Assertions.tuple("2345-7", "92"),
                        org.assertj.core.api.Assertions.tuple("2160-0", "0.9"));
        assertThat(results.get(1)
                        .getInterpretationFirstRep()
                        .getCodingFirstRep()
                        .getCode())
                .isEqualTo("H");
        assertThat(results).allSatisfy(o -> assertThat(
                        o.getDerivedFromFirstRep().getReference())
                .isEqualTo("DocumentReference/" + document.getIdElement().getIdPart()));

        DiagnosticReport report = search("DiagnosticReport?subject=Patient/" + patient, DiagnosticReport.class)
                .get(0);
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        assertThat(report.getResult()).hasSize(4);
        assertThat(report.getPerformerFirstRep().getDisplay()).isEqualTo("Riverside Laboratory " + run);
        assertThat(search(
                        "Provenance?target=DiagnosticReport/"
                                + report.getIdElement().getIdPart(),
                        Provenance.class))
                .singleElement()
                .satisfies(provenance -> assertThat(
                                provenance.getAgentFirstRep().getWho().getDisplay())
                        .isEqualTo("Vigil lab-report reader"));
        assertThat(search("Task?focus=DiagnosticReport/" + report.getIdElement().getIdPart(), Task.class))
                .singleElement()
                .satisfies(task -> assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED));

        // The text read is searchable.
        assertThat(search("DocumentReference?_content=Riverside&subject=Patient/" + patient, DocumentReference.class))
                .hasSize(1);
    }

    @Test
    void uploadDocument_sameFileTwice_answersTheEarlierResultAndStoresNothingNew() throws Exception {
        byte[] pdf = report("Hillside Laboratory");
        assertThat(upload(pdf, "application/pdf").statusCode()).isEqualTo(200);
        int before = count("Observation?subject=Patient/" + patient);

        HttpResponse<String> again = upload(pdf, "application/pdf");

        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, again.body());
        assertThat(answer.getParameterBool("earlier")).isTrue();
        assertThat(count("Observation?subject=Patient/" + patient))
                .isEqualTo(before)
                .isEqualTo(4);
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .allSatisfy(o -> assertThat(o.getMeta().getVersionId()).isEqualTo("1"));
    }

    @Test
    void reviewTask_completedByItsReviewer_turnsTheResultsFinal_andRecordsTheReviewer() throws Exception {
        assertThat(upload(report("Eastside Laboratory"), "application/pdf").statusCode())
                .isEqualTo(200);
        Task task = search("Task?subject=Patient/" + patient, Task.class).get(0);

        // Without a reviewer the Task is not completed, and nothing turns final.
        task.setStatus(Task.TaskStatus.COMPLETED);
        HttpResponse<String> anonymous = fhirPut(
                "Task/" + task.getIdElement().getIdPart(), FHIR.newJsonParser().encodeResourceToString(task));
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(422);
        assertThat(anonymous.body()).contains("Task.owner");
        assertThat(search("Observation?subject=Patient/" + patient + "&status=final", Observation.class))
                .isEmpty();

        assertThat(fhirPut(
                                "Practitioner/reviewer-" + run,
                                "{\"resourceType\":\"Practitioner\",\"id\":\"reviewer-" + run + "\"}")
                        .statusCode())
                .isIn(200, 201);
        task.setOwner(new org.hl7.fhir.r4.model.Reference("Practitioner/reviewer-" + run));

        // A Task a client marks as a review itself confirms nothing.
        Task forged = task.copy();
        forged.setId("forged-" + run);
        forged.setStatus(Task.TaskStatus.REQUESTED);
        String forgedJson = FHIR.newJsonParser().encodeResourceToString(forged);
        assertThat(fhirPut("Task/forged-" + run, forgedJson).statusCode()).isEqualTo(201);
        forged.setStatus(Task.TaskStatus.COMPLETED);
        HttpResponse<String> forgedCompletion =
                fhirPut("Task/forged-" + run, FHIR.newJsonParser().encodeResourceToString(forged));
        assertThat(forgedCompletion.statusCode()).as(forgedCompletion.body()).isEqualTo(422);
        assertThat(forgedCompletion.body()).contains("not the review of a read document");
        assertThat(search("Observation?subject=Patient/" + patient + "&status=final", Observation.class))
                .isEmpty();

        HttpResponse<String> completed = fhirPut(
                "Task/" + task.getIdElement().getIdPart(), FHIR.newJsonParser().encodeResourceToString(task));

        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .hasSize(4)
                .allSatisfy(o -> assertThat(o.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL));
        DiagnosticReport report = search("DiagnosticReport?subject=Patient/" + patient, DiagnosticReport.class)
                .get(0);
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        List<Provenance> provenances = search(
                "Provenance?target=DiagnosticReport/" + report.getIdElement().getIdPart() + "&_sort=_lastUpdated",
                Provenance.class);
        assertThat(provenances).hasSize(2);
        Provenance review = provenances.get(1);
        assertThat(review.getAgentFirstRep().getWho().getReference()).isEqualTo("Practitioner/reviewer-" + run);
        assertThat(review.getAgentFirstRep().getType().getCodingFirstRep().getCode())
                .isEqualTo("VRF");
        assertThat(review.getTarget()).hasSize(5);
    }

    @Test
    void uploadDocument_scannedImage_isReadByOcr() throws Exception {
        byte[] png = scan(report("Lakeside Laboratory"));

        HttpResponse<String> response = upload(png, "image/png");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
        assertThat(((org.hl7.fhir.r4.model.IntegerType)
                                answer.getParameter("ocrPages").getValue())
                        .getValue())
                .isEqualTo(1);
        List<Observation> results =
                search("Observation?subject=Patient/" + patient + "&category=laboratory", Observation.class);
        assertThat(results).hasSize(4);
        assertThat(results)
                .extracting(o -> o.getCode().getText())
                .containsExactlyInAnyOrder("Sodium", "Potassium", "Glucose", "Creatinine");
    }

    @Test
    void uploadDocument_badFiles_areRefusedByName_andStoreNothing() throws Exception {
        byte[] pdf = report("Any Laboratory");
        assertRefused(upload("not a document".getBytes(), "text/plain"), 415, "VGL-1202");
        assertRefused(upload(pdf, "image/png"), 415, "sent as image/png but its content is application/pdf");
        assertRefused(upload(java.util.Arrays.copyOf(pdf, pdf.length / 3), "application/pdf"), 422, "VGL-1207");
        assertRefused(upload(new byte[0], "application/pdf"), 400, "VGL-1205");
        assertThat(search("DocumentReference?subject=Patient/" + patient, DocumentReference.class))
                .isEmpty();
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .isEmpty();
        HttpResponse<String> unknown = http().send(
                        authorized(fhirBase() + "/Patient/no-such-" + run + "/$upload-document")
                                .header("Content-Type", "application/pdf")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(pdf))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void uploadDocument_respondAsync_answers202_andItsStatusTheReportOnceRead() throws Exception {
        byte[] png = scan(report("Northside Laboratory " + run));

        HttpResponse<String> accepted = upload(png, "image/png", true);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.body()).contains("OperationOutcome").contains("being read");
        assertThat(accepted.headers().firstValue("Retry-After")).isPresent();
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        assertThat(status).contains("/Patient/" + patient + "/$upload-status?document=doc-");
        String document = status.substring(status.indexOf("document=") + "document=".length());

        HttpResponse<String> read = poll(status);

        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, read.body());
        DiagnosticReport report =
                (DiagnosticReport) answer.getParameter("diagnosticReport").getResource();
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        assertThat(report.getResult()).hasSize(4);
        assertThat(((org.hl7.fhir.r4.model.Reference)
                                answer.getParameter("documentReference").getValue())
                        .getReference())
                .isEqualTo("DocumentReference/" + document);
        assertThat(search("Observation?subject=Patient/" + patient + "&category=laboratory", Observation.class))
                .extracting(o -> o.getCode().getText())
                .containsExactlyInAnyOrder("Sodium", "Potassium", "Glucose", "Creatinine");
        // The text read is kept with the document, as for an upload read at once.
        assertThat(search("DocumentReference?_content=Northside&subject=Patient/" + patient, DocumentReference.class))
                .hasSize(1);
        Task tracking = FHIR.newJsonParser()
                .parseResource(
                        Task.class, fhirGet("Task/" + document + "-extraction").body());
        assertThat(tracking.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(tracking.getOutput())
                .extracting(output -> ((org.hl7.fhir.r4.model.Reference) output.getValue()).getReference())
                .containsExactly("DiagnosticReport/" + document, "Task/" + document);

        // Uploaded again, read or not, the file answers with its earlier result.
        HttpResponse<String> again = upload(png, "image/png", true);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(FHIR.newJsonParser()
                        .parseResource(Parameters.class, again.body())
                        .getParameterBool("earlier"))
                .isTrue();
        assertThat(count("Observation?subject=Patient/" + patient)).isEqualTo(4);

        // The tracking Task is stored on condition of its version: a stale If-Match is refused.
        tracking.setStatus(Task.TaskStatus.INPROGRESS);
        Bundle stale = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        stale.addEntry()
                .setResource(tracking)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Task/" + document + "-extraction")
                .setIfMatch("W/\"1\"");
        HttpResponse<String> refused = fhirPost("", FHIR.newJsonParser().encodeResourceToString(stale));
        assertThat(refused.statusCode()).as(refused.body()).isIn(409, 412);
        assertThat(fhirGet("Task/" + document + "-extraction").body()).contains("\"completed\"");
    }

    @Test
    void uploadStatus_aReadingThatStopped_isResumed_andStoredOnce() throws Exception {
        byte[] pdf = report("Westside Laboratory " + run);
        DocumentUpload upload = new DocumentUpload(pdf, "application/pdf", "labs.pdf", patient, Instant.now());
        String document = extraction.identify(upload).documentReference();
        // What a server stores on accepting the upload, and then stops before reading it.
        Bundle kept = extraction.file(upload);
        Task tracking = new Task();
        tracking.addIdentifier().setSystem(DocumentIds.EXTRACTION_TASK_SYSTEM).setValue(document);
        tracking.setStatus(Task.TaskStatus.INPROGRESS);
        tracking.setIntent(Task.TaskIntent.ORDER);
        tracking.setFor(new org.hl7.fhir.r4.model.Reference("Patient/" + patient));
        kept.addEntry()
                .setResource(tracking)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Task/" + document + "-extraction");
        HttpResponse<String> stored = fhirPost("", FHIR.newJsonParser().encodeResourceToString(kept));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        String status = fhirBase() + "/Patient/" + patient + "/$upload-status?document=" + document;
        assertThat(fhirGet(status).statusCode()).isEqualTo(202);
        // An upload of the same file meanwhile is told it is being read, and reads nothing itself.
        HttpResponse<String> meanwhile = upload(pdf, "application/pdf", false);
        if (meanwhile.statusCode() == 202) {
            assertThat(meanwhile.headers().firstValue("Content-Location")).hasValue(status);
        } else {
            assertThat(meanwhile.statusCode()).as(meanwhile.body()).isEqualTo(200);
            assertThat(meanwhile.body()).contains("\"earlier\"");
        }

        HttpResponse<String> read = poll(status);

        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(count("Observation?subject=Patient/" + patient)).isEqualTo(4);
        assertThat(count("DiagnosticReport?subject=Patient/" + patient)).isEqualTo(1);
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .allSatisfy(o -> assertThat(o.getMeta().getVersionId()).isEqualTo("1"));
        assertThat(FHIR.newJsonParser()
                        .parseResource(
                                Task.class,
                                fhirGet("Task/" + document + "-extraction").body())
                        .getStatus())
                .isEqualTo(Task.TaskStatus.COMPLETED);
        // Reviewed, then its tracking Task set in progress again by hand: completed again, nothing read
        // again, so the confirmed results stay final.
        assertThat(fhirPut(
                                "Practitioner/reviewer-" + run,
                                "{\"resourceType\":\"Practitioner\",\"id\":\"reviewer-" + run + "\"}")
                        .statusCode())
                .isIn(200, 201);
        Task review = FHIR.newJsonParser()
                .parseResource(Task.class, fhirGet("Task/" + document).body());
        review.setStatus(Task.TaskStatus.COMPLETED);
        review.setOwner(new org.hl7.fhir.r4.model.Reference("Practitioner/reviewer-" + run));
        HttpResponse<String> confirmed =
                fhirPut("Task/" + document, FHIR.newJsonParser().encodeResourceToString(review));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        Task again = FHIR.newJsonParser()
                .parseResource(
                        Task.class, fhirGet("Task/" + document + "-extraction").body());
        again.setStatus(Task.TaskStatus.INPROGRESS);
        assertThat(fhirPut(
                                "Task/" + document + "-extraction",
                                FHIR.newJsonParser().encodeResourceToString(again))
                        .statusCode())
                .isEqualTo(200);
        assertThat(poll(status).statusCode()).isEqualTo(200);
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .hasSize(4)
                .allSatisfy(o -> assertThat(o.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL));
        // Another patient's status of the document is not this patient's.
        assertThat(fhirGet(fhirBase() + "/Patient/other-" + run + "/$upload-status?document=" + document)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void uploadDocument_respondAsync_unreadableFile_leavesTheErrorAndDeletesTheFile() throws Exception {
        byte[] pdf = report("Southside Laboratory");
        byte[] corrupt = java.util.Arrays.copyOf(pdf, pdf.length / 3);

        HttpResponse<String> accepted = upload(corrupt, "application/pdf", true);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        String document = status.substring(status.indexOf("document=") + "document=".length());
        HttpResponse<String> failed = poll(status);
        assertRefused(failed, 422, "VGL-1207");
        assertThat(fhirGet("DocumentReference/" + document).statusCode()).isEqualTo(410);
        assertThat(fhirGet("Binary/" + document).statusCode()).isEqualTo(410);
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .isEmpty();
        // Sent again, it is tried again, and fails again the same way.
        HttpResponse<String> again = upload(corrupt, "application/pdf", true);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        assertRefused(poll(status), 422, "VGL-1207");
        // What is refused before reading is refused at once, and nothing is kept.
        assertRefused(upload("not a document".getBytes(), "text/plain", true), 415, "VGL-1202");
        assertThat(search("DocumentReference?subject=Patient/" + patient, DocumentReference.class))
                .isEmpty();
        assertThat(fhirGet(fhirBase() + "/Patient/" + patient + "/$upload-status?document=doc-none")
                        .statusCode())
                .isEqualTo(404);
    }

    /** The status URL asked until it no longer answers 202; a document is read within a minute. */
    private HttpResponse<String> poll(String status) throws Exception {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        HttpResponse<String> response = fhirGet(status);
        while (response.statusCode() == 202 && System.nanoTime() < until) {
            Thread.sleep(250);
            response = fhirGet(status);
        }
        return response;
    }

    private static void assertRefused(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("OperationOutcome").contains(message);
    }

    private HttpResponse<String> upload(byte[] content, String type) throws Exception {
        return upload(content, type, false);
    }

    private HttpResponse<String> upload(byte[] content, String type, boolean async) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(fhirBase() + "/Patient/" + patient + "/$upload-document?title=labs-" + run))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", type)
                .header("Accept", "application/fhir+json");
        if (async) {
            request.header("Prefer", "respond-async");
        }
        return http().send(
                        request.POST(HttpRequest.BodyPublishers.ofByteArray(content))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private int count(String query) throws Exception {
        return FHIR.newJsonParser()
                .parseResource(Bundle.class, fhirGet(query + "&_summary=count").body())
                .getTotal();
    }

    /** A one-page lab report with a text layer. */
    private static byte[] report(String laboratory) throws Exception {
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            document.addPage(page);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                line(content, font, 14, 50, 740, laboratory);
                line(content, font, 10, 50, 710, "Collected: 2026-11-30 08:15");
                float y = 670;
                float[] columns = {50, 230, 320, 420, 530};
                for (String[] row : ROWS) {
                    for (int i = 0; i < row.length; i++) {
                        line(content, font, 11, columns[i], y, row[i]);
                    }
                    y -= 18;
                }
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    private static void line(PDPageContentStream content, PDType1Font font, float size, float x, float y, String text)
            throws java.io.IOException {
        if (text.isEmpty()) {
            return;
        }
        content.beginText();
        content.setFont(font, size);
        content.newLineAtOffset(x, y);
        content.showText(text);
        content.endText();
    }

    /** The report printed and scanned at 300 DPI: an image with no text layer. */
    private static byte[] scan(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf);
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            BufferedImage image = new PDFRenderer(document).renderImageWithDPI(0, 300, ImageType.GRAY);
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        }
    }
}
