package io.visionplatform.model.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.visionplatform.model.Model;
import io.visionplatform.model.Project;
import io.visionplatform.model.rest.ModelView;
import io.visionplatform.model.rest.ProjectView;

/** Entities → the API's JSON, and the JSON kept in text columns; entities never leave the service. */
@ApplicationScoped
public class ModelMapper {

    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public ModelMapper(ObjectMapper json) {
        this.json = json;
    }

    public ProjectView toView(Project project, long modelCount) {
        return new ProjectView(project.id, project.name, project.slug, project.description, modelCount,
                project.createdAt, project.updatedAt);
    }

    public ModelView toView(Model model) {
        List<String> classNames = classNames(model);
        return new ModelView(model.id, model.name, model.slug, model.projectId, model.task, model.status, classNames,
                classNames.size(), model.imgsz, model.stride, model.end2end, model.format, model.architecture,
                read(model.metrics, OBJECT), model.fileSize, model.createdAt, model.updatedAt);
    }

    public List<String> classNames(Model model) {
        return read(model.classNames, NAMES);
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored model JSON is corrupt", e);
        }
    }
}
