package io.visionplatform.common.storage;

/**
 * An object in the service's bucket.
 *
 * @param key the object's key within the bucket
 * @param size its length in bytes
 * @param etag the store's entity tag, without surrounding quotes (for single-part uploads usually the hex MD5 of
 *        the content; for multipart uploads not a content hash)
 * @param contentType its {@code Content-Type}
 */
public record StoredObject(String key, long size, String etag, String contentType) {
}
