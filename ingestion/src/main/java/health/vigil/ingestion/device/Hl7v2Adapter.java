package health.vigil.ingestion.device;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CWE;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.EI;
import ca.uhn.hl7v2.model.v251.datatype.HD;
import ca.uhn.hl7v2.model.v251.datatype.SN;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.Measurement;
import health.vigil.ingestion.api.Measurement.Interpretation;
import health.vigil.ingestion.api.Measurement.PatientIdentifier;
import health.vigil.ingestion.api.Measurement.ReferenceRange;
import health.vigil.ingestion.api.Measurement.Report;
import health.vigil.ingestion.api.Measurement.ResultStatus;
import health.vigil.ingestion.api.Measurement.SourceCode;
import health.vigil.ingestion.api.MeasurementProblem;
import health.vigil.terminology.api.AnalyteCatalog;
import health.vigil.terminology.api.AnalyteMatch;
import health.vigil.terminology.api.AnalyteQuery;
import health.vigil.terminology.api.Terminology;
import health.vigil.terminology.api.Units;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads HL7 v2 ORU^R01 lab results (ER7, one or more messages, MLLP framing tolerated): each OBX with
 * a numeric value (NM, or SN with an optional comparator) of each OBR is one lab {@link Measurement}.
 *
 * <p>Messages of versions 2.3 to 2.5.1 are parsed into HAPI's 2.5.1 model. A payload that is not HL7
 * v2 or that the parser cannot read is {@code MALFORMED_PAYLOAD}; a message of another type
 * (ADT, ORM, ORU^R30) is {@code UNSUPPORTED_FORMAT}.
 *
 * <p>The code is OBX-3's LOINC coding (coding system {@code LN}); without one, the analyte is looked
 * up in the terminology's catalogue by OBX-3's text, the unit and the order's specimen, and a row that
 * does not match exactly one analyte is rejected, never guessed. Every OBX that does not become a
 * measurement is rejected with its reasons, text results (ST, TX, FT) and coded ones included: nothing
 * of a report is dropped silently.
 *
 * <p>Identity: {@code source} is {@code hl7v2/<MSH-4>}; {@code recordId} is {@code <order number>/<OBX-3
 * code>[/<OBX-4 sub-id>]}, with the lab's (filler) order number, so a corrected result (OBX-11
 * {@code C}) sent again is the same record and updates the same Observation. OBX-1, the set id, is
 * not part of it: senders renumber it.
 *
 * <p>Immutable and thread-safe: each payload gets its own parser.
 */
final class Hl7v2Adapter implements FeedAdapter {

    /** The start of every record's {@code source}; MSH-4, the sending facility, follows. */
    static final String SOURCE_PREFIX = "hl7v2/";

    /** Local codes (OBX-3, OBR-4) get a code system per sending facility and HL7 coding system name. */
    static final String LOCAL_CODE_SYSTEM_BASE = "https://vigil.health/fhir/CodeSystem/hl7v2/";

    private static final String LOINC_SYSTEM_NAME = "LN";
    private static final Set<String> TEXT_TYPES = Set.of("ST", "TX", "FT");

    /** HL7 tables 0070 and 0487 specimen codes, in the words the analyte catalogue understands. */
    private static final Map<String, String> SPECIMEN_CODES = Map.of(
            "BLD", "blood",
            "BLDA", "arterial blood",
            "BLDV", "venous blood",
            "BLDC", "capillary blood",
            "SER", "serum",
            "PLAS", "plasma",
            "SER/PLAS", "serum/plasma",
            "UR", "urine",
            "URINE", "urine",
            "PPP", "platelet poor plasma");

    private final AnalyteCatalog analytes;
    private final Units units;
    private final ZoneId zone;
    private final Map<String, String> assigningAuthorities;
    private final HapiContext context;

    /**
     * @param terminology the analyte catalogue (for local codes) and units
     * @param zone the sending labs' time zone, for times without an offset (HL7 v2 allows them)
     * @param assigningAuthorities identifier systems (URIs) by PID-3 assigning-authority namespace, for
     *     senders that name the authority without an OID or URI ({@code "HOSP"} to
     *     {@code "https://hospital.example/mrn"})
     */
    Hl7v2Adapter(Terminology terminology, ZoneId zone, Map<String, String> assigningAuthorities) {
        this.analytes = terminology.analytes();
        this.units = terminology.units();
        this.zone = Objects.requireNonNull(zone, "zone");
        this.assigningAuthorities = Map.copyOf(assigningAuthorities);
        DefaultHapiContext hapi = new DefaultHapiContext(new CanonicalModelClassFactory("2.5.1"));
        // The parser only reads; what a result needs is checked here, per OBX, as problems.
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        this.context = hapi;
    }

    @Override
    public FeedFormat format() {
        return FeedFormat.HL7V2;
    }

    @Override
    public void read(InputStream payload, FeedSink sink) throws IOException {
        Hl7v2Messages messages =
                new Hl7v2Messages(new BufferedReader(new InputStreamReader(payload, StandardCharsets.UTF_8)));
        PipeParser parser = new PipeParser(context);
        int index = 0;
        for (Optional<String> text = messages.next(); text.isPresent(); text = messages.next()) {
            index++;
            ORU_R01 message = parse(parser, text.get(), index);
            try {
                read(message, sink);
            } catch (HL7Exception e) {
                throw new FeedException(
                        IngestionErrors.MALFORMED_PAYLOAD,
                        "message " + index + " cannot be read: " + e.getMessage(),
                        e);
            }
        }
    }

    private static ORU_R01 parse(PipeParser parser, String text, int index) {
        Message message;
        try {
            message = parser.parse(text);
        } catch (HL7Exception e) {
            throw new FeedException(
                    IngestionErrors.MALFORMED_PAYLOAD, "message " + index + " is not HL7 v2: " + e.getMessage(), e);
        }
        if (message instanceof ORU_R01 results && "ORU".equals(field(message, "/MSH-9-1"))) {
            return results;
        }
        throw new FeedException(
                IngestionErrors.UNSUPPORTED_FORMAT,
                "message " + index + " is " + field(message, "/MSH-9-1") + "^" + field(message, "/MSH-9-2")
                        + "; the hl7v2 format reads ORU^R01 lab results only");
    }

    private void read(ORU_R01 message, FeedSink sink) throws HL7Exception {
        String facility = text(message.getMSH().getMsh4_SendingFacility());
        String controlId = message.getMSH().getMsh10_MessageControlID().getValue();
        Set<String> seen = new HashSet<>();
        for (ORU_R01_PATIENT_RESULT result : message.getPATIENT_RESULTAll()) {
            Patient patient = patient(result.getPATIENT().getPID().getPid3_PatientIdentifierList());
            for (ORU_R01_ORDER_OBSERVATION order : result.getORDER_OBSERVATIONAll()) {
                Order read = order(order, facility);
                for (ORU_R01_OBSERVATION observation : order.getOBSERVATIONAll()) {
                    OBX obx = observation.getOBX();
                    Row row = new Row(facility, controlId, patient, read, obx, seen);
                    row.read().ifPresentOrElse(sink::accept, () -> row.problems.forEach(sink::reject));
                }
            }
        }
    }

    /** A patient as PID-3 names them: the MR identifier, or the first one. */
    private record Patient(PatientIdentifier identifier, String problem) {}

    private Patient patient(CX[] identifiers) {
        Optional<CX> chosen = Arrays.stream(identifiers)
                .filter(cx -> !Hl7v2Fields.absent(cx.getIDNumber().getValue()))
                .min((a, b) -> Boolean.compare(!isMedicalRecord(a), !isMedicalRecord(b)));
        if (chosen.isEmpty()) {
            return new Patient(null, null);
        }
        CX cx = chosen.get();
        String value = cx.getIDNumber().getValue().strip();
        HD authority = cx.getAssigningAuthority();
        String universal = authority.getUniversalID().getValue();
        String type = Objects.toString(authority.getUniversalIDType().getValue(), "")
                .strip()
                .toUpperCase(Locale.ROOT);
        if (!Hl7v2Fields.absent(universal)) {
            String id = universal.strip();
            switch (type) {
                case "ISO" -> {
                    return new Patient(new PatientIdentifier("urn:oid:" + id, value), null);
                }
                case "UUID" -> {
                    return new Patient(new PatientIdentifier("urn:uuid:" + id, value), null);
                }
                case "URI", "URL" -> {
                    return new Patient(new PatientIdentifier(id, value), null);
                }
                default -> {
                    // A universal id of another type names no URI; the namespace may still be configured.
                }
            }
        }
        String namespace = authority.getNamespaceID().getValue();
        if (!Hl7v2Fields.absent(namespace) && assigningAuthorities.containsKey(namespace.strip())) {
            return new Patient(new PatientIdentifier(assigningAuthorities.get(namespace.strip()), value), null);
        }
        return new Patient(
                null,
                "PID-3 assigning authority '" + Objects.toString(namespace, "") + "' has no OID or URI and is not "
                        + "configured, so the patient cannot be told apart from others with identifier " + "'"
                        + value + "'");
    }

    private static boolean isMedicalRecord(CX cx) {
        return "MR".equalsIgnoreCase(cx.getIdentifierTypeCode().getValue());
    }

    /** What an OBR says for each of its results: the report, or why there is none. */
    private record Order(String id, Report report, List<String> problems, String specimen) {}

    private Order order(ORU_R01_ORDER_OBSERVATION group, String facility) {
        OBR obr = group.getOBR();
        ORC orc = group.getORC();
        List<String> problems = new ArrayList<>();
        String id = Stream.of(
                        obr.getObr3_FillerOrderNumber(),
                        orc.getOrc3_FillerOrderNumber(),
                        obr.getObr2_PlacerOrderNumber(),
                        orc.getOrc2_PlacerOrderNumber())
                .map(EI::getEntityIdentifier)
                .map(ca.uhn.hl7v2.model.Primitive::getValue)
                .filter(value -> !Hl7v2Fields.absent(value))
                .map(String::strip)
                .findFirst()
                .orElse(null);
        if (id == null) {
            problems.add("OBR-3 and OBR-2 name no order number to identify the results by");
        }
        SourceCode code =
                coded(obr.getObr4_UniversalServiceIdentifier(), facility).orElse(null);
        if (code == null) {
            problems.add("OBR-4 names no test");
        }
        OffsetDateTime observed =
                time(obr.getObr7_ObservationDateTime().getTime().getValue(), "OBR-7", problems);
        OffsetDateTime issued =
                time(obr.getObr22_ResultsRptStatusChngDateTime().getTime().getValue(), "OBR-22", problems);
        String specimen = specimen(group);
        Report report = id == null || code == null
                ? null
                : new Report(
                        id,
                        code,
                        observed,
                        issued,
                        Hl7v2Fields.reportStatus(obr.getObr25_ResultStatus().getValue())
                                .orElse(null),
                        facility,
                        specimen);
        return new Order(id, report, problems, specimen);
    }

    /** SPM-4, else OBR-15: a table 0070/0487 code in the catalogue's words, else the text as written. */
    private static String specimen(ORU_R01_ORDER_OBSERVATION group) {
        CWE written =
                group.getSPECIMENReps() > 0 ? group.getSPECIMEN(0).getSPM().getSpm4_SpecimenType() : null;
        if (written == null || text(written) == null) {
            written = group.getOBR().getObr15_SpecimenSource().getSpecimenSourceNameOrCode();
        }
        String code = written.getIdentifier().getValue();
        if (!Hl7v2Fields.absent(code) && SPECIMEN_CODES.containsKey(code.strip().toUpperCase(Locale.ROOT))) {
            return SPECIMEN_CODES.get(code.strip().toUpperCase(Locale.ROOT));
        }
        return text(written);
    }

    /** One OBX being read: its problems, and the measurement if it has none. */
    private final class Row {
        private final String facility;
        private final String controlId;
        private final Patient patient;
        private final Order order;
        private final OBX obx;
        private final Set<String> seen;
        private final List<MeasurementProblem> problems = new ArrayList<>();
        private String recordId;

        Row(String facility, String controlId, Patient patient, Order order, OBX obx, Set<String> seen) {
            this.facility = facility;
            this.controlId = controlId;
            this.patient = patient;
            this.order = order;
            this.obx = obx;
            this.seen = seen;
        }

        Optional<Measurement> read() throws HL7Exception {
            CE identifier = obx.getObx3_ObservationIdentifier();
            Optional<Coding> loinc = loinc(identifier);
            Optional<Coding> local = local(identifier);
            String key = local.or(() -> loinc).map(Coding::code).orElse(null);
            String subId = obx.getObx4_ObservationSubID().getValue();
            if (order.id() != null && key != null) {
                recordId = order.id() + "/" + key + (Hl7v2Fields.absent(subId) ? "" : "/" + subId.strip());
            }
            if (key == null) {
                problem("code", "OBX-3 names no observation");
            } else if (recordId != null && !seen.add(recordId)) {
                problem(
                        "recordId",
                        "OBX-3 " + key + " appears twice in order " + order.id() + " without OBX-4 sub-ids");
            }
            if (facility == null) {
                problem("source", "MSH-4 names no sending facility");
            }
            order.problems().forEach(message -> problem("report", message));
            if (patient.problem() != null) {
                problem("patientIdentifier", patient.problem());
            }
            Optional<Value> value = value();
            String unit = unit(obx.getObx6_Units());
            String code = loinc.map(Coding::code).orElse(null);
            if (code == null && key != null && value.isPresent()) {
                code = match(local.or(() -> loinc).orElseThrow(), unit).orElse(null);
            }
            ResultStatus status = status();
            Interpretation interpretation = interpretation();
            List<String> timeProblems = new ArrayList<>();
            OffsetDateTime start =
                    time(obx.getObx14_DateTimeOfTheObservation().getTime().getValue(), "OBX-14", timeProblems);
            timeProblems.forEach(message -> problem("start", message));
            if (start == null && order.report() != null) {
                start = order.report().observed();
            }
            ReferenceRange range = Hl7v2Fields.referenceRange(
                            obx.getObx7_ReferencesRange().getValue(), unit)
                    .orElse(null);
            if (!problems.isEmpty()) {
                return Optional.empty();
            }
            Report report = order.report() == null ? null : withPerformer(order.report());
            return Optional.of(new Measurement(
                    code,
                    local.map(coding -> coding.asSourceCode(facility)).orElse(null),
                    new Measurement.Quantity(value.orElseThrow().number(), unit),
                    start,
                    null,
                    null,
                    null,
                    patient.identifier(),
                    SOURCE_PREFIX + facility,
                    recordId,
                    new Measurement.Lab(value.get().comparator(), range, interpretation, status, report)));
        }

        private Optional<Value> value() throws HL7Exception {
            String type = Objects.toString(obx.getObx2_ValueType().getValue(), "")
                    .strip()
                    .toUpperCase(Locale.ROOT);
            Varies[] values = obx.getObx5_ObservationValue();
            Type data = values.length == 0 ? null : values[0].getData();
            String written = data == null ? null : data.encode();
            if (TEXT_TYPES.contains(type)) {
                problem("value", "OBX-2 " + type + " is a text result; only numeric results (NM, SN) are stored");
                return Optional.empty();
            }
            if (!type.equals("NM") && !type.equals("SN")) {
                problem("value", "OBX-2 '" + type + "' results are not stored; only numeric results (NM, SN) are");
                return Optional.empty();
            }
            if (Hl7v2Fields.absent(written)) {
                problem("value", "OBX-5 holds no value");
                return Optional.empty();
            }
            if (values.length > 1) {
                problem("value", "OBX-5 repeats; a numeric result is one value");
                return Optional.empty();
            }
            if (type.equals("NM")) {
                return number(((ca.uhn.hl7v2.model.Primitive) data).getValue()).map(number -> new Value(number, null));
            }
            SN structured = (SN) data;
            String comparator = structured.getComparator().getValue();
            if (!Hl7v2Fields.absent(structured.getSeparatorSuffix().getValue())
                    || !Hl7v2Fields.absent(structured.getNum2().getValue())) {
                problem("value", "OBX-5 '" + written + "' is a ratio or a range, not one number");
                return Optional.empty();
            }
            String sign = Hl7v2Fields.absent(comparator) ? null : comparator.strip();
            if ("=".equals(sign)) {
                sign = null;
            }
            if (sign != null && !List.of("<", "<=", ">=", ">").contains(sign)) {
                problem("value", "OBX-5 comparator '" + sign + "' is not one of <, <=, >=, >");
                return Optional.empty();
            }
            String comparatorSign = sign;
            return number(structured.getNum1().getValue()).map(number -> new Value(number, comparatorSign));
        }

        private Optional<BigDecimal> number(String written) {
            try {
                return Optional.of(new BigDecimal(Objects.toString(written, "").strip()));
            } catch (NumberFormatException e) {
                problem("value", "OBX-5 '" + written + "' is not a number");
                return Optional.empty();
            }
        }

        /** The analyte for a local code, by its name, the unit and the order's specimen: exactly one, or none. */
        private Optional<String> match(Coding coding, String unit) {
            if (Hl7v2Fields.absent(coding.display())) {
                problem("code", "OBX-3 " + coding.code() + " is not LOINC and has no text to look it up by");
                return Optional.empty();
            }
            AnalyteMatch match = analytes.match(new AnalyteQuery(coding.display(), unit, order.specimen()));
            if (match instanceof AnalyteMatch.Matched matched) {
                return Optional.of(matched.analyte().code());
            }
            AnalyteMatch.NoMatch none = (AnalyteMatch.NoMatch) match;
            problem(
                    "code",
                    "OBX-3 " + coding.code() + " '" + coding.display() + "' is not LOINC and matches no single "
                            + "analyte: " + none.reason()
                            + (none.candidates().isEmpty() ? "" : " (candidates " + none.candidates() + ")"));
            return Optional.empty();
        }

        private ResultStatus status() {
            String written = obx.getObx11_ObservationResultStatus().getValue();
            if (Hl7v2Fields.absent(written)) {
                problem("status", "OBX-11 gives no result status");
                return null;
            }
            Optional<ResultStatus> status = Hl7v2Fields.resultStatus(written);
            if (status.isEmpty()) {
                problem(
                        "status",
                        "OBX-11 '" + written.strip() + "' is not a result to store (F, C, P, R, S are; D, W, X, I "
                                + "and others are not)");
            }
            return status.orElse(null);
        }

        private Interpretation interpretation() {
            String flag = Arrays.stream(obx.getObx8_AbnormalFlags())
                    .map(ca.uhn.hl7v2.model.Primitive::getValue)
                    .filter(value -> !Hl7v2Fields.absent(value))
                    .findFirst()
                    .orElse(null);
            if (flag == null) {
                return null;
            }
            Optional<Interpretation> interpretation = Hl7v2Fields.interpretation(flag);
            if (interpretation.isEmpty()) {
                problem(
                        "interpretation",
                        "OBX-8 flag '" + flag.strip() + "' is not one Vigil stores (H, L, HH, LL, A, AA, N)");
            }
            return interpretation.orElse(null);
        }

        /** The report with the laboratory that performed this result: OBX-23, OBX-15, else MSH-4. */
        private Report withPerformer(Report report) {
            String performer = Optional.ofNullable(
                            Hl7v2Fields.absent(obx.getObx23_PerformingOrganizationName()
                                            .getOrganizationName()
                                            .getValue())
                                    ? null
                                    : obx.getObx23_PerformingOrganizationName()
                                            .getOrganizationName()
                                            .getValue()
                                            .strip())
                    .or(() -> Optional.ofNullable(text(obx.getObx15_ProducerSReference())))
                    .orElse(report.performer());
            return new Report(
                    report.id(),
                    report.code(),
                    report.observed(),
                    report.issued(),
                    report.status(),
                    performer,
                    report.specimen());
        }

        private void problem(String element, String message) {
            String id = recordId != null
                    ? recordId
                    : "message " + controlId + " OBX "
                            + Objects.toString(obx.getObx1_SetIDOBX().getValue(), "?");
            problems.add(new MeasurementProblem(id, element, message));
        }
    }

    /** A numeric value and its comparator ({@code null} when exact). */
    private record Value(BigDecimal number, String comparator) {}

    /** One coding of a CE/CWE: an identifier, its text and the HL7 name of its coding system. */
    private record Coding(String code, String display, String system) {
        SourceCode asSourceCode(String facility) {
            return new SourceCode(localSystem(system, facility), code, display);
        }
    }

    /** OBX-3's LOINC coding, primary or alternate. */
    private static Optional<Coding> loinc(CE identifier) {
        return codings(identifier).stream()
                .filter(coding -> LOINC_SYSTEM_NAME.equalsIgnoreCase(coding.system()))
                .findFirst();
    }

    /** OBX-3's other (local) coding, primary or alternate. */
    private static Optional<Coding> local(CE identifier) {
        return codings(identifier).stream()
                .filter(coding -> !LOINC_SYSTEM_NAME.equalsIgnoreCase(coding.system()))
                .findFirst();
    }

    private static List<Coding> codings(CE ce) {
        List<Coding> codings = new ArrayList<>(2);
        coding(
                        ce.getIdentifier().getValue(),
                        ce.getText().getValue(),
                        ce.getNameOfCodingSystem().getValue())
                .ifPresent(codings::add);
        coding(
                        ce.getAlternateIdentifier().getValue(),
                        ce.getAlternateText().getValue(),
                        ce.getNameOfAlternateCodingSystem().getValue())
                .ifPresent(codings::add);
        return codings;
    }

    private static Optional<Coding> coding(String code, String display, String system) {
        if (Hl7v2Fields.absent(code)) {
            return Optional.empty();
        }
        return Optional.of(new Coding(
                code.strip(),
                Hl7v2Fields.absent(display) ? null : display.strip(),
                Hl7v2Fields.absent(system) ? null : system.strip()));
    }

    /** OBR-4 as a code: its LOINC coding if it has one, else its local one. */
    private static Optional<SourceCode> coded(CE service, String facility) {
        Optional<Coding> loinc = loinc(service);
        if (loinc.isPresent()) {
            return Optional.of(
                    new SourceCode(ObservationMapper.LOINC, loinc.get().code(), display(service)));
        }
        return local(service).map(coding -> coding.asSourceCode(facility));
    }

    private static String display(CE ce) {
        return codings(ce).stream()
                .map(Coding::display)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    /**
     * The FHIR system for an HL7 coding-system name: a URI or OID as it is, anything else (L, 99LAB, none)
     * a local system of the sending facility.
     */
    static String localSystem(String hl7System, String facility) {
        if (hl7System != null && hl7System.contains(":")) {
            return hl7System;
        }
        String name = hl7System == null ? "L" : hl7System;
        return LOCAL_CODE_SYSTEM_BASE + encode(Objects.toString(facility, "unknown")) + "/" + encode(name);
    }

    /** OBX-6: the identifier, unless only the text is a unit ({@code CD:289^mg/dL}); as written otherwise. */
    private String unit(CE written) {
        String identifier = written.getIdentifier().getValue();
        String text = written.getText().getValue();
        if (Hl7v2Fields.absent(identifier)) {
            return Hl7v2Fields.absent(text) ? null : text.strip();
        }
        if (!Hl7v2Fields.absent(text)
                && !units.normalize(identifier).valid()
                && units.normalize(text).valid()) {
            return text.strip();
        }
        return identifier.strip();
    }

    private OffsetDateTime time(String written, String field, List<String> problems) {
        try {
            return Hl7v2Fields.time(written, zone).orElse(null);
        } catch (DateTimeException e) {
            problems.add(field + " " + e.getMessage());
            return null;
        }
    }

    private static String text(HD hd) {
        String namespace = hd.getNamespaceID().getValue();
        if (!Hl7v2Fields.absent(namespace)) {
            return namespace.strip();
        }
        String universal = hd.getUniversalID().getValue();
        return Hl7v2Fields.absent(universal) ? null : universal.strip();
    }

    private static String text(CE ce) {
        return first(ce.getText().getValue(), ce.getIdentifier().getValue());
    }

    private static String text(CWE cwe) {
        return first(cwe.getText().getValue(), cwe.getIdentifier().getValue());
    }

    private static String first(String preferred, String fallback) {
        if (!Hl7v2Fields.absent(preferred)) {
            return preferred.strip();
        }
        return Hl7v2Fields.absent(fallback) ? null : fallback.strip();
    }

    private static String field(Message message, String path) {
        try {
            return new Terser(message).get(path);
        } catch (HL7Exception e) {
            return "?";
        }
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
