package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device-feed ingestion through {@code $ingest} as a feed sender sees it: JSON device messages read
 * by templates stored as a Binary, stored as Observations, Devices, the raw payload and a Provenance;
 * the same batch twice changes nothing; bad batches store nothing and name each bad record.
 */
class DeviceIngestIT extends ServerIT {

    private static final String TEMPLATES = "Binary/acme-device-templates";

    /** Per test, so tests share no devices or patients whatever their order. */
    private String run;

    private String patient;

    private String member;

    @BeforeEach
    void patientAndTemplates() throws Exception {
        run = UUID.randomUUID().toString().substring(0, 8);
        patient = "ingest-" + run;
        member = "M-" + run;
        putAcmeMember(this, patient, member);
        Binary templates = new Binary();
        templates.setId(TEMPLATES);
        templates.setContentType("application/vnd.vigil.device-templates+json");
        templates.setData(resource("/ingestion/acme-templates.json"));
        assertThat(fhirPut(TEMPLATES, FHIR.newJsonParser().encodeResourceToString(templates))
                        .statusCode())
                .isIn(200, 201);
    }

    @Test
    void ingest_forPatient_storesObservationsDevicesPayloadAndProvenance() throws Exception {
        String payload = messages(heartRate("m1", 64), bloodPressure(128, 82));

        HttpResponse<String> response = ingest("Patient/" + patient + "/$ingest?template=" + TEMPLATES, payload);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
        assertThat(((IntegerType) answer.getParameter("observations").getValue()).getValue())
                .isEqualTo(2);
        assertThat(((IntegerType) answer.getParameter("rejected").getValue()).getValue())
                .isZero();

        List<Observation> observations =
                search("Observation?subject=Patient/" + patient + "&_sort=date", Observation.class);
        assertThat(observations).hasSize(2);
        Observation heartRate = observations.get(0);
        assertThat(heartRate.getCode().getCoding())
                .extracting(coding -> coding.getSystem() + "|" + coding.getCode())
                .containsExactly("http://loinc.org|8867-4", "urn:acme:reading-type|hr");
        assertThat(heartRate.getCategoryFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("vital-signs");
        assertThat(heartRate.getValueQuantity().getValue()).isEqualByComparingTo("64");
        assertThat(heartRate.getValueQuantity().getCode()).isEqualTo("/min");
        assertThat(heartRate.getEffectiveDateTimeType().getValueAsString()).matches("2026-11-30T07:\\d\\d:00\\+01:00");
        Observation bloodPressure = observations.get(1);
        assertThat(bloodPressure.getComponent())
                .extracting(component -> component.getCode().getCodingFirstRep().getCode() + "="
                        + component.getValueQuantity().getValue().toPlainString())
                .containsExactly("8480-6=128", "8462-4=82");

        Device band = search("Device?identifier=urn:acme:serial%7CWB-" + run, Device.class)
                .get(0);
        assertThat(band.getPatient().getReference()).isEqualTo("Patient/" + patient);
        assertThat(band.getDeviceNameFirstRep().getName()).isEqualTo("Acme Band 3");
        assertThat(heartRate.getDevice().getReference())
                .isEqualTo("Device/" + band.getIdElement().getIdPart());

        List<Provenance> provenances = search(
                "Provenance?target=Observation/" + heartRate.getIdElement().getIdPart(), Provenance.class);
        assertThat(provenances).singleElement().satisfies(provenance -> {
            assertThat(provenance.getTarget()).hasSize(2);
            String binary = provenance.getEntityFirstRep().getWhat().getReference();
            Binary raw = FHIR.newJsonParser()
                    .parseResource(Binary.class, fhirGet(binary).body());
            assertThat(new String(raw.getData(), StandardCharsets.UTF_8)).isEqualTo(payload);
            assertThat(raw.getContentType()).isEqualTo("application/json");
        });
    }

    @Test
    void ingest_hl7v2LabResults_storeLabObservationsAndADiagnosticReport() throws Exception {
        String message = String.join(
                "\r",
                "MSH|^~\\&|LIS|RIVERSIDE LAB^2.16.840.1.113883.3.9999.1^ISO|VIGIL|VIGIL|20260312101500+0100||ORU^R01^ORU_R01|M-"
                        + run + "|P|2.5.1",
                "PID|1||MRN-" + run + "^^^RIVERSIDE&2.16.840.1.113883.3.9999.2&ISO^MR||MOREAU^CLAIRE||19680405|F",
                "OBR|1|PL-" + run + "^VIGIL|F-" + run
                        + "^RIVERSIDE|58410-2^CBC panel - Blood by Automated count^LN|||20260312081000+0100|||||||||||||||20260312100500+0100|||F",
                "OBX|1|NM|6690-2^Leukocytes [#/volume] in Blood by Automated count^LN||11.8|10*3/uL^^UCUM|4.0-10.0|H|||F|||20260312081000+0100",
                "OBX|2|NM|718-7^Hemoglobin [Mass/volume] in Blood^LN||11.9|g/dL^^UCUM|12.0-16.0|L|||F|||20260312081000+0100",
                "");

        HttpResponse<String> response = send("Patient/" + patient + "/$ingest", "x-application/hl7-v2+er7", message);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Observation> labs =
                search("Observation?subject=Patient/" + patient + "&category=laboratory", Observation.class);
        assertThat(labs)
                .extracting(
                        observation -> observation.getCode().getCodingFirstRep().getCode(),
                        observation -> observation
                                .getInterpretationFirstRep()
                                .getCodingFirstRep()
                                .getCode(),
                        observation -> observation
                                .getReferenceRangeFirstRep()
                                .getLow()
                                .getValue()
                                .toPlainString())
                .containsExactlyInAnyOrder(
                        org.assertj.core.api.Assertions.tuple("6690-2", "H", "4.0"),
                        org.assertj.core.api.Assertions.tuple("718-7", "L", "12.0"));
        List<DiagnosticReport> reports = search("DiagnosticReport?subject=Patient/" + patient, DiagnosticReport.class);
        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.getCode().getCodingFirstRep().getCode()).isEqualTo("58410-2");
            assertThat(report.getResult()).hasSize(2);
            assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        });
    }

    @Test
    void ingest_openMHealthDataPoints_areRecognisedAndStored() throws Exception {
        String points =
                """
                [{"header": {"uuid": "hr-%1$s",
                             "schema_id": {"namespace": "omh", "name": "heart-rate", "version": "2.0"},
                             "acquisition_provenance": {"source_name": "Withings", "source_origin_id": "wbpm-%1$s"}},
                  "body": {"heart_rate": {"value": 58.5, "unit": "beats/min"},
                           "effective_time_frame": {"date_time": "2026-11-30T07:15:00+02:00"}}},
                 {"header": {"uuid": "bp-%1$s",
                             "schema_id": {"namespace": "omh", "name": "blood-pressure", "version": "2.0"}},
                  "body": {"systolic_blood_pressure": {"value": 131, "unit": "mmHg"},
                           "diastolic_blood_pressure": {"value": 84, "unit": "mmHg"},
                           "effective_time_frame": {"date_time": "2026-11-30T07:20:00+02:00"}}}]
                """
                        .formatted(run);

        HttpResponse<String> response = ingest("Patient/" + patient + "/$ingest", points);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
        assertThat(answer.getParameter("format").getValue().primitiveValue()).isEqualTo("open-mhealth");
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .extracting(
                        observation -> observation.getCode().getCoding().get(1).getCode())
                .containsExactlyInAnyOrder("omh:heart-rate", "omh:blood-pressure");
    }

    @Test
    void ingest_appleHealthExportZip_storesVitalsOnceAndReportsWhatItSkipped() throws Exception {
        String cuff = "&lt;&lt;HKDevice: 0x302b1d2c0&gt;, name:BPM Connect, manufacturer:Withings, model:BPM Connect,"
                + " localIdentifier:00:24:e4:" + run + "&gt;";
        String at = "creationDate=\"2024-03-05 07:35:12 +0100\" startDate=\"2024-03-05 07:34:50 +0100\""
                + " endDate=\"2024-03-05 07:34:50 +0100\"";
        String systolic = "<Record type=\"HKQuantityTypeIdentifierBloodPressureSystolic\" sourceName=\"Health Mate\""
                + " device=\"" + cuff + "\" unit=\"mmHg\" " + at + " value=\"128\"/>";
        String diastolic = "<Record type=\"HKQuantityTypeIdentifierBloodPressureDiastolic\" sourceName=\"Health Mate\""
                + " device=\"" + cuff + "\" unit=\"mmHg\" " + at + " value=\"82\"/>";
        String export =
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE HealthData [
                <!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
                ]>
                <HealthData locale="en_US">
                 <ExportDate value="2024-03-06 21:14:03 +0100"/>
                 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Apple Watch" unit="count/min" \
                creationDate="2024-03-05 07:21:09 +0100" startDate="2024-03-05 07:19:54 +0100" \
                endDate="2024-03-05 07:19:54 +0100" value="64"/>
                 <Record type="HKQuantityTypeIdentifierOxygenSaturation" sourceName="Apple Watch" unit="%%" \
                creationDate="2024-03-05 03:12:40 +0100" startDate="2024-03-05 03:12:08 +0100" \
                endDate="2024-03-05 03:12:08 +0100" value="0.96"/>
                 %1$s
                 %2$s
                 <Record type="HKQuantityTypeIdentifierActiveEnergyBurned" sourceName="Apple Watch" unit="kcal" \
                creationDate="2024-03-05 08:13:40 +0100" startDate="2024-03-05 08:02:12 +0100" \
                endDate="2024-03-05 08:12:50 +0100" value="38.4"/>
                 <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Health Mate" \
                device="%3$s" %4$s>
                  %2$s
                  %1$s
                 </Correlation>
                 <Workout workoutActivityType="HKWorkoutActivityTypeWalking" sourceName="Apple Watch" \
                startDate="2024-03-05 18:09:25 +0100" endDate="2024-03-05 18:41:01 +0100"/>
                </HealthData>
                """
                        .formatted(systolic, diastolic, cuff, at);
        byte[] zip = zip("apple_health_export/export.xml", export.getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = sendBytes("Patient/" + patient + "/$ingest", "application/zip", zip);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
        assertThat(answer.getParameter("format").getValue().primitiveValue()).isEqualTo("apple-health");
        assertThat(((IntegerType) answer.getParameter("observations").getValue()).getValue())
                .isEqualTo(3);
        OperationOutcome outcome =
                (OperationOutcome) answer.getParameter("outcome").getResource();
        assertThat(outcome.getIssue())
                .extracting(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .contains(
                        "skipped 1 HKQuantityTypeIdentifierActiveEnergyBurned record: Vigil stores no Observation for"
                                + " this kind",
                        "skipped 1 Workout record: Vigil stores no Observation for this kind");
        List<Observation> observations =
                search("Observation?subject=Patient/" + patient + "&_sort=date", Observation.class);
        assertThat(observations)
                .extracting(o -> o.getCode().getCodingFirstRep().getCode(), o -> o.getEffectiveDateTimeType()
                        .getValueAsString())
                .containsExactly(
                        tuple("59408-5", "2024-03-05T03:12:08+01:00"),
                        tuple("8867-4", "2024-03-05T07:19:54+01:00"),
                        tuple("85354-9", "2024-03-05T07:34:50+01:00"));
        assertThat(observations.get(0).getValueQuantity().getValue()).isEqualByComparingTo("96");
        assertThat(observations.get(2).getComponent())
                .extracting(c -> c.getValueQuantity().getValue().intValue())
                .containsExactly(128, 82);
        assertThat(search("Device?patient=Patient/" + patient, Device.class))
                .extracting(device -> device.getIdentifierFirstRep().getValue())
                .containsExactly("00:24:e4:" + run);

        assertThat(sendBytes("Patient/" + patient + "/$ingest", "application/zip", zip)
                        .statusCode())
                .isEqualTo(200);
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .extracting(observation -> observation.getMeta().getVersionId())
                .containsExactly("1", "1", "1");
    }

    @Test
    void ingest_appleHealthExportWithAnExternalEntity_isRefusedUnread() throws Exception {
        String export =
                """
                <?xml version="1.0"?>
                <!DOCTYPE HealthData [<!ENTITY leak SYSTEM "file:///etc/passwd">]>
                <HealthData locale="en_US"><Record type="HKQuantityTypeIdentifierHeartRate" sourceName="&leak;" \
                unit="count/min" startDate="2024-03-05 07:19:54 +0100" endDate="2024-03-05 07:19:54 +0100" value="64"/>
                </HealthData>
                """;

        HttpResponse<String> response = send("Patient/" + patient + "/$ingest", "application/xml", export);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("VGL-1201").doesNotContain("root:");
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .isEmpty();
    }

    @Test
    void ingest_perSecondHeartRate_becomesOneSampledDataObservationPerMinute() throws Exception {
        List<String> readings = new java.util.ArrayList<>();
        java.time.OffsetDateTime eight = java.time.OffsetDateTime.parse("2026-11-30T08:00:00+01:00");
        for (int second = 0; second < 75; second++) {
            readings.add(
                    """
                    {"msgId":"s%d-%s","type":"hr","serial":"WB-%s","member":"%s","at":"%s","bpm":%d}"""
                            .formatted(second, run, run, member, eight.plusSeconds(second), 60 + second % 5)
                            .strip());
        }
        String payload = messages(readings.toArray(String[]::new));

        HttpResponse<String> response = ingest("Patient/" + patient + "/$ingest?template=" + TEMPLATES, payload);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
        assertThat(((IntegerType) answer.getParameter("measurements").getValue()).getValue())
                .isEqualTo(75);
        assertThat(((IntegerType) answer.getParameter("observations").getValue()).getValue())
                .isEqualTo(2);
        List<Observation> windows = search(
                "Observation?subject=Patient/" + patient
                        + "&code=http://loinc.org%7C8867-4&date=ge2026-11-30T08:00:30%2B01:00&_sort=date",
                Observation.class);
        assertThat(windows).hasSize(2);
        assertThat(windows.get(0).getValueSampledData().getPeriod()).isEqualByComparingTo("1000");
        assertThat(windows.get(0).getValueSampledData().getData().split(" "))
                .hasSize(60)
                .startsWith("60", "61", "62", "63", "64", "60");
        assertThat(windows.get(0).getEffectivePeriod().getStartElement().getValueAsString())
                .isEqualTo("2026-11-30T08:00:00+01:00");
        assertThat(windows.get(1).getValueSampledData().getData().split(" ")).hasSize(15);

        assertThat(ingest("Patient/" + patient + "/$ingest?template=" + TEMPLATES, payload)
                        .statusCode())
                .isEqualTo(200);
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .extracting(observation -> observation.getMeta().getVersionId())
                .containsExactly("1", "1");
    }

    @Test
    void ingest_preferReturnMinimal_answersCountsAndReportWithoutTheTransactionResponse() throws Exception {
        HttpResponse<String> response = http().send(
                        HttpRequest.newBuilder(java.net.URI.create(
                                        fhirBase() + "/Patient/" + patient + "/$ingest?template=" + TEMPLATES))
                                .header("Authorization", "Bearer " + adminToken())
                                .header("Content-Type", "application/json")
                                .header("Accept", "application/fhir+json")
                                .header("Prefer", "return=minimal")
                                .POST(HttpRequest.BodyPublishers.ofString(messages(heartRate("min1", 64))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
        assertThat(((IntegerType) answer.getParameter("observations").getValue()).getValue())
                .isEqualTo(1);
        assertThat(answer.getParameter("outcome")).isNotNull();
        assertThat(answer.getParameter("result")).isNull();
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .hasSize(1);
    }

    @Test
    void ingest_sameBatchTwice_changesNothing() throws Exception {
        String payload = messages(heartRate("m1", 64), heartRate("m2", 66), bloodPressure(121, 79));

        assertThat(ingest("Patient/" + patient + "/$ingest?template=" + TEMPLATES, payload)
                        .statusCode())
                .isEqualTo(200);
        List<Observation> first = search("Observation?subject=Patient/" + patient, Observation.class);
        assertThat(ingest("Patient/" + patient + "/$ingest?template=" + TEMPLATES, payload)
                        .statusCode())
                .isEqualTo(200);
        List<Observation> second = search("Observation?subject=Patient/" + patient, Observation.class);

        assertThat(second).hasSize(3);
        assertThat(second)
                .extracting(observation -> observation.getMeta().getVersionId())
                .containsOnly("1");
        assertThat(second)
                .extracting(observation -> observation.getIdElement().getIdPart())
                .containsExactlyInAnyOrderElementsOf(
                        first.stream().map(o -> o.getIdElement().getIdPart()).toList());
        assertThat(search("Device?patient=Patient/" + patient, Device.class))
                .extracting(device -> device.getMeta().getVersionId())
                .containsOnly("1");
    }

    @Test
    void ingest_atServerLevel_takesPatientFromIdentifier() throws Exception {
        HttpResponse<String> response = ingest("$ingest?template=" + TEMPLATES, messages(heartRate("m1", 70)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .hasSize(1);
    }

    @Test
    void ingest_impossibleValue_refusesWholeBatchNamingTheRecord() throws Exception {
        HttpResponse<String> response = ingest(
                "Patient/" + patient + "/$ingest?template=" + TEMPLATES,
                messages(heartRate("ok", 64), heartRate("bad", 900)));

        assertThat(response.statusCode()).isEqualTo(422);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssue())
                .filteredOn(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        && !issue.getLocation().isEmpty())
                .singleElement()
                .satisfies(issue -> {
                    assertThat(issue.getLocation().get(0).getValue()).isEqualTo("bad-" + run);
                    assertThat(issue.getDiagnostics())
                            .startsWith("VGL-1203: record bad-" + run + ": value:")
                            .contains("900");
                });
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .isEmpty();
        assertThat(search("Device?patient=Patient/" + patient, Device.class)).isEmpty();
    }

    @Test
    void ingest_partial_storesTheValidRecordsAndReportsTheOthers() throws Exception {
        HttpResponse<String> response = ingest(
                "Patient/" + patient + "/$ingest?partial=true&template=" + TEMPLATES,
                messages(heartRate("ok", 64), heartRate("bad", 900), "{\"type\": \"temperature\"}"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
        assertThat(((IntegerType) answer.getParameter("observations").getValue()).getValue())
                .isEqualTo(1);
        assertThat(((IntegerType) answer.getParameter("rejected").getValue()).getValue())
                .isEqualTo(2);
        OperationOutcome outcome =
                (OperationOutcome) answer.getParameter("outcome").getResource();
        assertThat(outcome.getIssue())
                .filteredOn(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING)
                .extracting(issue -> issue.getLocation().get(0).getValue())
                .containsExactly("bad-" + run, "$[2]");
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .hasSize(1);
    }

    @Test
    void ingest_dryRun_showsMeasurementsAndTransactionAndWritesNothing() throws Exception {
        HttpResponse<String> response = ingest(
                "Patient/" + patient + "/$ingest?dryRun=true&template=" + TEMPLATES, messages(bloodPressure(140, 91)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters answer = FHIR.newJsonParser().parseResource(Parameters.class, response.body());
        assertThat(answer.getParameters("measurement")).singleElement().satisfies(measurement -> assertThat(
                        measurement.getPart())
                .extracting(Parameters.ParametersParameterComponent::getName)
                .contains("recordId", "code", "component", "start", "device", "patient"));
        Bundle transaction = (Bundle) answer.getParameter("transaction").getResource();
        assertThat(transaction.getEntry())
                .extracting(entry -> entry.getResource().fhirType())
                .containsExactly("Binary", "Device", "Observation", "Provenance");
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .isEmpty();
    }

    @Test
    void ingest_deviceOfAnotherPatient_isRefused() throws Exception {
        assertThat(ingest("Patient/" + patient + "/$ingest?template=" + TEMPLATES, messages(heartRate("m1", 64)))
                        .statusCode())
                .isEqualTo(200);
        String other = "ingest-other-" + run;
        fhirPut("Patient/" + other, "{\"resourceType\": \"Patient\", \"id\": \"" + other + "\"}");

        HttpResponse<String> response = ingest(
                "Patient/" + other + "/$ingest?template=" + TEMPLATES,
                messages(heartRate("m9", 64).replace(",\"member\":\"" + member + "\"", "")));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body())
                .contains("device urn:acme:serial|WB-" + run + " is linked to another patient than Patient/" + other)
                .doesNotContain(patient);
    }

    @Test
    void ingest_badRequests_areNamedAndStoreNothing() throws Exception {
        String path = "Patient/" + patient + "/$ingest?template=" + TEMPLATES;

        HttpResponse<String> malformed = ingest(path, "[{\"type\": \"hr\",");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("VGL-1201: not JSON at line 1");

        HttpResponse<String> csv = send(path, "text/csv", "a,b");
        assertThat(csv.statusCode()).isEqualTo(415);
        assertThat(csv.body()).contains("VGL-1202").contains("text/csv");

        assertThat(ingest("Patient/" + patient + "/$ingest?dryRun=maybe", "[]").body())
                .contains("VGL-1205: dryRun must be true or false");
        assertThat(ingest("Patient/" + patient + "/$ingest?template=Binary/nope", "[]")
                        .body())
                .contains(
                        "VGL-1204: Binary/nope is not a stored Binary of type application/vnd.vigil.device-templates+json");
        assertThat(ingest("Patient/no-such-" + run + "/$ingest", "[]").statusCode())
                .isEqualTo(404);
        assertThat(search("Observation?subject=Patient/" + patient, Observation.class))
                .isEmpty();
    }

    @Test
    void ingest_patientToken_mayIngestForItsOwnPatientOnly() throws Exception {
        String token = TestIssuer.shared()
                .token(FHIR_BASE, "patient/Observation.cu")
                .patient(patient)
                .sign();
        String other = "ingest-other-" + run;
        fhirPut("Patient/" + other, "{\"resourceType\": \"Patient\", \"id\": \"" + other + "\"}");

        HttpResponse<String> own =
                sendWith(token, "Patient/" + patient + "/$ingest?template=" + TEMPLATES, messages(heartRate("m1", 64)));
        HttpResponse<String> foreign =
                sendWith(token, "Patient/" + other + "/$ingest?template=" + TEMPLATES, messages(heartRate("m2", 64)));

        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(search("Observation?subject=Patient/" + other, Observation.class))
                .isEmpty();
    }

    /** Stores a patient with an identifier in the example templates' member namespace. */
    static void putAcmeMember(ServerIT test, String patient, String member) throws Exception {
        assertThat(test.fhirPut(
                                "Patient/" + patient,
                                """
                        {"resourceType": "Patient", "id": "%s",
                         "identifier": [{"system": "urn:acme:member", "value": "%s"}]}
                        """
                                        .formatted(patient, member))
                        .statusCode())
                .isIn(200, 201);
    }

    private String heartRate(String id, int bpm) {
        return """
                {"msgId":"%s-%s","type":"hr","serial":"WB-%s","model":"Acme Band 3","member":"%s","at":"2026-11-30T07:%02d:00+01:00","bpm":%d}"""
                .formatted(id, run, run, member, 15 + Math.abs(id.hashCode() % 30), bpm)
                .strip();
    }

    private String bloodPressure(int systolic, int diastolic) {
        return """
                {"type":"bp","serial":"CUFF-%s","member":"%s","at":"2026-11-30T08:20:00+01:00","sys":%d,"dia":%d}"""
                .formatted(run, member, systolic, diastolic)
                .strip();
    }

    private static String messages(String... messages) {
        return "[" + String.join(",", messages) + "]";
    }

    private HttpResponse<String> ingest(String path, String payload) throws Exception {
        return send(path, "application/json", payload);
    }

    private HttpResponse<String> send(String path, String contentType, String payload) throws Exception {
        return sendWith(adminToken(), path, contentType, payload);
    }

    private HttpResponse<String> sendWith(String token, String path, String payload) throws Exception {
        return sendWith(token, path, "application/json", payload);
    }

    private HttpResponse<String> sendWith(String token, String path, String contentType, String payload)
            throws Exception {
        return http().send(
                        HttpRequest.newBuilder(java.net.URI.create(fhirBase() + "/" + path))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", contentType)
                                .header("Accept", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(payload))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sendBytes(String path, String contentType, byte[] payload) throws Exception {
        return http().send(
                        HttpRequest.newBuilder(java.net.URI.create(fhirBase() + "/" + path))
                                .header("Authorization", "Bearer " + adminToken())
                                .header("Content-Type", contentType)
                                .header("Accept", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] zip(String name, byte[] content) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] resource(String path) {
        try (InputStream in = DeviceIngestIT.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
