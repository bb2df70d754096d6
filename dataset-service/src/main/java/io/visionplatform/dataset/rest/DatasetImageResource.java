package io.visionplatform.dataset.rest;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
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
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.dataset.service.DatasetImageService;
import io.visionplatform.dataset.service.IngestService;

@Path("/api/datasets/{datasetId}")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetImageResource {

    private static final String SPLITS = "train|val|test";
    private static final String SPLIT_MESSAGE = "must be one of train, val, test";

    private final IngestService ingests;
    private final DatasetImageService images;
    private final CurrentIdentity caller;

    public DatasetImageResource(IngestService ingests, DatasetImageService images, CurrentIdentity caller) {
        this.ingests = ingests;
        this.images = images;
        this.caller = caller;
    }

    @POST
    @Path("/images")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @ResponseStatus(202)
    @Operation(summary = "Upload images and labels: a YOLO or COCO zip, an Ultralytics NDJSON file, or images with "
            + "their .txt label files, in the multipart field 'file'; answers with the ingest job")
    public Uni<ApiResponse<IngestJobView>> upload(@PathParam("datasetId") String datasetId,
            @RestForm(FileUpload.ALL) List<FileUpload> files,
            @RestForm("split") @DefaultValue("train") @Pattern(regexp = SPLITS, message = SPLIT_MESSAGE) String split) {
        return ingests.submit(caller.accountId(), datasetId, files, split)
                .map(ApiResponse::of);
    }

    @GET
    @Path("/images")
    @Operation(summary = "The dataset's images with labels and signed image and thumbnail URLs, in upload order")
    public Uni<ApiResponse<List<DatasetImageView>>> list(@PathParam("datasetId") String datasetId,
            @QueryParam("page") @DefaultValue("1") @Min(1) int page,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("split") @Pattern(regexp = SPLITS, message = SPLIT_MESSAGE) String split) {
        return images.list(caller.accountId(), datasetId, split, page, limit);
    }

    @GET
    @Path("/ingests")
    @Operation(summary = "The dataset's ingest jobs, newest first")
    public Uni<ApiResponse<List<IngestJobView>>> jobs(@PathParam("datasetId") String datasetId,
            @QueryParam("page") @DefaultValue("1") @Min(1) int page,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        return ingests.list(caller.accountId(), datasetId, page, limit);
    }

    @GET
    @Path("/ingests/{jobId}")
    @Operation(summary = "One ingest job: state, counts, and each skipped file with its reason")
    public Uni<ApiResponse<IngestJobView>> job(@PathParam("datasetId") String datasetId,
            @PathParam("jobId") String jobId) {
        return ingests.get(caller.accountId(), datasetId, jobId)
                .map(ApiResponse::of);
    }
}
