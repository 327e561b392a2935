package health.vigil.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Synthea cohort as the harness posts it: the reference-data batch bundles (hospitals, then
 * practitioners), which patient bundles refer to by conditional references, and one transaction
 * bundle per patient, in file-name order so that every run posts them in the same order.
 *
 * @param referenceBundles {@code hospitalInformation*.json}, then {@code practitionerInformation*.json}
 * @param patientBundles every other {@code *.json}, sorted by file name
 */
record Cohort(List<CohortBundle> referenceBundles, List<CohortBundle> patientBundles) {

    Cohort {
        referenceBundles = List.copyOf(referenceBundles);
        patientBundles = List.copyOf(patientBundles);
    }

    /** Reads and indexes every bundle in Synthea's {@code fhir} output directory. */
    static Cohort load(Path fhirDirectory, ObjectMapper json) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(fhirDirectory)) {
            files = listing.filter(file -> file.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        }
        List<CohortBundle> hospitals = new ArrayList<>();
        List<CohortBundle> practitioners = new ArrayList<>();
        List<CohortBundle> patients = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.startsWith("hospitalInformation")) {
                hospitals.add(CohortBundle.read(file, "batch", json));
            } else if (name.startsWith("practitionerInformation")) {
                practitioners.add(CohortBundle.read(file, "batch", json));
            } else {
                patients.add(CohortBundle.read(file, "transaction", json));
            }
        }
        if (patients.isEmpty()) {
            throw new IllegalArgumentException("No patient bundles in " + fhirDirectory);
        }
        List<CohortBundle> reference = new ArrayList<>(hospitals);
        reference.addAll(practitioners);
        return new Cohort(reference, patients);
    }

    /** Resources in all patient bundles. */
    long patientResources() {
        return patientBundles.stream().mapToLong(CohortBundle::entryCount).sum();
    }

    /**
     * One bundle file, with what the harness needs to know about its entries: how many there are,
     * which one is the Patient, and the Observations the search and read workloads draw from.
     *
     * @param fileName the bundle's file name
     * @param body the bundle as posted
     * @param entryCount entries (resources) in the bundle
     * @param patientEntry index of the Patient entry, or -1 when the bundle has none
     * @param observations the bundle's Observations with a coded {@code code} and an
     *     {@code effectiveDateTime}, whose subject is an entry of the same bundle
     */
    record CohortBundle(
            String fileName, byte[] body, int entryCount, int patientEntry, List<ObservationEntry> observations) {

        CohortBundle {
            observations = List.copyOf(observations);
        }

        static CohortBundle read(Path file, String expectedType, ObjectMapper json) throws IOException {
            byte[] body = Files.readAllBytes(file);
            JsonNode bundle = json.readTree(body);
            String type = bundle.path("type").asText();
            if (!bundle.path("resourceType").asText().equals("Bundle") || !type.equals(expectedType)) {
                throw new IllegalArgumentException(file + " is not a " + expectedType + " Bundle (resourceType "
                        + bundle.path("resourceType").asText() + ", type " + type + ")");
            }
            JsonNode entries = bundle.path("entry");
            Map<String, Integer> entryByFullUrl = new HashMap<>();
            int patientEntry = -1;
            for (int i = 0; i < entries.size(); i++) {
                entryByFullUrl.put(entries.get(i).path("fullUrl").asText(), i);
                if (entries.get(i)
                        .path("resource")
                        .path("resourceType")
                        .asText()
                        .equals("Patient")) {
                    patientEntry = i;
                }
            }
            List<ObservationEntry> observations = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                JsonNode resource = entries.get(i).path("resource");
                if (!resource.path("resourceType").asText().equals("Observation")) {
                    continue;
                }
                JsonNode coding = resource.path("code").path("coding").path(0);
                String effective = resource.path("effectiveDateTime").asText();
                Integer subject = entryByFullUrl.get(
                        resource.path("subject").path("reference").asText());
                if (coding.hasNonNull("system")
                        && coding.hasNonNull("code")
                        && effective.length() >= 10
                        && subject != null) {
                    observations.add(new ObservationEntry(
                            i,
                            subject,
                            coding.get("system").asText() + "|"
                                    + coding.get("code").asText(),
                            effective.substring(0, 10)));
                }
            }
            return new CohortBundle(file.getFileName().toString(), body, entries.size(), patientEntry, observations);
        }
    }

    /**
     * An Observation entry of a patient bundle.
     *
     * @param entry the Observation's index in the bundle
     * @param subjectEntry the index of its subject (the Patient) in the same bundle
     * @param code its first coding, as a token search value {@code system|code}
     * @param day the day of its {@code effectiveDateTime} ({@code yyyy-MM-dd}, the time zone as written)
     */
    record ObservationEntry(int entry, int subjectEntry, String code, String day) {}
}
