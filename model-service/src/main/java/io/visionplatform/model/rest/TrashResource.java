package io.visionplatform.model.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.common.trash.EmptiedView;
import io.visionplatform.common.trash.TrashItemView;
import io.visionplatform.model.service.ModelTrashService;

/** The projects-and-models part of the trash; the gateway composes {@code /api/trash} from every owning service. */
@Path("/api/trash")
@Produces(MediaType.APPLICATION_JSON)
public class TrashResource {

    private final ModelTrashService trash;
    private final CurrentIdentity caller;

    public TrashResource(ModelTrashService trash, CurrentIdentity caller) {
        this.trash = trash;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The caller's trashed projects and models, most recently deleted first")
    public Uni<ApiResponse<List<TrashItemView>>> list() {
        return trash.list(caller.accountId())
                .map(ApiResponse::of);
    }

    @POST
    @Path("/restore")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Restore a trashed project (with its models) or model")
    public Uni<ApiResponse<Object>> restore(@Valid @NotNull RestoreRequest request) {
        return trash.restore(caller.accountId(), request.type(), request.itemId())
                .map(ApiResponse::of);
    }

    @POST
    @Path("/empty")
    @Operation(summary = "Delete every trashed project and model for good")
    public Uni<ApiResponse<EmptiedView>> empty() {
        return trash.empty(caller.accountId())
                .map(ApiResponse::of);
    }
}
