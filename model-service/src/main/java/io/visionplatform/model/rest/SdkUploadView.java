package io.visionplatform.model.rest;

/** Where the SDK PUTs the file ({@code application/octet-stream}) and the storage key it reports back. */
public record SdkUploadView(String uploadUrl, String gcsPath, String uploadPath) {
}
