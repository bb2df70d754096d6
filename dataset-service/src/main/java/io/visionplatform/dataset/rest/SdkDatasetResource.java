package io.visionplatform.dataset.rest;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.dataset.service.DatasetExportService;

/**
 * What the Ultralytics SDK calls for {@code data="ul://{user}/datasets/{slug}"}: a redirect to the signed NDJSON
 * file, which it downloads without auth. SDKs up to 8.4.113 send HEAD, later ones GET; neither follows the redirect.
 */
@Path("/api/webhooks/datasets/{user}/{slug}/export")
@Produces(MediaType.APPLICATION_JSON)
public class SdkDatasetResource {

    private final DatasetExportService exports;
    private final CurrentIdentity caller;

    public SdkDatasetResource(DatasetExportService exports, CurrentIdentity caller) {
        this.exports = exports;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "302 to the signed NDJSON file of the dataset's current version (409 while processing)")
    public Uni<Response> resolve(@PathParam("user") String user, @PathParam("slug") String slug) {
        return exports.exportBySlug(caller.accountId(), user, slug)
                .map(export -> Response.status(Response.Status.FOUND)
                        .location(URI.create(export.url()))
                        .build());
    }

    @HEAD
    @Operation(summary = "As GET, for SDKs up to 8.4.113")
    public Uni<Response> resolveHead(@PathParam("user") String user, @PathParam("slug") String slug) {
        return resolve(user, slug);
    }
}
