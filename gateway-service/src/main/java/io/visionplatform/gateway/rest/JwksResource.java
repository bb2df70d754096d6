package io.visionplatform.gateway.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.visionplatform.gateway.auth.IdentityTokenIssuer;

/** The public key services use to verify the gateway's internal identity tokens. */
@Path("/.well-known/jwks.json")
public class JwksResource {

    private final IdentityTokenIssuer issuer;

    public JwksResource(IdentityTokenIssuer issuer) {
        this.issuer = issuer;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "JWKS of the internal identity token signing key")
    public String jwks() {
        return issuer.jwks();
    }
}
