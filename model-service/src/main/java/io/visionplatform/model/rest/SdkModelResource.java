package io.visionplatform.model.rest;

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
import io.visionplatform.model.service.ModelService;

/** What the Ultralytics SDK calls for {@code YOLO("ul://{user}/{project}/{model}")}: a redirect to the .pt file. */
@Path("/api/webhooks/models/{user}/{project}/{model}/download")
@Produces(MediaType.APPLICATION_JSON)
public class SdkModelResource {

    private final ModelService models;
    private final CurrentIdentity caller;

    public SdkModelResource(ModelService models, CurrentIdentity caller) {
        this.models = models;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "302 to a signed URL of the model's .pt weights")
    public Uni<Response> download(@PathParam("user") String user, @PathParam("project") String project,
            @PathParam("model") String model) {
        return models.ptDownloadUrl(caller.accountId(), user, project, model)
                .map(url -> Response.status(Response.Status.FOUND)
                        .location(URI.create(url))
                        .build());
    }

    @HEAD
    @Operation(summary = "As GET, for older SDKs")
    public Uni<Response> downloadHead(@PathParam("user") String user, @PathParam("project") String project,
            @PathParam("model") String model) {
        return download(user, project, model);
    }
}
