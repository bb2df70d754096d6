package io.visionplatform.common.error;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.visionplatform.common.http.RequestIds;

/**
 * The one place where exceptions become the contract's error envelope, for every service. Resources throw
 * {@link PlatformException} (or let validation and JSON parsing fail) and never build error bodies.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response platform(PlatformException exception, HttpHeaders headers) {
        Response response = respond(exception.status(), exception.code(), exception.getMessage(), exception.details(),
                headers);
        exception.retryAfterSeconds()
                .ifPresent(seconds -> response.getHeaders().putSingle("Retry-After", seconds.toString()));
        return response;
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException exception, HttpHeaders headers) {
        Map<String, String> fields = exception.getConstraintViolations()
                .stream()
                .collect(Collectors.groupingBy(ErrorMappers::fieldName, LinkedHashMap::new,
                        Collectors.mapping(ConstraintViolation::getMessage, Collectors.joining("; "))));
        return respond(400, ErrorCode.VALIDATION_ERROR, "Invalid request: " + summary(fields),
                Map.of("fields", fields), headers);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException exception, HttpHeaders headers) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (exception.getLocation() != null) {
            details.put("line", exception.getLocation().getLineNr());
            details.put("column", exception.getLocation().getColumnNr());
        }
        if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            details.put("field", jsonPath(mapping.getPath()));
        }
        return respond(400, ErrorCode.VALIDATION_ERROR, "Request body is not valid JSON for this endpoint: "
                + exception.getOriginalMessage(), details, headers);
    }

    /** More specific than Jackson's parent type, so it outranks the built-in mapper Quarkus ships for it. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException exception, HttpHeaders headers) {
        return unreadableJson(exception, headers);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception, HttpHeaders headers) {
        if (exception.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable, headers);
        }
        int status = exception.getResponse().getStatus();
        Map<String, Object> details = new LinkedHashMap<>();
        if (exception instanceof NotAllowedException) {
            details.put("allowed", exception.getResponse().getAllowedMethods());
        }
        String message = switch (status) {
            case 404 -> "Resource not found";
            case 405 -> "Method not allowed on this path";
            case 406 -> "This endpoint cannot produce the requested media type";
            case 413 -> "Request body is larger than this endpoint accepts";
            case 415 -> "Unsupported content type";
            default -> exception.getMessage();
        };
        if (status >= 500) {
            LOG.error("Server error in a resource", exception);
            message = "Internal server error";
        }
        return respond(status, ErrorCode.forStatus(status), message, details, headers);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception exception, HttpHeaders headers) {
        LOG.errorf(exception, "Unhandled exception (request %s)", headers.getHeaderString(RequestIds.HEADER));
        return respond(500, ErrorCode.INTERNAL_ERROR, "Internal server error", Map.of(), headers);
    }

    private static Response respond(int status, ErrorCode code, String message, Map<String, Object> details,
            HttpHeaders headers) {
        String requestId = headers.getHeaderString(RequestIds.HEADER);
        ErrorResponse body = ErrorResponse.of(code, message, details.isEmpty() ? null : details, requestId);
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body)
                .build();
    }

    /**
     * {@code create.request.name} → {@code name}; {@code list.limit} → {@code limit}: the client knows fields
     * and query parameters, not our method names.
     */
    static String fieldName(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getName() != null) {
                names.add(node.getIndex() != null ? node.getName() + "[" + node.getIndex() + "]" : node.getName());
            }
        }
        if (!names.isEmpty()) {
            return String.join(".", names);
        }
        return parameter != null ? parameter : violation.getPropertyPath().toString();
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String summary(Map<String, String> fields) {
        return fields.entrySet()
                .stream()
                .map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
    }
}
