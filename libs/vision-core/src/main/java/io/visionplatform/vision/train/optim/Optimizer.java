package io.visionplatform.vision.train.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.visionplatform.vision.train.nn.ParameterStore;

/**
 * SGD (Nesterov momentum) or AdamW over Ultralytics' three parameter groups: 0 = convolution weights (with weight
 * decay), 1 = BatchNorm weights, 2 = biases (neither decayed). Updates follow {@code torch.optim.SGD} /
 * {@code torch.optim.AdamW} exactly; gradients are clipped to a total norm of 10 first, as Ultralytics'
 * {@code optimizer_step} does. State lives in the parameter store's manager.
 */
public final class Optimizer {

    /** The algorithm. */
    public enum Kind {
        SGD,
        ADAMW;

        public static Kind parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "sgd" -> SGD;
                case "adamw", "adam" -> ADAMW;
                default -> throw new IllegalArgumentException("unknown optimizer '" + name + "' (SGD, AdamW or auto)");
            };
        }
    }

    private static final double MAX_GRAD_NORM = 10.0;
    private static final double ADAM_BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;

    private final Kind kind;
    private final NDManager base;
    private final double weightDecay;
    private final List<Slot> slots = new ArrayList<>();
    private final double[] lr = new double[3];
    private double momentum;
    private long steps;

    private static final class Slot {
        final String name;
        final NDArray param;
        final int group;
        NDArray first;
        NDArray second;

        Slot(String name, NDArray param, int group) {
            this.name = name;
            this.param = param;
            this.group = group;
        }
    }

    /**
     * @param momentum SGD momentum, or AdamW's beta1
     * @param weightDecay applied to group 0 only
     */
    public Optimizer(Kind kind, ParameterStore store, double momentum, double weightDecay) {
        this.kind = kind;
        this.base = store.manager();
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        for (Map.Entry<String, NDArray> e : store.arrays().entrySet()) {
            ParameterStore.Kind k = store.kind(e.getKey());
            int group = switch (k) {
                case WEIGHT -> 0;
                case NORM_WEIGHT -> 1;
                case BIAS -> 2;
                case BUFFER -> -1;
            };
            if (group >= 0) {
                slots.add(new Slot(e.getKey(), e.getValue(), group));
            }
        }
    }

    public Kind kind() {
        return kind;
    }

    /** Sets the learning rate of a group (0 weights, 1 norm weights, 2 biases). */
    public void learningRate(int group, double value) {
        lr[group] = value;
    }

    public double learningRate(int group) {
        return lr[group];
    }

    /** SGD momentum or AdamW beta1 (Ultralytics' warmup moves it). */
    public void momentum(double value) {
        momentum = value;
    }

    public long steps() {
        return steps;
    }

    /** Clips, applies one update from the accumulated gradients, and zeroes them. Call outside gradient recording. */
    public void step() {
        steps++;
        for (Slot s : slots) {
            if (s.first == null) {
                s.first = base.zeros(s.param.getShape());
                s.second = kind == Kind.ADAMW ? base.zeros(s.param.getShape()) : null;
            }
        }
        // every temporary of this step, including those computed from parameters and state, dies with the scope
        try (NDManager scope = base.newSubManager()) {
            List<NDArray> grads = new ArrayList<>(slots.size());
            double squared = 0;
            for (Slot s : slots) {
                s.param.tempAttach(scope);
                s.first.tempAttach(scope);
                if (s.second != null) {
                    s.second.tempAttach(scope);
                }
                NDArray g = s.param.getGradient();
                g.attach(scope);
                grads.add(g);
                squared += g.square().sum().getFloat();
            }
            double norm = Math.sqrt(squared);
            float clip = norm > MAX_GRAD_NORM ? (float) (MAX_GRAD_NORM / (norm + 1e-6)) : 1f;
            for (int i = 0; i < slots.size(); i++) {
                Slot s = slots.get(i);
                NDArray g = grads.get(i);
                if (clip != 1f) {
                    g.muli(clip);
                }
                if (kind == Kind.SGD) {
                    sgd(s, g);
                } else {
                    adamw(s, g);
                }
                g.muli(0f);
            }
        }
    }

    private void sgd(Slot s, NDArray g) {
        NDArray p = s.param;
        NDArray d = s.group == 0 && weightDecay != 0 ? g.add(p.mul((float) weightDecay)) : g;
        s.first.muli((float) momentum).addi(d);
        // Nesterov: p -= lr * (d + momentum * buf)
        p.subi(d.add(s.first.mul((float) momentum)).mul((float) lr[s.group]));
    }

    private void adamw(Slot s, NDArray g) {
        NDArray p = s.param;
        double rate = lr[s.group];
        if (s.group == 0 && weightDecay != 0) {
            p.muli((float) (1 - rate * weightDecay));
        }
        s.first.muli((float) momentum).addi(g.mul((float) (1 - momentum)));
        s.second.muli((float) ADAM_BETA2).addi(g.square().mul((float) (1 - ADAM_BETA2)));
        double bias1 = 1 - Math.pow(momentum, steps);
        double bias2 = 1 - Math.pow(ADAM_BETA2, steps);
        NDArray denom = s.second.div((float) bias2).sqrt().add((float) ADAM_EPS);
        p.subi(s.first.div(denom).mul((float) (rate / bias1)));
    }
}
