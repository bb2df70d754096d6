package io.visionplatform.dataset.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.dataset.service.DatasetExportService;

@Path("/api/datasets/{datasetId}")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetExportResource {

    private final DatasetExportService exports;
    private final CurrentIdentity caller;

    public DatasetExportResource(DatasetExportService exports, CurrentIdentity caller) {
        this.exports = exports;
        this.caller = caller;
    }

    @POST
    @Path("/export")
    @Operation(summary = "A signed URL of the dataset in Ultralytics NDJSON format, as a numbered immutable version "
            + "(a new one only when the dataset changed); image URLs inside stay valid 7 days")
    public Uni<ApiResponse<DatasetExportView>> export(@PathParam("datasetId") String datasetId) {
        return exports.export(caller.accountId(), datasetId)
                .map(ApiResponse::of);
    }

    @GET
    @Path("/exports")
    @Operation(summary = "The dataset's versions, newest first (without URLs: POST export signs anew)")
    public Uni<ApiResponse<List<DatasetExportView>>> versions(@PathParam("datasetId") String datasetId) {
        return exports.versions(caller.accountId(), datasetId)
                .map(ApiResponse::of);
    }
}
