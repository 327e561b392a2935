package health.vigil.server.ingestion;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.IngestionPlan;
import health.vigil.ingestion.api.IngestionRequest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.Parameters;

/**
 * {@code Patient/[id]/$ingest} and {@code $ingest}: a device-feed payload in the request body, in its
 * own content type (JSON device messages, Open mHealth, an Apple Health export, HL7 v2), stored as
 * Observations, Devices, the raw payload and a Provenance in one transaction with ids derived from
 * content, so sending it again changes nothing.
 *
 * <p>Parameters (query): {@code dryRun=true} answers with the measurements and the transaction without
 * writing; {@code partial=true} stores the valid records of a batch with rejected ones (default: a
 * batch with any rejected record stores nothing and answers 422 naming each); {@code format} names the
 * format instead of the content type choosing it; {@code template=Binary/[id]} adds device templates
 * stored as a Binary of type {@value #TEMPLATE_CONTENT_TYPE}.
 */
final class IngestOperationProvider {

    /** The content type a Binary must have to be used as device templates. */
    static final String TEMPLATE_CONTENT_TYPE = "application/vnd.vigil.device-templates+json";

    private static final Pattern BINARY_REFERENCE = Pattern.compile("Binary/([A-Za-z0-9\\-.]{1,64})");

    private final IngestService service;
    private final DaoRegistry daos;
    private final FhirContext fhirContext;

    IngestOperationProvider(IngestService service, DaoRegistry daos, FhirContext fhirContext) {
        this.service = service;
        this.daos = daos;
        this.fhirContext = fhirContext;
    }

    @Operation(name = "$ingest", typeName = "Patient", manualRequest = true)
    public Parameters ingestForPatient(@IdParam IdType patient, RequestDetails request) {
        if (!service.patientExists(patient.getIdPart())) {
            throw new ResourceNotFoundException(patient.toUnqualifiedVersionless());
        }
        return ingest(patient.getIdPart(), request);
    }

    @Operation(name = "$ingest", manualRequest = true)
    public Parameters ingestNamingPatients(RequestDetails request) {
        return ingest(null, request);
    }

    private Parameters ingest(String patientId, RequestDetails request) {
        boolean dryRun = flag(request, "dryRun");
        boolean partial = flag(request, "partial");
        FeedFormat format = single(request, "format")
                .map(name -> FeedFormat.named(name)
                        .orElseThrow(() -> new UnsupportedMediaTypeException(IngestionErrors.UNSUPPORTED_FORMAT.message(
                                "unknown format '" + name + "' (template-json, open-mhealth, apple-health, hl7v2)"))))
                .orElse(null);
        Optional<String> template = single(request, "template");
        byte[] payload = request.loadRequestContents();
        if (payload == null || payload.length == 0) {
            throw new InvalidRequestException(IngestionErrors.INVALID_REQUEST.message("the request has no payload"));
        }
        IngestionRequest ingest = new IngestionRequest(
                payload,
                request.getHeader(Constants.HEADER_CONTENT_TYPE),
                format,
                patientId,
                template.map(this::templates).orElse(null),
                template.orElse(null),
                request.getFhirServerBase());
        IngestionPlan plan;
        try {
            plan = service.plan(ingest);
        } catch (FeedException e) {
            throw IngestionHttpErrors.of(e);
        }
        if (dryRun) {
            return IngestResponses.dryRun(plan);
        }
        if (!plan.complete() && (!partial || plan.transaction() == null)) {
            OperationOutcome report = plan.report(IssueSeverity.ERROR);
            report.addIssue()
                    .setSeverity(IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics(IngestionErrors.INVALID_RECORDS.message(
                            plan.problems().size()
                                    + " problems in the batch, so nothing was stored"
                                    + (partial ? "" : "; send partial=true to store the valid records")));
            throw new UnprocessableEntityException(fhirContext, report);
        }
        return IngestResponses.stored(plan, service.write(plan), minimal(request));
    }

    /** Device templates from a Binary the caller names; only Binaries of the template type are read. */
    private byte[] templates(String reference) {
        var matcher = BINARY_REFERENCE.matcher(reference);
        if (!matcher.matches()) {
            throw new InvalidRequestException(IngestionErrors.INVALID_REQUEST.message(
                    "template must name a stored Binary (Binary/[id]), not '" + reference + "'"));
        }
        Binary binary;
        try {
            binary = daos.getResourceDao(Binary.class)
                    .read(new IdType("Binary", matcher.group(1)), new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            binary = null;
        }
        if (binary == null || !TEMPLATE_CONTENT_TYPE.equals(binary.getContentType())) {
            throw new InvalidRequestException(IngestionErrors.INVALID_TEMPLATE.message(
                    reference + " is not a stored Binary of type " + TEMPLATE_CONTENT_TYPE));
        }
        return binary.getData();
    }

    /** Whether the client asked for the counts and report only ({@code Prefer: return=minimal}). */
    private static boolean minimal(RequestDetails request) {
        String prefer = request.getHeader(Constants.HEADER_PREFER);
        return prefer != null
                && Arrays.stream(prefer.split("[,;]"))
                        .map(token -> token.trim().toLowerCase(Locale.ROOT).replace(" ", ""))
                        .anyMatch("return=minimal"::equals);
    }

    private static boolean flag(RequestDetails request, String name) {
        return single(request, name)
                .map(value -> switch (value.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new InvalidRequestException(IngestionErrors.INVALID_REQUEST.message(
                            name + " must be true or false, not '" + value + "'"));
                })
                .orElse(false);
    }

    private static Optional<String> single(RequestDetails request, String name) {
        String[] values = request.getParameters().get(name);
        if (values == null || values.length == 0) {
            return Optional.empty();
        }
        if (values.length > 1) {
            throw new InvalidRequestException(
                    IngestionErrors.INVALID_REQUEST.message(name + " is given " + values.length + " times"));
        }
        return Optional.of(values[0].trim());
    }
}
