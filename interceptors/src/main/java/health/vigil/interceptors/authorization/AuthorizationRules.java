package health.vigil.interceptors.authorization;

import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.CREATE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.DELETE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.EXTENDED_OPERATION_SERVER;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.EXTENDED_OPERATION_TYPE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.GET_PAGE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.HISTORY_INSTANCE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.HISTORY_SYSTEM;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.HISTORY_TYPE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.META_ADD;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.META_DELETE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.PATCH;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.READ;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.SEARCH_SYSTEM;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.SEARCH_TYPE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.UPDATE;
import static ca.uhn.fhir.rest.api.RestOperationTypeEnum.VREAD;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOp;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleFinished;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import health.vigil.interceptors.authorization.SmartScope.Context;
import health.vigil.interceptors.authorization.SmartScope.Permission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/**
 * Turns a caller's {@link AccessGrants} into HAPI authorization rules, evaluated in order by HAPI's
 * {@code AuthorizationInterceptor}; anything no rule allows is denied. Each permission becomes rules
 * limited to the REST operations it stands for:
 *
 * <table>
 *   <caption>SMART permission to REST operations</caption>
 *   <tr><th>permission</th><th>operations</th></tr>
 *   <tr><td>{@code r}</td><td>read, vread, instance history, the resources an operation returns
 *       ({@code $everything}), resources in a transaction or batch response</td></tr>
 *   <tr><td>{@code s}</td><td>type search (and the resources it includes), paging, type and system
 *       history</td></tr>
 *   <tr><td>{@code c}</td><td>create (also inside transactions)</td></tr>
 *   <tr><td>{@code u}</td><td>update, patch, {@code $meta-add}/{@code $meta-delete}</td></tr>
 *   <tr><td>{@code d}</td><td>delete</td></tr>
 * </table>
 *
 * <p>Patient-compartment reach uses HAPI's compartment rules; patient scopes also read the shared
 * reference data that is in no patient's compartment ({@link #REFERENCE_TYPES}), because every record
 * refers to it. Filters become HAPI filter rules, tested against each resource read or written.
 * Operations: {@code $everything} needs {@code r} and {@code s} on every type ({@code *.rs});
 * {@code $export} needs a {@code system/} scope with {@code r} (on every type, or on the exported
 * {@code _type}s); terminology operations and type-level {@code $validate} (of a resource the client
 * sends) are open to every caller with a resource scope; {@code $ingest} needs {@code c} and {@code u}
 * on Observation, on the patient it reaches; {@code $upload-document} needs {@code c} and {@code u} on
 * DocumentReference and on Observation, on the patient it reaches.
 */
final class AuthorizationRules {

    /** Types in no patient's compartment that patient scopes may still read: who and what a record refers to. */
    static final Set<String> REFERENCE_TYPES = Set.of(
            "Practitioner",
            "PractitionerRole",
            "Organization",
            "Location",
            "HealthcareService",
            "Endpoint",
            "Medication",
            "Substance");

    static final Set<RestOperationTypeEnum> READ_OPERATIONS = EnumSet.of(
            READ,
            VREAD,
            HISTORY_INSTANCE,
            EXTENDED_OPERATION_INSTANCE,
            EXTENDED_OPERATION_TYPE,
            EXTENDED_OPERATION_SERVER);
    static final Set<RestOperationTypeEnum> SEARCH_OPERATIONS =
            EnumSet.of(SEARCH_TYPE, SEARCH_SYSTEM, GET_PAGE, HISTORY_TYPE, HISTORY_SYSTEM);
    static final Set<RestOperationTypeEnum> CREATE_OPERATIONS = EnumSet.of(CREATE);
    static final Set<RestOperationTypeEnum> UPDATE_OPERATIONS = EnumSet.of(UPDATE, PATCH, META_ADD, META_DELETE);
    static final Set<RestOperationTypeEnum> DELETE_OPERATIONS = EnumSet.of(DELETE);

    private static final List<String> TERMINOLOGY_OPERATIONS =
            List.of("$expand", "$lookup", "$validate-code", "$translate", "$subsumes");

    /** HAPI's terminology loader operations (JPA's {@code TerminologyUploaderProvider}). */
    private static final List<String> TERMINOLOGY_UPLOADS =
            List.of("$upload-external-code-system", "$apply-codesystem-delta-add", "$apply-codesystem-delta-remove");

    private static final String INGEST = "$ingest";

    private static final String UPLOAD_DOCUMENT = "$upload-document";
    private static final String UPLOAD_STATUS = "$upload-status";

    private final FhirContext fhirContext;

    /** Rules that are the same for every caller: built once, HAPI's rules hold no per-request state. */
    private final List<IAuthRule> metadataRules;

    private final List<IAuthRule> callerIndependentRules;

    AuthorizationRules(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
        this.metadataRules =
                List.copyOf(new RuleBuilder().allow("metadata").metadata().build());
        List<IAuthRule> common = new ArrayList<>();
        for (String operation : TERMINOLOGY_OPERATIONS) {
            common.addAll(new RuleBuilder()
                    .allow("terminology " + operation)
                    .operation()
                    .named(operation)
                    .atAnyLevel()
                    .andAllowAllResponses()
                    .build());
        }
        // $validate of a resource the client sends: the answer is an OperationOutcome about that body only.
        common.addAll(new RuleBuilder()
                .allow("$validate of a submitted resource")
                .operation()
                .named("$validate")
                .onAnyType()
                .andAllowAllResponses()
                .build());
        // A transaction or batch is allowed as a container; every entry is then judged by the rules above.
        common.addAll(new RuleBuilder()
                .allow("transaction entries by the rules above")
                .transaction()
                .withAnyOperation()
                .andApplyNormalRules()
                .build());
        this.callerIndependentRules = List.copyOf(common);
    }

    /** The rules for a request without a verified caller: only {@code metadata}. */
    List<IAuthRule> anonymousRules() {
        return metadataRules;
    }

    /** The rules for one caller; empty grants give only {@code metadata}. */
    List<IAuthRule> rulesFor(AccessGrants access) {
        if (access.grants().isEmpty()) {
            return metadataRules;
        }
        List<IAuthRule> rules = new ArrayList<>(metadataRules);
        for (Grant grant : access.grants()) {
            rules.addAll(resourceRules(grant));
        }
        rules.addAll(everythingRules(access));
        rules.addAll(exportRules(access));
        rules.addAll(consentEvaluationRules(access));
        rules.addAll(auditVerificationRules(access));
        rules.addAll(terminologyUploadRules(access));
        rules.addAll(ingestRules(access));
        rules.addAll(uploadDocumentRules(access));
        rules.addAll(callerIndependentRules);
        return rules;
    }

    /** Whether a token's patient-compartment reach applies to {@code type} (else reference data or nothing). */
    boolean inPatientCompartment(String type) {
        return type.equals("Patient")
                || !fhirContext
                        .getResourceDefinition(type)
                        .getSearchParamsForCompartmentName("Patient")
                        .isEmpty();
    }

    private List<IAuthRule> resourceRules(Grant grant) {
        List<IAuthRule> rules = new ArrayList<>();
        SmartScope scope = grant.scope();
        String name = scope.text();
        if (grant.reach() instanceof Reach.PatientCompartment compartment) {
            Optional<String> type = scope.resourceType();
            if (type.isEmpty() || inPatientCompartment(type.get())) {
                rules.addAll(permissionRules(grant, name, scope.resourceType(), grant.reach()));
            }
            if (type.isEmpty() || REFERENCE_TYPES.contains(type.get())) {
                Set<String> referenceTypes = type.map(Set::of).orElse(REFERENCE_TYPES);
                for (String referenceType : referenceTypes) {
                    rules.addAll(readAndSearchRules(
                            grant, name + " (reference data)", Optional.of(referenceType), new Reach.AnyResource()));
                }
            }
            return rules;
        }
        return permissionRules(grant, name, scope.resourceType(), grant.reach());
    }

    private List<IAuthRule> permissionRules(Grant grant, String name, Optional<String> type, Reach reach) {
        List<IAuthRule> rules = new ArrayList<>(readAndSearchRules(grant, name, type, reach));
        if (grant.allows(Permission.CREATE)) {
            rules.addAll(
                    scoped(classify(new RuleBuilder().allow(name).create(), grant, type, reach), CREATE_OPERATIONS));
        }
        if (grant.allows(Permission.UPDATE)) {
            rules.addAll(
                    scoped(classify(new RuleBuilder().allow(name).write(), grant, type, reach), UPDATE_OPERATIONS));
            // A PATCH has no body to judge on its way in; the rule above judges the patched resource
            // (before and after) when it is stored.
            rules.addAll(scoped(new RuleBuilder().allow(name).patch().allRequests(), EnumSet.of(PATCH)));
        }
        if (grant.allows(Permission.DELETE)) {
            rules.addAll(
                    scoped(classify(new RuleBuilder().allow(name).delete(), grant, type, reach), DELETE_OPERATIONS));
        }
        return rules;
    }

    private List<IAuthRule> readAndSearchRules(Grant grant, String name, Optional<String> type, Reach reach) {
        List<IAuthRule> rules = new ArrayList<>();
        if (grant.allows(Permission.READ)) {
            rules.addAll(scoped(classify(new RuleBuilder().allow(name).read(), grant, type, reach), READ_OPERATIONS));
        }
        if (grant.allows(Permission.SEARCH)) {
            rules.addAll(scoped(classify(new RuleBuilder().allow(name).read(), grant, type, reach), SEARCH_OPERATIONS));
        }
        return rules;
    }

    private static IAuthRuleFinished classify(
            IAuthRuleBuilderRuleOp operation, Grant grant, Optional<String> type, Reach reach) {
        IAuthRuleBuilderRuleOpClassifier applies =
                type.map(operation::resourcesOfType).orElseGet(operation::allResources);
        String filter = grant.scope().filterQuery();
        if (reach instanceof Reach.PatientCompartment compartment) {
            IdType patient = new IdType("Patient", compartment.patientId());
            return filter.isEmpty()
                    ? applies.inCompartment("Patient", patient)
                    : applies.inCompartmentWithFilter("Patient", patient, filter);
        }
        return filter.isEmpty() ? applies.withAnyId() : applies.withFilter(filter);
    }

    private static List<IAuthRule> scoped(IAuthRuleFinished rule, Set<RestOperationTypeEnum> operations) {
        return rule.build().stream()
                .map(built -> (IAuthRule) new OperationScopedRule(built, operations))
                .toList();
    }

    /** {@code Patient/[id]/$everything}: needs {@code *.rs}; its results are then judged one by one. */
    private static List<IAuthRule> everythingRules(AccessGrants access) {
        Optional<Reach> reach = access.wildcardReach(Permission.READ, Permission.SEARCH);
        if (reach.isEmpty()) {
            return List.of();
        }
        RuleBuilder rules = new RuleBuilder();
        if (reach.get() instanceof Reach.PatientCompartment compartment) {
            rules.allow("$everything on the own patient")
                    .operation()
                    .named("$everything")
                    .onInstance(new IdType("Patient", compartment.patientId()))
                    .andRequireExplicitResponseAuthorization();
        } else {
            rules.allow("$everything on any patient")
                    .operation()
                    .named("$everything")
                    .onInstancesOfType(Patient.class)
                    .andRequireExplicitResponseAuthorization()
                    .andThen()
                    .allow("$everything on all patients")
                    .operation()
                    .named("$everything")
                    .onType(Patient.class)
                    .andRequireExplicitResponseAuthorization();
        }
        return rules.build();
    }

    /**
     * {@code Consent/$evaluate}: needs unfiltered read of Consent (the answer names the Consent and
     * provision that decide). The operation itself confines a caller in a patient context to that
     * patient's resources.
     */
    private static List<IAuthRule> consentEvaluationRules(AccessGrants access) {
        boolean readsConsents = access.grants().stream()
                .anyMatch(grant -> grant.covers("Consent") && grant.allows(Permission.READ) && !grant.isFiltered());
        if (!readsConsents) {
            return List.of();
        }
        return new RuleBuilder()
                .allow("Consent/$evaluate")
                .operation()
                .named("$evaluate")
                .onType(Consent.class)
                .andAllowAllResponses()
                .build();
    }

    /**
     * {@code $verify-audit}: walks the whole trail, so it needs unfiltered read of AuditEvent beyond a
     * single patient ({@code user/AuditEvent.r}, {@code system/AuditEvent.r} or wider).
     */
    private static List<IAuthRule> auditVerificationRules(AccessGrants access) {
        boolean readsWholeTrail = access.grants().stream()
                .anyMatch(grant -> grant.covers("AuditEvent")
                        && grant.allows(Permission.READ)
                        && !grant.isFiltered()
                        && grant.reachesAnyResource());
        if (!readsWholeTrail) {
            return List.of();
        }
        return new RuleBuilder()
                .allow("$verify-audit")
                .operation()
                .named("$verify-audit")
                .onServer()
                .andAllowAllResponses()
                .build();
    }

    /**
     * Loading a code system release ({@code CodeSystem/$upload-external-code-system}) or a delta
     * ({@code $apply-codesystem-delta-add}, {@code -remove}): a backend service that may create and
     * update every CodeSystem ({@code system/CodeSystem.cu} or wider, unfiltered). The upload may name a
     * file on the server's own disk, so nothing less than a system scope is enough.
     */
    private static List<IAuthRule> terminologyUploadRules(AccessGrants access) {
        boolean loadsCodeSystems = access.grants().stream()
                .anyMatch(grant -> grant.scope().context() == Context.SYSTEM
                        && grant.covers("CodeSystem")
                        && grant.allows(Permission.CREATE)
                        && grant.allows(Permission.UPDATE)
                        && !grant.isFiltered());
        if (!loadsCodeSystems) {
            return List.of();
        }
        List<IAuthRule> rules = new ArrayList<>();
        for (String operation : TERMINOLOGY_UPLOADS) {
            rules.addAll(new RuleBuilder()
                    .allow("terminology " + operation)
                    .operation()
                    .named(operation)
                    .onType(CodeSystem.class)
                    .andAllowAllResponses()
                    .build());
        }
        return rules;
    }

    /**
     * Device-feed ingestion ({@code $ingest}): a grant that creates and updates Observations, unfiltered.
     * In a patient context only on that patient ({@code Patient/[id]/$ingest}); a grant reaching any
     * resource also on any patient and at server level, where the records name their patients. The
     * operation itself stores the Devices, raw payload and Provenance that go with the Observations.
     */
    private static List<IAuthRule> ingestRules(AccessGrants access) {
        List<Reach> reaches = unfilteredWriters(access, "Observation");
        RuleBuilder rules = new RuleBuilder();
        onPatients(rules, INGEST, reaches);
        if (reaches.stream().anyMatch(reach -> reach instanceof Reach.AnyResource)) {
            rules.allow("$ingest naming its patients")
                    .operation()
                    .named(INGEST)
                    .onServer()
                    .andAllowAllResponses();
        }
        return rules.build();
    }

    /**
     * Lab-report upload ({@code Patient/[id]/$upload-document}): a grant that creates and updates both
     * DocumentReferences and Observations, unfiltered, reaching the patient: a patient context its own
     * patient, a grant reaching any resource any patient. The operation stores the Binary, the report,
     * the Provenance and the review Task that go with them.
     */
    private static List<IAuthRule> uploadDocumentRules(AccessGrants access) {
        RuleBuilder rules = new RuleBuilder();
        List<Reach> uploaders = unfilteredWriters(access, "Observation", "DocumentReference");
        onPatients(rules, UPLOAD_DOCUMENT, uploaders);
        // Who may upload may ask how the reading of an upload stands.
        onPatients(rules, UPLOAD_STATUS, uploaders);
        return rules.build();
    }

    /** The reach of each grant that creates and updates all these types, unfiltered. */
    private static List<Reach> unfilteredWriters(AccessGrants access, String... types) {
        return access.grants().stream()
                .filter(grant -> Arrays.stream(types).allMatch(grant::covers)
                        && grant.allows(Permission.CREATE)
                        && grant.allows(Permission.UPDATE)
                        && !grant.isFiltered())
                .map(Grant::reach)
                .toList();
    }

    /** A patient-instance operation on any patient for a grant reaching any resource, else on the own. */
    private static void onPatients(RuleBuilder rules, String operation, List<Reach> reaches) {
        if (reaches.stream().anyMatch(reach -> reach instanceof Reach.AnyResource)) {
            rules.allow(operation + " on any patient")
                    .operation()
                    .named(operation)
                    .onInstancesOfType(Patient.class)
                    .andAllowAllResponses();
            return;
        }
        reaches.stream()
                .map(reach -> ((Reach.PatientCompartment) reach).patientId())
                .distinct()
                .forEach(patient -> rules.allow(operation + " on the own patient")
                        .operation()
                        .named(operation)
                        .onInstance(new IdType("Patient", patient))
                        .andAllowAllResponses());
    }

    /**
     * Bulk Data {@code $export} (system, Patient and Group level) for backend services: {@code system/}
     * scopes with {@code r}, unfiltered (an NDJSON file cannot be filtered per scope). With {@code *}
     * any types may be exported; otherwise the request must name its {@code _type}s, all granted.
     */
    private List<IAuthRule> exportRules(AccessGrants access) {
        List<Grant> exportable = access.grants().stream()
                .filter(grant -> grant.scope().context() == Context.SYSTEM)
                .filter(grant -> grant.allows(Permission.READ) && !grant.isFiltered())
                .toList();
        if (exportable.isEmpty()) {
            return List.of();
        }
        boolean anyType = exportable.stream().anyMatch(grant -> grant.scope().coversAllTypes());
        Set<String> types = new LinkedHashSet<>();
        exportable.forEach(grant -> grant.scope().resourceType().ifPresent(types::add));

        // The bulk-export rule first: when the export job is about to start it decides on the requested
        // types; the operation rules below would otherwise allow any export the moment it is asked for.
        RuleBuilder rules = new RuleBuilder();
        if (anyType) {
            rules.allow("bulk export of any type").bulkExport().any();
        } else {
            rules.allow("bulk export of " + types).bulkExport().any().withResourceTypes(types);
        }
        rules.allow("$export on the server")
                .operation()
                .named("$export")
                .onServer()
                .andAllowAllResponses();
        rules.allow("$export on all patients")
                .operation()
                .named("$export")
                .onType(Patient.class)
                .andAllowAllResponses();
        rules.allow("$export on a group")
                .operation()
                .named("$export")
                .onInstancesOfType(Group.class)
                .andAllowAllResponses();
        rules.allow("$export status")
                .operation()
                .named("$export-poll-status")
                .onServer()
                .andAllowAllResponses();
        return rules.build();
    }
}
