package io.visionplatform.vision.pt;

import java.math.BigInteger;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.StringJoiner;

/**
 * An unpickled Python tuple: an immutable {@link List} (so it compares equal to a list with the same items). A tuple is
 * usable as a dict key or set item only when it is "hashable" in the Python sense (it holds only scalars, globals,
 * objects and hashable tuples) and small: at most {@link #MAX_KEY_WEIGHT} items counting nested tuples' (however the
 * pickle shares sub-tuples) and {@link #MAX_KEY_DEPTH} levels deep, so hashing and comparing it stay cheap and shallow.
 */
public final class PyTuple extends AbstractList<Object> implements RandomAccess {

    /** The largest tuple, counting nested tuples' items, that is accepted as a dict key or set item. */
    public static final int MAX_KEY_WEIGHT = 10_000;
    /** The deepest nesting of tuples accepted in a dict key or set item. */
    public static final int MAX_KEY_DEPTH = 100;

    static final PyTuple EMPTY = new PyTuple(new Object[0]);

    private final Object[] items;
    private final boolean hashable;
    private final long weight;
    private final int depth;
    private int hash;
    private boolean hashed;

    private PyTuple(Object[] items) {
        this.items = items;
        boolean h = true;
        long w = 1;
        int d = 1;
        for (Object o : items) {
            if (o instanceof PyTuple t) {
                h &= t.hashable;
                w += t.weight;
                d = Math.max(d, Math.min(t.depth, MAX_KEY_DEPTH) + 1);
            } else {
                h &= isHashableScalar(o);
                w += 1;
            }
            if (w > MAX_KEY_WEIGHT) {
                h = false;
                w = MAX_KEY_WEIGHT + 1L;
            }
        }
        this.hashable = h && d <= MAX_KEY_DEPTH;
        this.weight = w;
        this.depth = d;
    }

    /** A tuple of these items (copied). */
    public static PyTuple of(Object... items) {
        return items.length == 0 ? EMPTY : new PyTuple(items.clone());
    }

    static PyTuple copyOf(List<Object> items) {
        return items.isEmpty() ? EMPTY : new PyTuple(items.toArray());
    }

    /** Whether this tuple can be a dict key or set item (see the class comment). */
    public boolean isHashable() {
        return hashable;
    }

    /** Whether a value can be a dict key or set item: a scalar, global, object, tensor, or a hashable tuple. */
    static boolean isHashable(Object value) {
        return value instanceof PyTuple t ? t.hashable : isHashableScalar(value);
    }

    private static boolean isHashableScalar(Object o) {
        return o == null || o instanceof String || o instanceof Long || o instanceof BigInteger || o instanceof Double
                || o instanceof Boolean || o instanceof byte[] || o instanceof PickleGlobal || o instanceof PickledObject
                || o instanceof Tensor || o instanceof TorchStorage;
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    @Override
    public int hashCode() {
        if (!hashed) {
            hash = super.hashCode();
            hashed = true;
        }
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof PyTuple t && hashable && t.hashable && hashCode() != t.hashCode()) {
            return false;
        }
        return super.equals(o);
    }

    /** The items, one level deep (nested containers are shown by type and size). */
    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(", ", "(", items.length == 1 ? ",)" : ")");
        for (int i = 0; i < items.length && i < 16; i++) {
            out.add(Describe.brief(items[i]));
        }
        if (items.length > 16) {
            out.add("... " + (items.length - 16) + " more");
        }
        return out.toString();
    }
}
