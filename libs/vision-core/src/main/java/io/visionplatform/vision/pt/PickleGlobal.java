package io.visionplatform.vision.pt;

/**
 * A global named by the pickle ({@code GLOBAL}, {@code STACK_GLOBAL} or {@code INST}) that passed the allow-list: a class
 * kept as a name (e.g. {@code ultralytics.nn.tasks.DetectionModel}), a storage type ({@code torch.HalfStorage}), a dtype
 * ({@code torch.float16}) or one of the emulated functions. Python 2 module names are normalised ({@code __builtin__}
 * becomes {@code builtins}, {@code copy_reg} becomes {@code copyreg}). Nothing is imported.
 */
public record PickleGlobal(String module, String name) {

    /** {@code module.name}. */
    public String qualifiedName() {
        return module + "." + name;
    }

    @Override
    public String toString() {
        return qualifiedName();
    }
}
