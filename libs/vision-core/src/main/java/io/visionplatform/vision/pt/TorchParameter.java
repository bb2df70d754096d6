package io.visionplatform.vision.pt;

/**
 * An {@code nn.Parameter} for {@link PickleWriter}: the tensor wrapped by {@code torch._utils._rebuild_parameter}. A
 * bare {@link TensorData} is written as a plain tensor (a buffer, or a tensor-valued attribute).
 */
public record TorchParameter(TensorData data, boolean requiresGrad) {
}
