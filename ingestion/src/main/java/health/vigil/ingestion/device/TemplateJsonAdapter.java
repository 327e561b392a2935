package health.vigil.ingestion.device;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.FeedFormat;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.ingestion.api.MeasurementProblem;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads JSON device messages with device templates: a payload is one message (an object) or an array
 * of messages, read one at a time. Each message is read by the first template that {@linkplain
 * DeviceTemplate#matches matches} it; a message no template matches is a problem, not a guess.
 */
final class TemplateJsonAdapter implements FeedAdapter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<DeviceTemplate> templates;

    TemplateJsonAdapter(List<DeviceTemplate> templates) {
        this.templates = List.copyOf(templates);
    }

    @Override
    public FeedFormat format() {
        return FeedFormat.TEMPLATE_JSON;
    }

    @Override
    public void read(InputStream payload, FeedSink sink) throws IOException {
        try (JsonParser parser = JSON.createParser(payload)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                message(parser.readValueAsTree(), "$", sink);
            } else if (first == JsonToken.START_ARRAY) {
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode message = parser.readValueAsTree();
                    message(message, "$[" + index++ + "]", sink);
                }
            } else {
                throw new FeedException(
                        IngestionErrors.MALFORMED_PAYLOAD,
                        "a device message payload is a JSON object or an array of them");
            }
            if (parser.nextToken() != null) {
                throw new FeedException(IngestionErrors.MALFORMED_PAYLOAD, "content after the JSON value");
            }
        } catch (JsonProcessingException e) {
            throw new FeedException(
                    IngestionErrors.MALFORMED_PAYLOAD,
                    "not JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage(),
                    e);
        }
    }

    private void message(JsonNode message, String position, FeedSink sink) {
        if (!message.isObject()) {
            sink.reject(new MeasurementProblem(position, "message", "a device message is a JSON object"));
            return;
        }
        for (DeviceTemplate template : templates) {
            if (template.matches(message)) {
                DeviceTemplate.ReadResult read = template.read(message, position);
                if (read.measurement() != null) {
                    sink.accept(read.measurement());
                } else {
                    read.problems().forEach(sink::reject);
                }
                return;
            }
        }
        sink.reject(new MeasurementProblem(
                position,
                "message",
                templates.isEmpty()
                        ? "no device templates are configured"
                        : "no device template matches the message (templates: "
                                + String.join(
                                        ", ",
                                        templates.stream()
                                                .map(DeviceTemplate::name)
                                                .toList()) + ")"));
    }
}
