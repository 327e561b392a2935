package health.vigil.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** The standard FHIR REST API, through HAPI's generic client, as any FHIR client would use it. */
class RestApiIT extends ServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MRN = "http://example.org/vigil-it/mrn";

    @Test
    void crud_createReadUpdateDelete_behavesAsFhirSpecifies() {
        IGenericClient client = client();
        Patient patient = newPatient("Crud");
        IdType id = (IdType) client.create().resource(patient).execute().getId();
        assertThat(id.getVersionIdPart()).isEqualTo("1");

        Patient read =
                client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Crud");

        read.getNameFirstRep().setFamily("Crud-Updated");
        MethodOutcome updated = client.update().resource(read).execute();
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        Patient version1 = client.read()
                .resource(Patient.class)
                .withIdAndVersion(id.getIdPart(), "1")
                .execute();
        assertThat(version1.getNameFirstRep().getFamily()).isEqualTo("Crud");

        Bundle history = client.history()
                .onInstance(id.toUnqualifiedVersionless())
                .returnBundle(Bundle.class)
                .execute();
        assertThat(history.getEntry()).hasSize(2);

        client.delete().resourceById(id.toUnqualifiedVersionless()).execute();
        assertThatThrownBy(() -> client.read()
                        .resource(Patient.class)
                        .withId(id.getIdPart())
                        .execute())
                .isInstanceOf(ResourceGoneException.class);
    }

    @Test
    void conditionalOperations_byIdentifier_createOnceUpdateAndDeleteByMatch() {
        IGenericClient client = client();
        String mrn = UUID.randomUUID().toString();
        String match = "Patient?identifier=" + MRN + "|" + mrn;
        Patient patient = newPatient("Conditional")
                .addIdentifier(
                        new org.hl7.fhir.r4.model.Identifier().setSystem(MRN).setValue(mrn));

        MethodOutcome first =
                client.create().resource(patient).conditionalByUrl(match).execute();
        MethodOutcome second =
                client.create().resource(patient).conditionalByUrl(match).execute();
        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());

        patient.getNameFirstRep().setFamily("Conditional-Updated");
        MethodOutcome update =
                client.update().resource(patient).conditionalByUrl(match).execute();
        assertThat(update.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        assertThat(update.getId().getVersionIdPart()).isEqualTo("2");

        client.delete().resourceConditionalByUrl(match).execute();
        Bundle found = client.search().byUrl(match).returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).isEmpty();
    }

    @Test
    void transaction_withPlaceholderReferences_storesAllOrNothing() {
        IGenericClient client = client();
        Patient patient = newPatient("Transaction");
        patient.setId("urn:uuid:" + UUID.randomUUID());
        Observation observation = heartRate(new Reference(patient.getId()), 61);
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setFullUrl(patient.getId())
                .setResource(patient)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        transaction
                .addEntry()
                .setResource(observation)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");

        Bundle response = client.transaction().withBundle(transaction).execute();
        String patientId = new IdType(response.getEntry().get(0).getResponse().getLocation()).getIdPart();
        Observation stored = client.read()
                .resource(Observation.class)
                .withId(new IdType(response.getEntry().get(1).getResponse().getLocation()).getIdPart())
                .execute();
        assertThat(stored.getSubject().getReferenceElement().getIdPart()).isEqualTo(patientId);

        // The second entry refers to a patient that does not exist: nothing of the bundle is stored.
        String family = "Rollback-" + UUID.randomUUID();
        Bundle failing = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        failing.addEntry()
                .setResource(newPatient(family))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        failing.addEntry()
                .setResource(heartRate(new Reference("Patient/does-not-exist"), 70))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        assertThatThrownBy(() -> client.transaction().withBundle(failing).execute())
                .hasMessageContaining("does-not-exist");
        assertThat(countPatientsByFamily(client, family)).isZero();
    }

    @Test
    void batch_entriesSucceedOrFailIndependently() {
        IGenericClient client = client();
        String family = "Batch-" + UUID.randomUUID();
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry()
                .setResource(newPatient(family))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Patient");
        batch.addEntry()
                .setResource(heartRate(new Reference("Patient/does-not-exist"), 70))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");

        Bundle response = client.transaction().withBundle(batch).execute();
        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("4");
        assertThat(countPatientsByFamily(client, family)).isEqualTo(1);
    }

    @Test
    void search_includeRevincludeChainHasSortAndPaging_returnExpectedResources() {
        IGenericClient client = client();
        String orgName = "Org-" + UUID.randomUUID();
        IdType org = (IdType) client.create()
                .resource(new Organization().setName(orgName))
                .execute()
                .getId();
        Patient patient = newPatient("Searchable");
        patient.setManagingOrganization(new Reference(org.toUnqualifiedVersionless()));
        IdType patientId = (IdType) client.create().resource(patient).execute().getId();
        Reference subject = new Reference(patientId.toUnqualifiedVersionless());
        for (int rate = 60; rate < 65; rate++) {
            client.create().resource(heartRate(subject, rate)).execute();
        }

        Bundle sorted = client.search()
                .forResource(Observation.class)
                .where(Observation.SUBJECT.hasId(patientId.toUnqualifiedVersionless()))
                .sort()
                .descending(Observation.VALUE_QUANTITY)
                .count(2)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(sorted.getEntry()).hasSize(2);
        assertThat(((Observation) sorted.getEntryFirstRep().getResource())
                        .getValueQuantity()
                        .getValue()
                        .intValue())
                .isEqualTo(64);
        Bundle page2 = client.loadPage().next(sorted).execute();
        assertThat(((Observation) page2.getEntryFirstRep().getResource())
                        .getValueQuantity()
                        .getValue()
                        .intValue())
                .isEqualTo(62);

        Bundle withInclude = client.search()
                .forResource(Observation.class)
                .where(Observation.SUBJECT.hasId(patientId.toUnqualifiedVersionless()))
                .include(Observation.INCLUDE_SUBJECT)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(withInclude.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsOnly("Observation", "Patient")
                .filteredOn("Patient"::equals)
                .hasSize(1);

        Bundle withRevinclude = client.search()
                .forResource(Patient.class)
                .where(Patient.RES_ID.exactly().code(patientId.getIdPart()))
                .revInclude(Observation.INCLUDE_SUBJECT)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(withRevinclude.getEntry())
                .filteredOn(e -> e.getResource() instanceof Observation)
                .hasSize(5);

        Bundle chained = client.search()
                .byUrl("Observation?subject:Patient.organization.name=" + orgName)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(chained.getEntry()).hasSize(5);

        Bundle has = client.search()
                .byUrl("Patient?_id=" + patientId.getIdPart()
                        + "&_has:Observation:subject:code=http://loinc.org|8867-4")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(has.getEntry()).hasSize(1);
        Bundle hasNone = client.search()
                .byUrl("Patient?_id=" + patientId.getIdPart()
                        + "&_has:Observation:subject:code=http://loinc.org|29463-7")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(hasNone.getEntry()).isEmpty();

        Bundle count = client.search()
                .forResource(Observation.class)
                .where(Observation.SUBJECT.hasId(patientId.toUnqualifiedVersionless()))
                .summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(count.getTotal()).isEqualTo(5);
    }

    @Test
    void securityLabelAndTagSearch_labelledPatient_foundByTagAndLabel() {
        IGenericClient client = client();
        String tag = "tag-" + UUID.randomUUID();
        Patient labelled = newPatient("Labelled");
        labelled.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", "restricted");
        labelled.getMeta().addTag("http://example.org/vigil-it/tags", tag, null);
        IdType id = (IdType) client.create().resource(labelled).execute().getId();

        Bundle byTag = client.search()
                .byUrl("Patient?_tag=http://example.org/vigil-it/tags|" + tag)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(byTag.getEntry())
                .extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(id.getIdPart());
        Bundle bySecurity = client.search()
                .byUrl("Patient?_tag=http://example.org/vigil-it/tags|" + tag
                        + "&_security=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(bySecurity.getEntry()).hasSize(1);
    }

    @Test
    void fullTextSearch_contentAndText_findResourcesByWords() {
        IGenericClient client = client();
        String word = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Observation observation = heartRate(
                new Reference(client.create()
                        .resource(newPatient("FullText"))
                        .execute()
                        .getId()
                        .toUnqualifiedVersionless()),
                58);
        observation.getCode().setText("resting pulse " + word);
        observation
                .getText()
                .setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Measured after " + word + "</div>");
        client.create().resource(observation).execute();

        assertThat(client.search()
                        .byUrl("Observation?_content=" + word)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .hasSize(1);
        assertThat(client.search()
                        .byUrl("Observation?_text=" + word)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .hasSize(1);
        assertThat(client.search()
                        .byUrl("Observation?_content=nosuchword" + word)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .isEmpty();
    }

    @Test
    void patientEverything_returnsPatientAndTheirData() {
        IGenericClient client = client();
        IdType patientId = (IdType)
                client.create().resource(newPatient("Everything")).execute().getId();
        client.create()
                .resource(heartRate(new Reference(patientId.toUnqualifiedVersionless()), 77))
                .execute();

        Bundle everything = client.operation()
                .onInstance(patientId.toUnqualifiedVersionless())
                .named("$everything")
                .withNoParameters(Parameters.class)
                .returnResourceType(Bundle.class)
                .execute();
        assertThat(everything.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .contains("Patient", "Observation");
    }

    @Test
    void validate_invalidResource_reportsErrorsWithoutStoring() {
        IGenericClient client = client();
        Observation missingStatus = new Observation();
        missingStatus.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", null)));
        MethodOutcome outcome = null;
        try {
            outcome = client.validate().resource(missingStatus).execute();
        } catch (ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException
                | ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException e) {
            OperationOutcome oo = (OperationOutcome) e.getOperationOutcome();
            assertThat(oo.getIssue()).anyMatch(i -> i.getDiagnostics().contains("status"));
            return;
        }
        OperationOutcome oo = (OperationOutcome) outcome.getOperationOutcome();
        assertThat(oo.getIssue())
                .anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        && i.getDiagnostics().contains("status"));
    }

    @Test
    void bulkExport_systemPatientAndGroup_produceNdjsonOfRequestedTypes() throws Exception {
        IGenericClient client = client();
        IdType patientId = (IdType)
                client.create().resource(newPatient("Export")).execute().getId();
        client.create()
                .resource(heartRate(new Reference(patientId.toUnqualifiedVersionless()), 66))
                .execute();
        Group group = new Group().setType(Group.GroupType.PERSON).setActual(true);
        group.addMember().setEntity(new Reference(patientId.toUnqualifiedVersionless()));
        IdType groupId = (IdType) client.create().resource(group).execute().getId();

        // Started together, so they share the batch-job maintenance passes.
        String systemJob = kickOffExport("$export?_type=Patient,Observation");
        String patientJob = kickOffExport("Patient/$export?_type=Patient,Observation");
        String groupJob = kickOffExport("Group/" + groupId.getIdPart() + "/$export?_type=Patient,Observation");

        List<String> system = awaitExport(systemJob);
        assertThat(system).anyMatch(line -> line.contains("\"id\":\"" + patientId.getIdPart() + "\""));

        List<String> patients = awaitExport(patientJob);
        assertThat(patients)
                .anyMatch(line -> line.contains("\"resourceType\":\"Observation\"")
                        && line.contains("Patient/" + patientId.getIdPart()));

        List<String> members = awaitExport(groupJob);
        assertThat(members)
                .allMatch(line -> line.contains("\"id\":\"" + patientId.getIdPart() + "\"")
                        || line.contains("Patient/" + patientId.getIdPart()))
                .hasSize(2);
    }

    /** Kicks off a bulk export and returns its status URL. */
    private String kickOffExport(String kickOff) throws Exception {
        HttpResponse<String> accepted = http().send(
                        authorized(fhirBase() + "/" + kickOff)
                                .header("Accept", "application/fhir+json")
                                .header("Prefer", "respond-async")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return accepted.headers().firstValue("Content-Location").orElseThrow();
    }

    /** Polls a bulk export to completion and returns all NDJSON lines of its output. */
    private List<String> awaitExport(String status) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        HttpResponse<String> poll;
        do {
            Thread.sleep(1000);
            poll = http().send(authorized(status).GET().build(), HttpResponse.BodyHandlers.ofString());
        } while (poll.statusCode() == 202 && Instant.now().isBefore(deadline));
        assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
        JsonNode manifest = JSON.readTree(poll.body());
        List<String> lines = new ArrayList<>();
        for (JsonNode output : manifest.get("output")) {
            HttpResponse<String> file = http().send(
                            authorized(output.get("url").asText())
                                    .header("Accept", "application/fhir+ndjson")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).isEqualTo(200);
            file.body().lines().filter(l -> !l.isBlank()).forEach(lines::add);
        }
        return lines;
    }

    private static int countPatientsByFamily(IGenericClient client, String family) {
        return client.search()
                .forResource(Patient.class)
                .where(Patient.FAMILY.matchesExactly().value(family))
                .summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class)
                .execute()
                .getTotal();
    }

    static Patient newPatient(String family) {
        Patient patient = new Patient();
        patient.addName().setFamily(family).addGiven("Test");
        patient.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
        return patient;
    }

    static Observation heartRate(Reference subject, int beatsPerMinute) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")));
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate")));
        observation.setSubject(subject);
        observation.setEffective(new DateTimeType("2024-05-01T08:00:00Z"));
        observation.setValue(new Quantity()
                .setValue(beatsPerMinute)
                .setUnit("beats/minute")
                .setSystem("http://unitsofmeasure.org")
                .setCode("/min"));
        return observation;
    }
}
