package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private static void assertRefused(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("OperationOutcome").contains(message);
    }

    private HttpResponse<String> upload(byte[] content, String type) throws Exception {
        return http().send(
                        HttpRequest.newBuilder(URI.create(
                                        fhirBase() + "/Patient/" + patient + "/$upload-document?title=labs-" + run))
                                .header("Authorization", "Bearer " + adminToken())
                                .header("Content-Type", type)
                                .header("Accept", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(content))
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
