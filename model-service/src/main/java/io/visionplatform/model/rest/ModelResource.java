package io.visionplatform.model.rest;

import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.error.PlatformException;
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.common.trash.DeletedView;
import io.visionplatform.model.service.ModelService;
import io.visionplatform.model.service.PredictService;

@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private static final String TASKS = "detect|segment|pose|obb|classify";
    private static final String ARCHITECTURES = "(yolov8|yolo11|yolo26)[nsmlx]\\.yaml";

    private final ModelService models;
    private final PredictService predictions;
    private final CurrentIdentity caller;

    public ModelResource(ModelService models, PredictService predictions, CurrentIdentity caller) {
        this.models = models;
        this.predictions = predictions;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The caller's models, newest first; filter by project and task")
    public Uni<ApiResponse<List<ModelView>>> list(@QueryParam("projectId") String projectId,
            @QueryParam("task") @Pattern(regexp = TASKS, message = "must be one of detect, segment, pose, obb, classify") String task,
            @QueryParam("page") @DefaultValue("1") @Min(1) int page,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        return models.list(caller.accountId(), projectId, task, page, limit);
    }

    @GET
    @Path("/{modelId}")
    @Operation(summary = "One model")
    public Uni<ApiResponse<ModelView>> get(@PathParam("modelId") String modelId) {
        return models.get(caller.accountId(), modelId)
                .map(ApiResponse::of);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @ResponseStatus(201)
    @Operation(summary = "Upload a model (.pt, .onnx or .torchscript in 'file'; task, classes and size are read from "
            + "it), or create an untrained one from an 'architecture' such as yolo11n.yaml")
    public Uni<ApiResponse<ModelView>> create(
            @RestForm("projectId") @NotBlank String projectId,
            @RestForm("name") @NotBlank @Size(max = 100) String name,
            @RestForm("architecture") @Pattern(regexp = ARCHITECTURES, message = "must be yolov8, yolo11 or yolo26 with a scale n/s/m/l/x, e.g. yolo11n.yaml") String architecture,
            @RestForm("file") FileUpload file) {
        if ((file == null) == (architecture == null)) {
            throw PlatformException.invalidField("file", "send either a model 'file' or an 'architecture', not both");
        }
        Uni<ModelView> created = file != null
                ? models.createFromFile(caller.get(), projectId, name, file)
                : models.createUntrained(caller.get(), projectId, name, architecture);
        return created.map(ApiResponse::of);
    }

    @DELETE
    @Path("/{modelId}")
    @Operation(summary = "Move a model to the trash (kept 30 days)")
    public Uni<ApiResponse<DeletedView>> delete(@PathParam("modelId") String modelId) {
        return models.moveToTrash(caller.accountId(), modelId)
                .map(ApiResponse::of);
    }

    @GET
    @Path("/{modelId}/files")
    @Operation(summary = "Signed, expiring URLs of each file of the model")
    public Uni<ApiResponse<List<ModelFileView>>> files(@PathParam("modelId") String modelId) {
        return models.files(caller.accountId(), modelId)
                .map(ApiResponse::of);
    }

    @POST
    @Path("/{modelId}/predict")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Detect objects in an image ('file'); boxes are in the original image's pixels")
    public Uni<PredictResponse> predict(@PathParam("modelId") String modelId,
            @RestForm("file") FileUpload file,
            @RestForm("conf") @DefaultValue("0.25") @DecimalMin("0.0") @DecimalMax("1.0") double conf,
            @RestForm("iou") @DefaultValue("0.7") @DecimalMin("0.0") @DecimalMax("1.0") double iou,
            @RestForm("imgsz") @Min(32) @Max(4096) Integer imgsz) {
        return predictions.predict(caller.accountId(), modelId, file, conf, iou);
    }
}
