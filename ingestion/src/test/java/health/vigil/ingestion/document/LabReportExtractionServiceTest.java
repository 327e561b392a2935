package health.vigil.ingestion.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.vigil.ingestion.api.DocumentPlan;
import health.vigil.ingestion.api.DocumentUpload;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.device.R4Validation;
import health.vigil.terminology.api.Terminology;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

/** The FHIR an upload plans and the documents it refuses; text-layer PDFs, so no OCR is needed. */
class LabReportExtractionServiceTest {

    private static final Terminology TERMINOLOGY = Terminology.load();
    private static final Instant RECEIVED = Instant.parse("2025-01-02T10:15:30Z");

    private static final LabResults RESULTS = new LabResults(TERMINOLOGY.analytes(), TERMINOLOGY.units(), 70f);

    private final LabReportExtractionService service = new LabReportExtractionService(
            new DocumentReader(new PageImages(40_000_000L), null, 3, RESULTS),
            RESULTS,
            new LabReportMapper(ZoneId.of("UTC")),
            DocumentExtractionAutoConfiguration.engine(null),
            5_000_000);

    private static final SyntheaLabReports.Report REPORT = new SyntheaLabReports.Report(
            "r1",
            "Basic metabolic panel - Blood",
            "Blood",
            "2024-03-05 07:30",
            List.of(
                    new SyntheaLabReports.Row("2339-0", "Glucose, blood", "111", "mg/dL", "mg/dL", "70", "99", "H"),
                    new SyntheaLabReports.Row(
                            "6298-4", "Potassium, whole blood", "4.1", "mmol/L", "mmol/L", "3.5", "5.1", ""),
                    new SyntheaLabReports.Row("2093-3", "Total cholesterol", "41", "mg/dL", "mg/dL", null, "200", ""),
                    new SyntheaLabReports.Row("x", "Vitamin Q", "12", "mg/dL", "mg/dL", "1", "20", "")));

    @Test
    void plan_textLayerReport_storesDocumentReportResultsProvenanceAndTask() {
        byte[] pdf = LabReportRenderer.pdf(REPORT, LabReportRenderer.Layout.CLASSIC);
        DocumentPlan plan = service.plan(upload(pdf, "application/pdf"));

        assertThat(plan.mediaType()).isEqualTo("application/pdf");
        assertThat(plan.pages()).isEqualTo(1);
        assertThat(plan.ocrPages()).isZero();
        assertThat(plan.results()).hasSize(4);
        assertThat(plan.results())
                .extracting(DocumentPlan.ExtractedResult::loincCode)
                .containsExactly("2339-0", "6298-4", "2093-3", null);
        // "Vitamin Q" is close to an alias of vitamin D, but a close name is not a code: text only, reviewed.
        assertThat(plan.toReview()).isEqualTo(1);

        List<Resource> resources = resources(plan.transaction());
        assertThat(resources)
                .extracting(Resource::fhirType)
                .containsExactly(
                        "Binary",
                        "DocumentReference",
                        "Device",
                        "Observation",
                        "Observation",
                        "Observation",
                        "Observation",
                        "DiagnosticReport",
                        "Provenance",
                        "Task");
        // AIAST was added to v3-ObservationValue after R4's copy of it, which the validator knows.
        resources.forEach(resource -> assertThat(R4Validation.errors(resource))
                .as(resource.fhirType())
                .allMatch(error -> error.contains("v3-ObservationValue#AIAST")));

        DocumentReference document = (DocumentReference) resources.get(1);
        assertThat(document.getType().getCodingFirstRep().getCode()).isEqualTo("11502-2");
        assertThat(document.getIdentifierFirstRep().getValue())
                .isEqualTo(plan.ids().sha256());
        assertThat(document.getContentFirstRep().getAttachment().getSize()).isEqualTo(pdf.length);
        assertThat(document.getContentFirstRep().getAttachment().getHash()).hasSize(20);
        assertThat(document.getExtensionString(LabReportMapper.EXTRACTED_TEXT)).contains("Potassium, whole blood");

        Observation glucose = (Observation) resources.get(3);
        assertThat(glucose.getStatus()).isEqualTo(Observation.ObservationStatus.PRELIMINARY);
        assertThat(glucose.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("laboratory");
        assertThat(glucose.getCode().getCodingFirstRep().getCode()).isEqualTo("2339-0");
        assertThat(glucose.getCode().getText()).isEqualTo("Glucose, blood");
        Quantity value = glucose.getValueQuantity();
        assertThat(value.getValue()).isEqualByComparingTo("111");
        assertThat(value.getCode()).isEqualTo("mg/dL");
        assertThat(value.getSystem()).isEqualTo(LabReportMapper.UCUM);
        assertThat(glucose.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("70");
        assertThat(glucose.getReferenceRangeFirstRep().getHigh().getValue()).isEqualByComparingTo("99");
        assertThat(glucose.getInterpretationFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("H");
        assertThat(glucose.getDerivedFromFirstRep().getReference())
                .isEqualTo("DocumentReference/" + plan.ids().documentReference());
        assertThat(glucose.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2024-03-05T07:30:00+00:00");
        assertThat(glucose.getExtensionByUrl(LabReportMapper.AI_CONFIDENCE)).isNotNull();
        assertThat(glucose.getExtensionByUrl(LabReportMapper.DOCUMENT_SOURCE).getExtensionString("text"))
                .isEqualTo("Glucose, blood 111 mg/dL 70-99 H");
        assertThat(glucose.getMeta().getSecurityFirstRep().getCode()).isEqualTo("AIAST");

        Observation unknown = (Observation) resources.get(6);
        assertThat(unknown.getCode().hasCoding()).isFalse();
        assertThat(unknown.getCode().getText()).isEqualTo("Vitamin Q");
        assertThat(unknown.getNoteFirstRep().getText()).startsWith("Needs review: the name \"Vitamin Q\"");

        DiagnosticReport report = (DiagnosticReport) resources.get(7);
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY);
        assertThat(report.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("LAB");
        assertThat(report.getResult()).hasSize(4);
        assertThat(report.getPresentedFormFirstRep().getUrl())
                .isEqualTo("Binary/" + plan.ids().documentReference());
        assertThat(report.getPerformerFirstRep().getDisplay()).isEqualTo("Northside Clinical Laboratory");

        Provenance provenance = (Provenance) resources.get(8);
        assertThat(provenance.getTarget()).hasSize(5);
        assertThat(provenance.getAgentFirstRep().getWho().getReference()).startsWith("Device/doc-reader-");
        assertThat(provenance.getEntityFirstRep().getWhat().getReference())
                .isEqualTo("DocumentReference/" + plan.ids().documentReference());

        Task task = (Task) resources.get(9);
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(task.getFocus().getReference())
                .isEqualTo("DiagnosticReport/" + plan.ids().diagnosticReport());
        assertThat(task.getInput()).hasSize(1);
    }

    @Test
    void plan_sameFileTwice_samePlanAndIds_otherPatient_otherIds() {
        byte[] pdf = LabReportRenderer.pdf(REPORT, LabReportRenderer.Layout.UNIT_IN_RANGE);
        DocumentPlan first = service.plan(upload(pdf, null));
        DocumentPlan second = service.plan(upload(pdf, "application/octet-stream"));
        assertThat(second.ids()).isEqualTo(first.ids());
        assertThat(resources(second.transaction()))
                .zipSatisfy(
                        resources(first.transaction()),
                        (a, b) -> assertThat(a.equalsDeep(b)).as(a.fhirType()).isTrue());
        DocumentUpload otherPatient = new DocumentUpload(pdf, null, "labs.pdf", "p2", RECEIVED);
        assertThat(service.identify(otherPatient).documentReference())
                .isNotEqualTo(first.ids().documentReference());
    }

    @Test
    void file_isTheFileOfThePlan_withoutReadingIt() throws IOException {
        byte[] pdf = LabReportRenderer.pdf(REPORT, LabReportRenderer.Layout.CLASSIC);
        DocumentPlan plan = service.plan(upload(pdf, null));
        Bundle file = service.file(upload(pdf, "application/pdf"));

        assertThat(file.getEntry())
                .extracting(entry -> entry.getRequest().getMethod() + " "
                        + entry.getRequest().getUrl())
                .containsExactly(
                        "PUT Binary/" + plan.ids().documentReference(),
                        "PUT DocumentReference/" + plan.ids().documentReference());
        assertThat(file.getEntry()
                        .get(0)
                        .getResource()
                        .equalsDeep(resources(plan.transaction()).get(0)))
                .as("the Binary")
                .isTrue();
        DocumentReference kept = (DocumentReference) file.getEntry().get(1).getResource();
        DocumentReference read =
                (DocumentReference) resources(plan.transaction()).get(1);
        assertThat(kept.getExtension()).as("no extracted text before reading").isEmpty();
        read.setExtension(null);
        assertThat(kept.equalsDeep(read))
                .as("the DocumentReference, but for its text")
                .isTrue();
        // What can be checked without reading is checked: a corrupt PDF is kept, a zip is not.
        assertThat(service.file(upload(Arrays.copyOf(pdf, pdf.length / 3), null))
                        .getEntry())
                .hasSize(2);
        assertThatThrownBy(() -> service.file(upload(zip(), null)))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(IngestionErrors.UNSUPPORTED_FORMAT));
        assertThatThrownBy(() -> service.file(upload(new byte[5_000_001], null)))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(IngestionErrors.PAYLOAD_TOO_LARGE));
    }

    @Test
    void plan_unsupportedOrMisdeclaredType_isRefused() throws IOException {
        assertThatThrownBy(() -> service.plan(upload(zip(), "application/zip")))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(IngestionErrors.UNSUPPORTED_FORMAT))
                .hasMessageContaining("application/zip");
        byte[] pdf = LabReportRenderer.pdf(REPORT, LabReportRenderer.Layout.CLASSIC);
        assertThatThrownBy(() -> service.plan(upload(pdf, "image/png")))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(IngestionErrors.UNSUPPORTED_FORMAT))
                .hasMessageContaining("sent as image/png but its content is application/pdf");
    }

    @Test
    void plan_corruptEncryptedOversizedOrScanned_isRefusedByName() throws IOException {
        byte[] pdf = LabReportRenderer.pdf(REPORT, LabReportRenderer.Layout.CLASSIC);
        assertRefused(
                Arrays.copyOf(pdf, pdf.length / 3), IngestionErrors.UNREADABLE_DOCUMENT, "the PDF cannot be read");
        assertRefused(encrypted(pdf), IngestionErrors.ENCRYPTED_DOCUMENT, "needs a password");
        assertRefused(pages(4), IngestionErrors.PAYLOAD_TOO_LARGE, "the PDF has 4 pages; at most 3");
        assertRefused(new byte[5_000_001], IngestionErrors.PAYLOAD_TOO_LARGE, "at most 5000000");
        // A scan needs OCR, and this service has none.
        byte[] scan = LabReportRenderer.png(LabReportRenderer.scan(pdf, 150, 0, 0, 1));
        assertRefused(scan, IngestionErrors.OCR_UNAVAILABLE, "page 1 has no text layer");
    }

    @Test
    void plan_imageDeclaringHugeDimensions_isRefusedBeforeDecoding() {
        // A PNG header claiming 100000 x 100000 pixels and no pixel data behind it.
        byte[] bomb = java.util.HexFormat.of()
                .parseHex("89504e470d0a1a0a0000000d49484452000186a0000186a00800000000" + "00000000");
        assertRefused(bomb, IngestionErrors.PAYLOAD_TOO_LARGE, "100000x100000 pixels");
    }

    private void assertRefused(byte[] content, IngestionErrors error, String message) {
        assertThatThrownBy(() -> service.plan(upload(content, null)))
                .isInstanceOfSatisfying(
                        FeedException.class, e -> assertThat(e.error()).isEqualTo(error))
                .hasMessageContaining(message);
    }

    private static DocumentUpload upload(byte[] content, String type) {
        return new DocumentUpload(content, type, "labs.pdf", "p1", RECEIVED);
    }

    private static List<Resource> resources(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .toList();
    }

    private static byte[] zip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("labs.txt"));
            zip.write("Glucose 104".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] encrypted(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf);
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "user", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            document.save(out);
            return out.toByteArray();
        }
    }

    private static byte[] pages(int count) throws IOException {
        try (PDDocument document = new PDDocument();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (int i = 0; i < count; i++) {
                document.addPage(new PDPage());
            }
            document.save(out);
            return out.toByteArray();
        }
    }
}
