package io.visionplatform.dataset.service;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.visionplatform.dataset.config.DatasetsConfig;

/**
 * Fetches the images an NDJSON upload names by URL. The service would otherwise fetch whatever a user names, so
 * only http(s) is followed, redirects are not, and hosts that resolve to loopback, private or link-local addresses
 * (cloud metadata, internal services) are refused unless configured as trusted.
 */
@ApplicationScoped
public class RemoteImageFetcher {

    private final HttpClient http;
    private final Set<String> trustedHosts;
    private final DatasetsConfig.Remote config;

    public RemoteImageFetcher(DatasetsConfig config) {
        this.config = config.ingest().remote();
        this.trustedHosts = this.config.trustedHosts()
                .orElse(List.of())
                .stream()
                .map(host -> host.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        this.http = HttpClient.newBuilder()
                .connectTimeout(this.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The body of a 200 answer; blocking. */
    public InputStream open(URI url) throws IOException {
        checkAllowed(url);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(config.readTimeout())
                .GET()
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("fetching the image answered HTTP " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching the image", e);
        }
    }

    void checkAllowed(URI url) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("only http and https image URLs are fetched");
        }
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            throw new IOException("the image URL names no host");
        }
        if (trustedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            return;
        }
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (isInternal(address)) {
                throw new IOException("image host " + host + " resolves to an internal address; it is not fetched");
            }
        }
    }

    private static boolean isInternal(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocalV6 = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6;
    }
}
