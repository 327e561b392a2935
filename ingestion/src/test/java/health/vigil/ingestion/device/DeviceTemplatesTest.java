package health.vigil.ingestion.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import health.vigil.ingestion.api.FeedException;
import health.vigil.ingestion.api.IngestionErrors;
import health.vigil.terminology.api.Terminology;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceTemplatesTest {

    static final Terminology TERMINOLOGY = Terminology.load();
    private static final DeviceTemplates TEMPLATES = new DeviceTemplates(TERMINOLOGY);

    static byte[] acmeTemplates() {
        return Fixtures.bytes("/templates/acme-vitals.json");
    }

    @Test
    void read_exampleFile_givesItsTemplatesInOrder() {
        List<DeviceTemplate> read = TEMPLATES.read("acme-vitals.json", acmeTemplates());

        assertThat(read)
                .extracting(DeviceTemplate::name)
                .containsExactly("acme-heart-rate", "acme-blood-pressure", "acme-steps");
        assertThat(read.get(1).components())
                .extracting(DeviceTemplate.ComponentFields::code)
                .containsExactly("8480-6", "8462-4");
        assertThat(read.get(2).timeFormat()).isEqualTo(DeviceTemplate.TimeFormat.EPOCH_SECONDS);
    }

    @Test
    void read_singleTemplateObject_isAccepted() {
        List<DeviceTemplate> read = TEMPLATES.read(
                "one.json",
                json(
                        """
                {"name": "t", "match": "$.hr", "device": {"system": "urn:x", "id": "$.d"},
                 "time": "$.t", "code": "8867-4", "value": "$.hr", "unit": "/min"}
                """));

        assertThat(read).singleElement().extracting(DeviceTemplate::name).isEqualTo("t");
    }

    @Test
    void read_everyProblem_isNamedWithTemplateAndField() {
        assertThatThrownBy(
                        () -> TEMPLATES.read(
                                "broken.json",
                                json(
                                        """
                {"templates": [
                  {"name": "a", "match": "$[?(@.type == ", "device": {"system": "urn:x", "id": "$.d"},
                   "time": "$.t", "code": "8867-4", "value": "$.v", "unit": "kg", "colour": "red"},
                  {"name": "b", "match": "$.x", "device": {"id": "$.d"}, "time": "$.t",
                   "code": "99999-9", "value": "$.v", "unit": "/min"},
                  {"name": "c", "match": "$.x", "device": {"system": "urn:x", "id": "$.d"}, "time": "$.t",
                   "code": "85354-9", "value": "$.v", "unit": "mm[Hg]", "timeFormat": "unix"},
                  {"name": "d", "match": "$.x", "device": {"system": "urn:x", "id": "$.d"}, "time": "$.t",
                   "code": "85354-9", "components": [{"code": "8480-6", "value": "$.s", "unit": "wobble"}]},
                  {"name": "a", "match": "$.x", "recordId": "$.id", "time": "$.t", "code": "8867-4",
                   "value": "$.v", "unit": "/min"}
                ]}
                """)))
                .isInstanceOf(FeedException.class)
                .satisfies(e -> assertThat(((FeedException) e).error()).isEqualTo(IngestionErrors.INVALID_TEMPLATE))
                .hasMessageStartingWith("VGL-1204: device templates broken.json: ")
                .hasMessageContaining("templates[0] (a).match: '$[?(@.type == ' is not a JSONPath")
                .hasMessageContaining("templates[0] (a).unit: 'kg' is not a unit of Heart rate")
                .hasMessageContaining("templates[0] (a).colour: unknown key")
                .hasMessageContaining("templates[1] (b).device.system: required")
                .hasMessageContaining("templates[1] (b).code: LOINC 99999-9 is not in Vigil's catalogue")
                .hasMessageContaining("templates[2] (c).timeFormat: 'unix' is not iso-8601")
                .hasMessageContaining("templates[2] (c).value: Blood pressure panel")
                .hasMessageContaining("templates[3] (d).components[0].unit: 'wobble' is not a unit")
                .hasMessageContaining("templates[4] (a).name: 'a' is used by an earlier template");
    }

    @Test
    void read_notJson_isRefused() {
        assertThatThrownBy(() -> TEMPLATES.read("x", json("{templates: ")))
                .isInstanceOf(FeedException.class)
                .hasMessageContaining("device templates x: not JSON");
    }

    @Test
    void read_withoutDeviceOrRecordId_isRefused() {
        assertThatThrownBy(
                        () -> TEMPLATES.read(
                                "x",
                                json(
                                        """
                {"name": "t", "match": "$.hr", "time": "$.t", "code": "8867-4", "value": "$.hr", "unit": "/min"}
                """)))
                .hasMessageContaining("recordId: required when the template has no device");
    }

    static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
