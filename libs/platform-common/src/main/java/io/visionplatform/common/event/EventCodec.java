package io.visionplatform.common.event;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON (de)serialisation of {@link PlatformEvent}s with the application's configured ObjectMapper. */
@ApplicationScoped
public class EventCodec {

    private static final Logger LOG = Logger.getLogger(EventCodec.class);

    private final ObjectMapper objectMapper;

    public EventCodec(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public String encode(PlatformEvent event) {
        try {
            return objectMapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event cannot be serialised: " + event.type(), e);
        }
    }

    /**
     * A record that is not a platform event is a poison message: it is logged and skipped (empty) rather
     * than blocking its partition forever.
     */
    public Optional<PlatformEvent> decode(String json) {
        try {
            PlatformEvent event = objectMapper.readValue(json, PlatformEvent.class);
            if (event.id() == null || event.type() == null) {
                LOG.warnf("Skipping a record without event id or type: %.200s", json);
                return Optional.empty();
            }
            return Optional.of(event);
        } catch (JsonProcessingException e) {
            LOG.warnf("Skipping a record that is not a platform event: %s", e.getOriginalMessage());
            return Optional.empty();
        }
    }

    public JsonNode toTree(Object data) {
        return objectMapper.valueToTree(data);
    }
}
