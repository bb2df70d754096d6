package io.visionplatform.gateway.rest;

/** A just-created account and its first API key (the only time that key's secret is shown). */
public record NewAccountView(AccountView account, ApiKeyView apiKey) {
}
