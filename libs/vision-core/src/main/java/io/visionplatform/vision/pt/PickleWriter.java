package io.visionplatform.vision.pt;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle protocol 2 writer for the values a PyTorch checkpoint holds, the counterpart of {@link PickleReader}:
 *
 * <table>
 * <caption>Java value → Python value</caption>
 * <tr>
 * <td>{@code null}, {@link Boolean}, {@link Integer}/{@link Long}/{@link Short}/{@link Byte}/{@link BigInteger},
 * {@link Double}/{@link Float}, {@link String}</td>
 * <td>None, bool, int, float, str</td>
 * </tr>
 * <tr>
 * <td>{@link List}, {@link PyTuple}, {@link Map}, {@link PyOrderedDict}, {@link Set}</td>
 * <td>list, tuple, dict, {@code collections.OrderedDict}, set (iteration order kept)</td>
 * </tr>
 * <tr>
 * <td>{@link TensorData}, {@link TorchParameter}</td>
 * <td>a tensor ({@code torch._utils._rebuild_tensor_v2} over a persistent storage id), an {@code nn.Parameter}</td>
 * </tr>
 * <tr>
 * <td>{@link PyObject}</td>
 * <td>an instance ({@code NEWOBJ} + {@code BUILD})</td>
 * </tr>
 * </table>
 *
 * Containers, objects and tensors are memoised by identity, so an instance reachable twice (a module shared by several
 * parents, a tensor used twice) is one object after unpickling, and self-references work. Each distinct
 * {@link TensorData} gets one storage, keyed {@code "0"}, {@code "1"}, ... in order of first use; {@link #storages()}
 * lists them for the archive. A writer is for one {@link #write(Object)}.
 */
public final class PickleWriter {

    /** Items per {@code APPENDS}/{@code SETITEMS} batch, as CPython writes them. */
    private static final int BATCH = 1000;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<Object, Integer> memo = new IdentityHashMap<>();
    private final Map<String, Integer> memoStrings = new HashMap<>();
    private final Map<String, Integer> memoGlobals = new HashMap<>();
    private final Map<TensorData, String> storageKeys = new IdentityHashMap<>();
    private final List<TensorData> storages = new ArrayList<>();
    private int nextMemo;
    private boolean used;

    /** Pickles {@code value} (protocol 2) and returns the stream. */
    public byte[] write(Object value) {
        if (used) {
            throw new IllegalStateException("a PickleWriter writes one value");
        }
        used = true;
        out.write(0x80); // PROTO
        out.write(2);
        value(value);
        out.write('.'); // STOP
        return out.toByteArray();
    }

    /** The tensors' storages in key order: storage {@code i} is the archive entry {@code data/i}. */
    public List<TensorData> storages() {
        return Collections.unmodifiableList(storages);
    }

    private void value(Object v) {
        if (v == null) {
            out.write('N');
        } else if (v instanceof Boolean b) {
            out.write(b ? 0x88 : 0x89);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            integer(((Number) v).longValue());
        } else if (v instanceof BigInteger b) {
            bigInteger(b);
        } else if (v instanceof Double || v instanceof Float) {
            binFloat(((Number) v).doubleValue());
        } else if (v instanceof String s) {
            string(s);
        } else if (memoGet(v)) {
            return;
        } else if (v instanceof PyTuple t) {
            tuple(t);
        } else if (v instanceof List<?> l) {
            list(l);
        } else if (v instanceof Map<?, ?> m) {
            out.write('}'); // EMPTY_DICT
            memoPut(v);
            setItems(m);
        } else if (v instanceof PyOrderedDict d) {
            global("collections", "OrderedDict");
            out.write(')'); // EMPTY_TUPLE
            out.write('R'); // REDUCE
            memoPut(v);
            setItems(d.items());
        } else if (v instanceof Set<?> s) {
            // protocol 2 has no set opcodes: set(list), under the Python 2 name as CPython writes it
            global("__builtin__", "set");
            list(new ArrayList<>(s));
            out.write(0x85); // TUPLE1
            out.write('R');
            memoPut(v);
        } else if (v instanceof PyObject o) {
            global(o.type().module(), o.type().name());
            out.write(')');
            out.write(0x81); // NEWOBJ
            memoPut(v);
            value(o.state());
            out.write('b'); // BUILD
        } else if (v instanceof TensorData t) {
            tensor(t);
            memoPut(v);
        } else if (v instanceof TorchParameter p) {
            // _rebuild_parameter(data, requires_grad, backward_hooks)
            global("torch._utils", "_rebuild_parameter");
            value(p.data());
            out.write(p.requiresGrad() ? 0x88 : 0x89);
            emptyOrderedDict();
            out.write(0x87); // TUPLE3
            out.write('R');
            memoPut(v);
        } else {
            throw new IllegalArgumentException("cannot pickle a " + v.getClass().getName());
        }
    }

    /** {@code _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())}, contiguous. */
    private void tensor(TensorData t) {
        global("torch._utils", "_rebuild_tensor_v2");
        out.write('(');
        String key = storageKeys.get(t);
        if (key == null) {
            key = Integer.toString(storages.size());
            storageKeys.put(t, key);
            storages.add(t);
        }
        // the persistent id ('storage', torch.XStorage, key, location, numel) names the archive entry data/<key>
        out.write('(');
        string("storage");
        global("torch", t.dtype().storageClass());
        string(key);
        string("cpu");
        integer(t.numel());
        out.write('t'); // TUPLE
        out.write('Q'); // BINPERSID
        integer(0);
        long[] shape = t.shape();
        long[] stride = new long[shape.length];
        long step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = step;
            step *= Math.max(shape[i], 1);
        }
        longTuple(shape);
        longTuple(stride);
        out.write(0x89); // requires_grad False: a parameter says its own
        emptyOrderedDict();
        out.write('t');
        out.write('R');
    }

    private void longTuple(long[] values) {
        out.write('(');
        for (long v : values) {
            integer(v);
        }
        out.write('t');
    }

    private void emptyOrderedDict() {
        global("collections", "OrderedDict");
        out.write(')');
        out.write('R');
    }

    private void tuple(PyTuple t) {
        switch (t.size()) {
            case 0 -> out.write(')');
            case 1, 2, 3 -> {
                for (Object item : t) {
                    value(item);
                }
                out.write(0x84 + t.size()); // TUPLE1..TUPLE3
            }
            default -> {
                out.write('(');
                for (Object item : t) {
                    value(item);
                }
                out.write('t');
            }
        }
    }

    private void list(List<?> l) {
        out.write(']'); // EMPTY_LIST
        memoPut(l);
        Iterator<?> it = l.iterator();
        while (it.hasNext()) {
            out.write('(');
            for (int n = 0; n < BATCH && it.hasNext(); n++) {
                value(it.next());
            }
            out.write('e'); // APPENDS
        }
    }

    private void setItems(Map<?, ?> m) {
        Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
        while (it.hasNext()) {
            out.write('(');
            for (int n = 0; n < BATCH && it.hasNext(); n++) {
                Map.Entry<?, ?> e = it.next();
                value(e.getKey());
                value(e.getValue());
            }
            out.write('u'); // SETITEMS
        }
    }

    private void global(String module, String name) {
        String qualified = module + "\n" + name + "\n";
        Integer index = memoGlobals.get(qualified);
        if (index != null) {
            get(index);
            return;
        }
        out.write('c');
        out.writeBytes(qualified.getBytes(StandardCharsets.UTF_8));
        memoGlobals.put(qualified, put());
    }

    private void string(String s) {
        Integer index = memoStrings.get(s);
        if (index != null) {
            get(index);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.write('X'); // BINUNICODE
        le(utf8.length, 4);
        out.writeBytes(utf8);
        memoStrings.put(s, put());
    }

    private void integer(long v) {
        if (v >= 0 && v < 0x100) {
            out.write('K'); // BININT1
            out.write((int) v);
        } else if (v >= 0 && v < 0x10000) {
            out.write('M'); // BININT2
            le(v, 2);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J'); // BININT
            le(v, 4);
        } else {
            bigInteger(BigInteger.valueOf(v));
        }
    }

    /** {@code LONG1}/{@code LONG4}: little-endian two's complement, shortest form. */
    private void bigInteger(BigInteger v) {
        byte[] be = v.toByteArray();
        if (be.length < 0x100) {
            out.write(0x8a);
            out.write(be.length);
        } else {
            out.write(0x8b);
            le(be.length, 4);
        }
        for (int i = be.length - 1; i >= 0; i--) {
            out.write(be[i]);
        }
    }

    private void binFloat(double d) {
        out.write('G'); // BINFLOAT, big-endian
        long bits = Double.doubleToLongBits(d);
        for (int i = 7; i >= 0; i--) {
            out.write((int) (bits >>> (8 * i)));
        }
    }

    private void le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    // ---- memo ----

    private boolean memoGet(Object v) {
        Integer index = memo.get(v);
        if (index == null) {
            return false;
        }
        get(index);
        return true;
    }

    private void memoPut(Object v) {
        memo.put(v, put());
    }

    private int put() {
        int index = nextMemo++;
        if (index < 0x100) {
            out.write('q'); // BINPUT
            out.write(index);
        } else {
            out.write('r'); // LONG_BINPUT
            le(index, 4);
        }
        return index;
    }

    private void get(int index) {
        if (index < 0x100) {
            out.write('h'); // BINGET
            out.write(index);
        } else {
            out.write('j'); // LONG_BINGET
            le(index, 4);
        }
    }
}
