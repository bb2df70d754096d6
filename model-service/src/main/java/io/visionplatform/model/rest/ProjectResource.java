package io.visionplatform.model.rest;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import io.visionplatform.model.service.ProjectService;

@Path("/api/projects")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {

    private final ProjectService projects;
    private final CurrentIdentity caller;

    public ProjectResource(ProjectService projects, CurrentIdentity caller) {
        this.projects = projects;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The caller's projects, newest first")
    public Uni<ApiResponse<List<ProjectView>>> list(@QueryParam("page") @DefaultValue("1") @Min(1) int page,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        return projects.list(caller.accountId(), page, limit);
    }

    @GET
    @Path("/{projectId}")
    @Operation(summary = "One project")
    public Uni<ApiResponse<ProjectView>> get(@PathParam("projectId") String projectId) {
        return projects.get(caller.accountId(), projectId)
                .map(ApiResponse::of);
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "Create a project; its slug is derived from the name, unique per owner")
    public Uni<ApiResponse<ProjectView>> create(@Valid @NotNull CreateProjectRequest request) {
        return projects.create(caller.get(), request)
                .map(ApiResponse::of);
    }

    @DELETE
    @Path("/{projectId}")
    @Operation(summary = "Move a project and its models to the trash (kept 30 days)")
    public Uni<ApiResponse<DeletedView>> delete(@PathParam("projectId") String projectId) {
        return projects.moveToTrash(caller.accountId(), projectId)
                .map(ApiResponse::of);
    }
}
