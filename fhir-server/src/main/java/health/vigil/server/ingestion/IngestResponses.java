package health.vigil.server.ingestion;

import health.vigil.ingestion.api.IngestionPlan;
import health.vigil.ingestion.api.Measurement;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/** The FHIR answers of {@code $ingest}: what was stored or would be, and a report of every rejected record. */
final class IngestResponses {

    private IngestResponses() {}

    /**
     * The answer once stored: the counts, the report, and the transaction response unless the client
     * asked for a minimal answer ({@code Prefer: return=minimal}).
     */
    static Parameters stored(IngestionPlan plan, Bundle transactionResponse, boolean minimal) {
        Parameters answer = counts(plan);
        answer.addParameter().setName("outcome").setResource(plan.report(IssueSeverity.WARNING));
        if (transactionResponse != null && !minimal) {
            answer.addParameter().setName("result").setResource(transactionResponse);
        }
        return answer;
    }

    /** The answer of a dry run: the counts, the report, each measurement read, and the transaction it would post. */
    static Parameters dryRun(IngestionPlan plan) {
        Parameters answer = counts(plan);
        answer.addParameter().setName("outcome").setResource(plan.report(IssueSeverity.ERROR));
        plan.measurements().forEach(measurement -> answer.addParameter(measurement(measurement)));
        if (plan.transaction() != null) {
            answer.addParameter().setName("transaction").setResource(plan.transaction());
        }
        return answer;
    }

    private static Parameters counts(IngestionPlan plan) {
        Parameters answer = new Parameters();
        answer.addParameter("format", new StringType(plan.format().parameterName()));
        answer.addParameter("measurements", new IntegerType(plan.measurements().size()));
        answer.addParameter("observations", new IntegerType(plan.observations()));
        answer.addParameter("rejected", new IntegerType((int) plan.rejected()));
        return answer;
    }

    private static ParametersParameterComponent measurement(Measurement measurement) {
        ParametersParameterComponent part = new ParametersParameterComponent().setName("measurement");
        part.addPart()
                .setName("recordId")
                .setValue(new StringType(measurement.source() + "/" + measurement.recordId()));
        part.addPart().setName("code").setValue(new Coding("http://loinc.org", measurement.code(), null));
        if (measurement.sourceCode() != null) {
            part.addPart()
                    .setName("sourceCode")
                    .setValue(new Coding(
                            measurement.sourceCode().system(),
                            measurement.sourceCode().code(),
                            measurement.sourceCode().display()));
        }
        if (measurement.value() instanceof Measurement.Quantity quantity) {
            part.addPart()
                    .setName("value")
                    .setValue(new Quantity().setValue(quantity.value()).setUnit(quantity.unit()));
        } else {
            for (Measurement.Component component : ((Measurement.Components) measurement.value()).components()) {
                ParametersParameterComponent inner = part.addPart().setName("component");
                inner.addPart().setName("code").setValue(new Coding("http://loinc.org", component.code(), null));
                inner.addPart()
                        .setName("value")
                        .setValue(new Quantity().setValue(component.value()).setUnit(component.unit()));
            }
        }
        part.addPart().setName("start").setValue(dateTime(measurement.start()));
        if (measurement.end() != null) {
            part.addPart().setName("end").setValue(dateTime(measurement.end()));
        }
        if (measurement.device() != null) {
            part.addPart()
                    .setName("device")
                    .setValue(new Identifier()
                            .setSystem(measurement.device().system())
                            .setValue(measurement.device().value()));
        }
        part.addPart().setName("patient").setValue(new Reference("Patient/" + measurement.patientId()));
        return part;
    }

    private static DateTimeType dateTime(java.time.OffsetDateTime time) {
        DateTimeType value = new DateTimeType(Date.from(time.toInstant()));
        value.setTimeZone(TimeZone.getTimeZone(time.getOffset()));
        return value;
    }
}
