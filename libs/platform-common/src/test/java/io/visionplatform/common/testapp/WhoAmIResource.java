package io.visionplatform.common.testapp;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.visionplatform.common.api.ApiResponse;
import io.visionplatform.common.identity.CurrentIdentity;
import io.visionplatform.common.identity.InternalIdentity;

/** Test-only: the one resource under {@code /api/}, so the internal identity filter guards it. */
@Path("/api/test/whoami")
public class WhoAmIResource {

    private final CurrentIdentity caller;

    public WhoAmIResource(CurrentIdentity caller) {
        this.caller = caller;
    }

    @GET
    public ApiResponse<InternalIdentity> whoAmI() {
        return ApiResponse.of(caller.get());
    }
}
