package io.visionplatform.model.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.model.service.SdkUploadService;

/** The SDK's checkpoint upload: answers bare JSON (no envelope), as the SDK reads {@code uploadUrl} at the top. */
@Path("/api/webhooks/models/upload")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SdkUploadResource {

    private final SdkUploadService uploads;
    private final CurrentIdentity caller;

    public SdkUploadResource(SdkUploadService uploads, CurrentIdentity caller) {
        this.uploads = uploads;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "A presigned PUT URL for a model file; the file is attached to the model once it arrives")
    public Uni<SdkUploadView> start(@Valid @NotNull SdkUploadRequest request) {
        return uploads.start(caller.get(), request);
    }
}
