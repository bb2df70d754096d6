package io.visionplatform.common.event;

/** The platform's Kafka topics; each is owned (written) by one service. */
public final class Topics {

    public static final String ACCOUNTS = "platform.accounts";
    public static final String DATASETS = "platform.datasets";
    public static final String MODELS = "platform.models";
    public static final String EXPORTS = "platform.exports";
    public static final String TRAINING = "platform.training";
    public static final String DEPLOYMENTS = "platform.deployments";
    public static final String USAGE = "platform.usage";
    public static final String BILLING = "platform.billing";
    public static final String WEBHOOKS = "platform.webhooks";

    private Topics() {
    }
}
