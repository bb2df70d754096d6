package io.visionplatform.dataset.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.common.trash.DeletedView;
import io.visionplatform.dataset.service.DatasetService;

@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DatasetResource {

    private final DatasetService datasets;
    private final CurrentIdentity caller;

    public DatasetResource(DatasetService datasets, CurrentIdentity caller) {
        this.datasets = datasets;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The caller's datasets, newest first")
    public Uni<ApiResponse<List<DatasetView>>> list(
            @QueryParam("page") @DefaultValue("1") @Min(1) int page,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
            @QueryParam("task") @Pattern(regexp = "detect|segment|pose|obb|classify", message = "must be one of detect, segment, pose, obb, classify") String task) {
        return datasets.list(caller.accountId(), task, page, limit);
    }

    @GET
    @Path("/{datasetId}")
    @Operation(summary = "One dataset")
    public Uni<ApiResponse<DatasetView>> get(@PathParam("datasetId") String datasetId) {
        return datasets.get(caller.accountId(), datasetId)
                .map(ApiResponse::of);
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "Create an empty dataset; its slug is derived from the name, unique per owner")
    public Uni<ApiResponse<DatasetView>> create(@Valid @NotNull CreateDatasetRequest request) {
        return datasets.create(caller.get(), request)
                .map(ApiResponse::of);
    }

    @DELETE
    @Path("/{datasetId}")
    @Operation(summary = "Move a dataset to the trash (kept 30 days)")
    public Uni<ApiResponse<DeletedView>> delete(@PathParam("datasetId") String datasetId) {
        return datasets.moveToTrash(caller.accountId(), datasetId)
                .map(ApiResponse::of);
    }
}
