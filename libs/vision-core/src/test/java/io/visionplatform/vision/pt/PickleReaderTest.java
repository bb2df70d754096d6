package io.visionplatform.vision.pt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PickleReaderTest {

    private static final Duration QUICK = Duration.ofSeconds(2);

    @TempDir
    Path tmp;

    private static Object read(byte[] pickle) throws CheckpointException {
        return new PickleReader().read(pickle);
    }

    private static Object read(PickleBytes pickle) throws CheckpointException {
        return read(pickle.bytes());
    }

    private static PickleReader.Limits limits(int stringBytes, int memo, int stack, int container) {
        return new PickleReader.Limits(1 << 20, stringBytes, memo, stack, container);
    }

    // ---- values ----

    @Test
    void readsProtocol2ScalarsAndContainers() throws Exception {
        PickleBytes p = PickleBytes.proto2().emptyDict().put(0).mark()
                .str("int").int4(-5)
                .str("small").int1(200)
                .str("short").op('M', 0x34, 0x12)
                .str("big").op(0x8a, 9).raw(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 1 })
                .str("neg").op(0x8a, 1, 0xff)
                .str("float").binfloat(-1.25)
                .str("text").str("é✓")
                .str("short text").op(0x8c, 2).ascii("ok")
                .str("bytes").op('C', 2, 0, 0xff)
                .str("none").none()
                .str("flags").bool(true).bool(false).tuple2()
                .str("list").emptyList().put(1).mark().int1(1).int1(2).appends().int1(3).append()
                .str("tuple").mark().int1(1).int1(2).int1(3).int1(4).tuple()
                .str("shared").get(1)
                .setitems().stop();
        Object value = read(p);

        assertThat(value).isInstanceOf(Map.class);
        Map<?, ?> d = (Map<?, ?>) value;
        assertThat(new ArrayList<Object>(d.keySet())).containsExactly("int", "small", "short", "big", "neg", "float", "text",
                "short text",
                "bytes", "none", "flags", "list", "tuple", "shared");
        assertThat(d.get("int")).isEqualTo(-5L);
        assertThat(d.get("small")).isEqualTo(200L);
        assertThat(d.get("short")).isEqualTo(0x1234L);
        assertThat(d.get("big")).isEqualTo(BigInteger.ONE.shiftLeft(64));
        assertThat(d.get("neg")).isEqualTo(-1L);
        assertThat(d.get("float")).isEqualTo(-1.25);
        assertThat(d.get("text")).isEqualTo("é✓");
        assertThat(d.get("short text")).isEqualTo("ok");
        assertThat((byte[]) d.get("bytes")).containsExactly(0, 0xff);
        assertThat(d.containsKey("none")).isTrue();
        assertThat(d.get("none")).isNull();
        assertThat(d.get("flags")).isEqualTo(List.of(true, false)).isInstanceOf(PyTuple.class);
        assertThat(d.get("list")).isEqualTo(List.of(1L, 2L, 3L)).isInstanceOf(ArrayList.class);
        assertThat(d.get("tuple")).isEqualTo(List.of(1L, 2L, 3L, 4L));
        assertThat(d.get("shared")).isSameAs(d.get("list"));
    }

    @Test
    void readsProtocol0TextOpcodes() throws Exception {
        // CPython: pickle.dumps([1, -7, 2.5, 'ab\n\u00e9', None, True, False, {'k': (1,), 'j': [3]}, 10**30,
        // -(10**30), float('inf')], protocol=0)
        byte[] p0 = ("(lp0\nI1\naI-7\naF2.5\naVab\\u000a\u00e9\np1\naNaI01\naI00\na(dp2\nVk\np3\n(I1\ntp4\nsVj\np5\n"
                + "(lp6\nI3\nasaL1000000000000000000000000000000L\naL-1000000000000000000000000000000L\naFinf\na.")
                .getBytes(StandardCharsets.ISO_8859_1);
        List<?> list = (List<?>) read(p0);
        assertThat(list).hasSize(11);
        assertThat(new ArrayList<Object>(list.subList(0, 7))).containsExactly(1L, -7L, 2.5, "ab\n\u00e9", null, true, false);
        assertThat(list.get(7)).isEqualTo(Map.of("k", List.of(1L), "j", List.of(3L)));
        assertThat(list.get(8)).isEqualTo(BigInteger.TEN.pow(30));
        assertThat(list.get(9)).isEqualTo(BigInteger.TEN.pow(30).negate());
        assertThat(list.get(10)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void readsProtocol0QuotedStrings() throws Exception {
        byte[] p = "S'a\\'b\\n\\x41\\101'\np0\n.".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(read(p)).isEqualTo("a'b\nAA");
    }

    @Test
    void readsProtocol4FramesSetsAndStackGlobal() throws Exception {
        // CPython: pickle.dumps(OrderedDict([('x', {1, 2}), ('y', frozenset(['a'])), ('z', b'\x00\xff'),
        // ('w', 'long' * 70), ('u', 2**40)]), protocol=4)
        byte[] p4 = PickleBytes.hex("80049572010000000000008c0b636f6c6c656374696f6e73948c0b4f7264657265644469637494"
                + "9394295294288c0178948f94284b014b02908c017994288c01619491948c017a94430200ff948c01779458180100"
                + "00" + "6c6f6e67".repeat(70) + "948c0175948a06000000000001752e");
        Map<?, ?> d = (Map<?, ?>) read(p4);
        assertThat(new ArrayList<Object>(d.keySet())).containsExactly("x", "y", "z", "w", "u");
        assertThat(d.get("x")).isEqualTo(Set.of(1L, 2L));
        assertThat(d.get("y")).isEqualTo(Set.of("a"));
        assertThat((byte[]) d.get("z")).containsExactly(0, 0xff);
        assertThat(d.get("w")).isEqualTo("long".repeat(70));
        assertThat(d.get("u")).isEqualTo(1L << 40);
    }

    @Test
    void emulatesCodecsEncodeForProtocol2Bytes() throws Exception {
        // CPython: pickle.dumps([b'\x00\xffab'], protocol=2)
        byte[] p = ("\u0080\u0002]q\u0000c_codecs\nencode\nq\u0001X\u0005\u0000\u0000\u0000\u0000\u00c3\u00bfabq\u0002"
                + "X\u0006\u0000\u0000\u0000latin1q\u0003\u0086q\u0004Rq\u0005a.").getBytes(StandardCharsets.ISO_8859_1);
        List<?> list = (List<?>) read(p);
        assertThat((byte[]) list.get(0)).containsExactly(0, 0xff, 'a', 'b');
    }

    @Test
    void decodesNumpyScalars() throws Exception {
        // numpy.core.multiarray.scalar(numpy.dtype('f8', False, True) + BUILD state, 8 bytes)
        byte[] half = new byte[8];
        long bits = Double.doubleToLongBits(0.8185);
        for (int i = 0; i < 8; i++) {
            half[i] = (byte) (bits >>> (8 * i));
        }
        PickleBytes p = PickleBytes.proto2().global("numpy.core.multiarray", "scalar")
                .global("numpy", "dtype").str("f8").bool(false).bool(true).tuple3().reduce()
                .mark().int1(3).str("<").none().none().none().int4(-1).int4(-1).int1(0).tuple().build()
                .op('C', 8).raw(half).tuple2().reduce().stop();
        assertThat(read(p)).isEqualTo(0.8185);
    }

    @Test
    void keepsAllowedClassesAsDataWithoutCallingThem() throws Exception {
        PickleBytes p = PickleBytes.proto2()
                .global("ultralytics.nn.tasks", "DetectionModel").emptyTuple().newobj()
                .emptyDict().str("nc").int1(4).setitem()
                .str("device").global("torch", "device").str("cpu").tuple1().reduce().setitem()
                .build().stop();
        Object value = read(p);
        assertThat(value).isInstanceOf(PickledObject.class);
        PickledObject model = (PickledObject) value;
        assertThat(model.className()).isEqualTo("ultralytics.nn.tasks.DetectionModel");
        assertThat(model.attribute("nc")).isEqualTo(4L);
        PickledObject device = (PickledObject) model.attribute("device");
        assertThat(device.className()).isEqualTo("torch.device");
        assertThat(device.args()).containsExactly("cpu");
        assertThat(model.toString()).isEqualTo("PickledObject[ultralytics.nn.tasks.DetectionModel]");
    }

    @Test
    void slotStatePairsAndReconstructorWork() throws Exception {
        PickleBytes p = PickleBytes.proto2()
                .global("copy_reg", "_reconstructor").global("ultralytics.utils", "IterableSimpleNamespace")
                .global("__builtin__", "object").none().tuple3().reduce()
                .none().emptyDict().str("task").str("detect").setitem().tuple2().build().stop();
        PickledObject ns = (PickledObject) read(p);
        assertThat(ns.className()).isEqualTo("ultralytics.utils.IterableSimpleNamespace");
        assertThat(ns.attributes()).isEqualTo(Map.of("task", "detect"));
    }

    @Test
    void sharedAndSelfReferencingContainersAreRead() throws Exception {
        // l = []; l.append(l)
        List<?> list = (List<?>) read(PickleBytes.proto2().emptyList().put(0).get(0).append().stop());
        assertThat(list.get(0)).isSameAs(list);
    }

    @Test
    void rebuildsTensorsThroughThePersistentLoader() throws Exception {
        byte[] storageBytes = new byte[6 * 4];
        java.nio.ByteBuffer.wrap(storageBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .put(new float[] { 0, 1, 2, 3, 4, 5 });
        PickleReader.PersistentLoader loader = pid -> {
            List<?> t = (List<?>) pid;
            return TorchStorage.of((String) t.get(2), DType.FLOAT32, (String) t.get(3), (Long) t.get(4),
                    ByteOrder.LITTLE_ENDIAN, s -> storageBytes.clone());
        };
        // _rebuild_parameter(_rebuild_tensor_v2(storage, 0, (3, 2), (1, 3), False, OrderedDict()), True, OrderedDict())
        PickleBytes p = PickleBytes.proto2().parameterStart()
                .tensor("FloatStorage", "0", 6, 0, new long[] { 3, 2 }, new long[] { 1, 3 })
                .parameterEnd(true).stop();
        Tensor t = (Tensor) new PickleReader(PickleReader.Limits.defaults(), loader).read(p.bytes());
        assertThat(t.isParameter()).isTrue();
        assertThat(t.requiresGrad()).isTrue();
        assertThat(t.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(t.shape()).containsExactly(3, 2);
        assertThat(t.stride()).containsExactly(1, 3);
        assertThat(t.isContiguous()).isFalse();
        assertThat(t.toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);

        // the same view needs 6 elements: a storage of 5 is refused when the tensor is built
        PickleBytes tooShort = PickleBytes.proto2()
                .tensor("FloatStorage", "0", 5, 0, new long[] { 3, 2 }, new long[] { 1, 3 }).stop();
        assertThatThrownBy(() -> new PickleReader(PickleReader.Limits.defaults(), loader).read(tooShort.bytes()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("out of range");
    }

    @Test
    void rebuildFromTypeV2AcceptsOnlyRebuildFunctions() throws Exception {
        PickleReader.PersistentLoader loader = pid -> TorchStorage.of("0", DType.FLOAT16, "cpu", 4,
                ByteOrder.LITTLE_ENDIAN, s -> new byte[8]);
        // _rebuild_from_type_v2(_rebuild_tensor_v2, Parameter, (storage, 0, (4,), (1,), False, OrderedDict()), {})
        PickleBytes good = PickleBytes.proto2().global("torch._tensor", "_rebuild_from_type_v2").mark()
                .global("torch._utils", "_rebuild_tensor_v2").global("torch.nn.parameter", "Parameter")
                .mark().mark().str("storage").global("torch", "HalfStorage").str("0").str("cpu").int1(4).tuple()
                .persid().int1(0).mark().int1(4).tuple().mark().int1(1).tuple().bool(false).orderedDict().tuple()
                .emptyDict().tuple().reduce().stop();
        Tensor t = (Tensor) new PickleReader(PickleReader.Limits.defaults(), loader).read(good.bytes());
        assertThat(t.isParameter()).isTrue();
        assertThat(t.shape()).containsExactly(4);
        assertThat(t.toFloatArray()).containsExactly(0, 0, 0, 0);

        PickleBytes bad = PickleBytes.proto2().global("torch._tensor", "_rebuild_from_type_v2").mark()
                .global("collections", "OrderedDict").global("torch", "Tensor").emptyTuple().emptyDict().tuple()
                .reduce().stop();
        assertThatThrownBy(() -> read(bad)).isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("tensor rebuild function");
    }

    // ---- refused globals and calls ----

    @ParameterizedTest
    @CsvSource({
            "os, system",
            "posix, system",
            "nt, system",
            "builtins, eval",
            "builtins, exec",
            "builtins, getattr",
            "builtins, __import__",
            "__builtin__, eval",
            "__builtin__, getattr",
            "subprocess, Popen",
            "subprocess, check_output",
            "importlib, import_module",
            "pickle, loads",
            "shutil, rmtree",
            "torch, load",
            "torch.serialization, load",
            "torch.nn.functional, relu",
            "ultralytics.utils.checks, check_requirements",
            "ultralytics.nn.tasks, torch_safe_load",
            "numpy, load",
            "webbrowser, open",
            "numpy.core.multiarray, _reconstruct",
    })
    void refusesGlobalsOffTheAllowList(String module, String name) {
        Path canary = tmp.resolve("canary-" + module + "-" + name);
        byte[] pickle = PickleBytes.proto2().global(module, name).str("touch " + canary).tuple1().reduce().stop()
                .bytes();
        assertThatThrownBy(() -> read(pickle)).isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("refused global '" + module + "." + name + "'");
        assertThat(canary).doesNotExist();
        assertThat(PickleReader.isAllowed(module, name)).isFalse();
    }

    @Test
    void refusesOsSystemWithoutRunningIt() throws Exception {
        Path canary = tmp.resolve("pwned");
        byte[] pickle = PickleBytes.proto2().global("os", "system").str("touch " + canary).tuple1().reduce().stop()
                .bytes();
        assertThatThrownBy(() -> read(pickle)).isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("os.system");
        // the same payload as a CPython protocol 0 pickle (cos\nsystem\n(S'...'\ntR.)
        byte[] p0 = ("cos\nsystem\n(S'touch " + canary + "'\ntR.").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> read(p0)).isInstanceOf(UnsafePickleException.class).hasMessageContaining("os.system");
        // INST and STACK_GLOBAL spellings
        byte[] inst = ("(S'touch " + canary + "'\nios\nsystem\n.").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> read(inst)).isInstanceOf(UnsafePickleException.class).hasMessageContaining("os.system");
        byte[] stackGlobal = new PickleBytes().op(0x80, 4).op(0x8c, 8).ascii("builtins").op(0x8c, 4).ascii("eval")
                .op(0x93).str("__import__('os').system('touch " + canary + "')").tuple1().reduce().stop().bytes();
        assertThatThrownBy(() -> read(stackGlobal)).isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("builtins.eval");
        assertThat(canary).doesNotExist();
    }

    @Test
    void refusesCallsOfValuesAndNonGlobals() {
        assertThatThrownBy(() -> read(PickleBytes.proto2().global("torch", "float16").emptyTuple().reduce().stop()))
                .isInstanceOf(UnsafePickleException.class).hasMessageContaining("torch.float16");
        assertThatThrownBy(() -> read(PickleBytes.proto2().global("torch", "HalfStorage").emptyTuple().newobj().stop()))
                .isInstanceOf(UnsafePickleException.class).hasMessageContaining("torch.HalfStorage");
        assertThatThrownBy(() -> read(PickleBytes.proto2().str("os.system").emptyTuple().reduce().stop()))
                .isInstanceOf(UnsafePickleException.class).hasMessageContaining("str");
        assertThatThrownBy(() -> read(PickleBytes.proto2().global("torch._utils", "_rebuild_tensor_v2").emptyTuple()
                .newobj().stop())).isInstanceOf(UnsafePickleException.class);
        assertThatThrownBy(() -> read(PickleBytes.proto2().global("copyreg", "_reconstructor")
                .global("torch", "float16").global("builtins", "object").none().tuple3().reduce().stop()))
                .isInstanceOf(UnsafePickleException.class);
        assertThatThrownBy(() -> read(PickleBytes.proto2().global("_codecs", "encode").str("x").str("rot13").tuple2()
                .reduce().stop())).isInstanceOf(UnsafePickleException.class);
        assertThatThrownBy(() -> read(PickleBytes.proto2().op(0x82, 1).stop()))
                .isInstanceOf(UnsafePickleException.class).hasMessageContaining("extension registry");
    }

    @Test
    void allowListCoversTorchAndUltralyticsNames() {
        assertThat(PickleReader.isAllowed("torch._utils", "_rebuild_tensor_v2")).isTrue();
        assertThat(PickleReader.isAllowed("torch._utils", "_rebuild_parameter")).isTrue();
        assertThat(PickleReader.isAllowed("torch", "HalfStorage")).isTrue();
        assertThat(PickleReader.isAllowed("torch", "float16")).isTrue();
        assertThat(PickleReader.isAllowed("torch", "Size")).isTrue();
        assertThat(PickleReader.isAllowed("collections", "OrderedDict")).isTrue();
        assertThat(PickleReader.isAllowed("__builtin__", "set")).isTrue();
        assertThat(PickleReader.isAllowed("torch.nn.modules.conv", "Conv2d")).isTrue();
        assertThat(PickleReader.isAllowed("ultralytics.nn.modules.block", "C2f")).isTrue();
        assertThat(PickleReader.isAllowed("torch._utils", "_rebuild_device_tensor_from_numpy")).isFalse();
        assertThat(PickleReader.isAllowed("ultralytics.nn.modules.block", "C2f.__init__")).isFalse();
        assertThat(PickleReader.isAllowed("ultralytics..x", "Y")).isFalse();
        assertThat(PickleReader.isAllowed("collections", "namedtuple")).isFalse();
    }

    // ---- malformed streams ----

    @Test
    void unknownOpcodeIsRefused() {
        assertThatThrownBy(() -> read(PickleBytes.proto2().op(0xff).stop())).isInstanceOf(PickleException.class)
                .hasMessageContaining("offset 2: unknown opcode 0xff");
        assertThatThrownBy(() -> read(new PickleBytes().op(0x80, 6).none().stop())).isInstanceOf(PickleException.class)
                .hasMessageContaining("protocol 6");
    }

    @Test
    void everyTruncationFailsCleanly() {
        byte[] full = PickleBytes.proto2().emptyDict().put(0).mark().str("a").int4(7).str("b").binfloat(0.5)
                .str("c").mark().int1(1).str("x").tuple().str("d").op(0x8a, 2, 1, 1)
                .setitems().stop().bytes();
        assertTimeoutPreemptively(QUICK, () -> {
            for (int n = 0; n < full.length; n++) {
                byte[] cut = Arrays.copyOf(full, n);
                assertThatThrownBy(() -> read(cut)).as("prefix of %d bytes", cut.length)
                        .isExactlyInstanceOf(PickleException.class);
            }
        });
        assertThatThrownBy(() -> read(new byte[0])).hasMessageContaining("truncated");
    }

    @Test
    void stackMisuseIsRefused() {
        assertThatThrownBy(() -> read(PickleBytes.proto2().stop())).isInstanceOf(PickleException.class)
                .hasMessageContaining("stack underflow");
        assertThatThrownBy(() -> read(PickleBytes.proto2().emptyList().mark().append().stop()))
                .isInstanceOf(PickleException.class).hasMessageContaining("below MARK");
        assertThatThrownBy(() -> read(PickleBytes.proto2().int1(1).int1(2).appends().stop()))
                .isInstanceOf(PickleException.class).hasMessageContaining("MARK");
        assertThatThrownBy(() -> read(PickleBytes.proto2().int1(1).int1(2).append().stop()))
                .isInstanceOf(PickleException.class).hasMessageContaining("not a list");
        assertThatThrownBy(() -> read(PickleBytes.proto2().emptyList().int1(1).int1(2).setitem().stop()))
                .isInstanceOf(PickleException.class).hasMessageContaining("not a dict");
        assertThatThrownBy(() -> read(PickleBytes.proto2().emptyList().emptyDict().str("a").int1(1).setitem().build()
                .stop())).isInstanceOf(PickleException.class).hasMessageContaining("BUILD on a list");
        assertThatThrownBy(() -> read(PickleBytes.proto2().op('h', 3).stop())).isInstanceOf(PickleException.class)
                .hasMessageContaining("memo key 3");
        assertThatThrownBy(() -> read(PickleBytes.proto2().str("pid").persid().stop()))
                .isInstanceOf(PickleException.class).hasMessageContaining("persistent");
    }

    @Test
    void unhashableKeysAreRefused() {
        // d = {}; d[[]] = 1
        assertThatThrownBy(() -> read(PickleBytes.proto2().emptyDict().emptyList().int1(1).setitem().stop()))
                .isInstanceOf(PickleException.class).hasMessageContaining("unhashable dict key: list");
        // a self-referencing list inside a tuple key: hashing it would never end
        assertThatThrownBy(() -> read(PickleBytes.proto2().emptyDict().emptyList().put(0).get(0).append().tuple1()
                .int1(1).setitem().stop())).isInstanceOf(PickleException.class).hasMessageContaining("unhashable");
        // a tuple DAG of 2^60 leaves as a key: refused at once instead of hashed
        PickleBytes dag = PickleBytes.proto2().emptyDict().int1(1).tuple1().put(0).op('0');
        for (int i = 1; i <= 60; i++) {
            dag.get(i - 1).get(i - 1).tuple2().put(i).op('0');
        }
        dag.get(60).int1(1).setitem().stop();
        assertTimeoutPreemptively(QUICK, () -> assertThatThrownBy(() -> read(dag)).isInstanceOf(PickleException.class)
                .hasMessageContaining("too large"));
        // ((((...(1,)...),),),) 5,000 deep as a key: refused rather than hashed recursively
        PickleBytes deep = PickleBytes.proto2().emptyDict().int1(1);
        for (int i = 0; i < 5000; i++) {
            deep.tuple1();
        }
        deep.int1(1).setitem().stop();
        assertThatThrownBy(() -> read(deep)).isInstanceOf(PickleException.class).hasMessageContaining("unhashable");
        // a small nested tuple is a fine key
        Map<?, ?> ok = (Map<?, ?>) assertTimeoutPreemptively(QUICK, () -> read(PickleBytes.proto2().emptyDict()
                .int1(1).int1(2).tuple2().str("x").tuple2().int1(1).setitem().stop()));
        assertThat(ok.get(List.of(List.of(1L, 2L), "x"))).isEqualTo(1L);
    }

    // ---- limits ----

    @Test
    void hugeLengthPrefixesAreRefusedWithoutAllocating() {
        assertTimeoutPreemptively(QUICK, () -> {
            assertThatThrownBy(() -> read(PickleBytes.proto2().op('X').u32(1L << 31).stop()))
                    .isInstanceOf(PickleLimitException.class).hasMessageContaining("2147483648 bytes");
            assertThatThrownBy(() -> read(PickleBytes.proto2().op('X').u32(0xffffffffL).stop()))
                    .isInstanceOf(PickleLimitException.class);
            assertThatThrownBy(() -> read(PickleBytes.proto2().op(0x8d).u64(Long.MIN_VALUE + 5).stop()))
                    .isInstanceOf(PickleLimitException.class).hasMessageContaining("9223372036854775813");
            assertThatThrownBy(() -> read(PickleBytes.proto2().op(0x8e).u64(1L << 40).stop()))
                    .isInstanceOf(PickleLimitException.class);
            assertThatThrownBy(() -> read(PickleBytes.proto2().op('B').u32(1L << 30).stop()))
                    .isInstanceOf(PickleLimitException.class);
            assertThatThrownBy(() -> read(PickleBytes.proto2().op(0x8b).u32(1L << 30).stop()))
                    .isInstanceOf(PickleLimitException.class);
            assertThatThrownBy(() -> read(PickleBytes.proto2().op('T').u32(-5).stop()))
                    .isInstanceOf(PickleException.class).hasMessageContaining("negative length");
            assertThatThrownBy(() -> read(new PickleBytes().op(0x80, 4, 0x95).u64(1L << 40).stop()))
                    .isInstanceOf(PickleException.class).hasMessageContaining("FRAME");
            // a length that is within the limit but past the end is a truncation
            assertThatThrownBy(() -> read(PickleBytes.proto2().op('X').u32(1000).ascii("abc").stop()))
                    .isExactlyInstanceOf(PickleException.class).hasMessageContaining("truncated");
        });
    }

    @Test
    void configuredLimitsAreEnforced() throws Exception {
        PickleReader small = new PickleReader(limits(4, 10, 1000, 5), null);
        assertThatThrownBy(() -> small.read(PickleBytes.proto2().str("12345").stop().bytes()))
                .isInstanceOf(PickleLimitException.class).hasMessageContaining("limit of 4");
        PickleBytes memo = PickleBytes.proto2().none();
        for (int i = 0; i < 11; i++) {
            memo.put(i);
        }
        assertThatThrownBy(() -> small.read(memo.stop().bytes())).isInstanceOf(PickleLimitException.class)
                .hasMessageContaining("memo");
        assertThatThrownBy(() -> small.read(PickleBytes.proto2().emptyList().mark().int1(1).int1(2).int1(3).int1(4)
                .int1(5).int1(6).appends().stop().bytes())).isInstanceOf(PickleLimitException.class)
                .hasMessageContaining("list of more than 5");
        PickleBytes dict = PickleBytes.proto2().emptyDict();
        for (int i = 0; i < 6; i++) {
            dict.int1(i).none().setitem();
        }
        assertThatThrownBy(() -> small.read(dict.stop().bytes())).isInstanceOf(PickleLimitException.class)
                .hasMessageContaining("dict of more than 5");
        Map<?, ?> five = (Map<?, ?>) small.read(PickleBytes.proto2().emptyDict().int1(1).none().setitem().int1(1)
                .int1(2).setitem().stop().bytes());
        assertThat(five).isEqualTo(Map.of(1L, 2L));
        PickleBytes stack = PickleBytes.proto2();
        for (int i = 0; i < 1001; i++) {
            stack.none();
        }
        assertThatThrownBy(() -> small.read(stack.stop().bytes())).isInstanceOf(PickleLimitException.class)
                .hasMessageContaining("stack deeper than 1000");
        PickleReader tiny = new PickleReader(new PickleReader.Limits(8, 8, 8, 8, 8), null);
        assertThatThrownBy(() -> tiny.read(new byte[9])).isInstanceOf(PickleLimitException.class);
        assertThatThrownBy(() -> tiny.read(new java.io.ByteArrayInputStream(new byte[9])))
                .isInstanceOf(PickleLimitException.class);
    }

    @Test
    void deepNestingIsBoundedByTheStackLimit() {
        // [[[[...]]]] 200,000 deep, written the way pickle writes it: every list stays on the stack until the end
        PickleBytes nested = PickleBytes.proto2();
        for (int i = 0; i < 200_000; i++) {
            nested.emptyList();
        }
        for (int i = 0; i < 199_999; i++) {
            nested.append();
        }
        PickleBytes marks = PickleBytes.proto2();
        for (int i = 0; i < 200_000; i++) {
            marks.mark();
        }
        assertTimeoutPreemptively(QUICK, () -> {
            assertThatThrownBy(() -> read(nested.stop())).isInstanceOf(PickleLimitException.class)
                    .hasMessageContaining("stack deeper than 100000");
            assertThatThrownBy(() -> read(marks.stop())).isInstanceOf(PickleLimitException.class)
                    .hasMessageContaining("MARK");
        });
    }

    /**
     * Random streams of real opcodes with plausible arguments (allowed and refused globals, rebuild calls, containers,
     * memo traffic): whatever they do, the reader returns a value or throws a {@link CheckpointException}.
     */
    @Test
    void randomOpcodeStreamsFailCleanly() {
        PickleReader.PersistentLoader loader = pid -> TorchStorage.of("0", DType.FLOAT16, "cpu", 8,
                ByteOrder.LITTLE_ENDIAN, s -> new byte[16]);
        PickleReader reader = new PickleReader(limits(64, 64, 64, 64), loader);
        String[][] globals = { { "torch._utils", "_rebuild_tensor_v2" }, { "torch._utils", "_rebuild_parameter" },
                { "torch._utils", "_rebuild_tensor" }, { "torch._utils", "_rebuild_parameter_with_state" },
                { "torch._tensor", "_rebuild_from_type_v2" }, { "collections", "OrderedDict" },
                { "__builtin__", "set" }, { "builtins", "frozenset" }, { "torch", "Size" }, { "torch", "HalfStorage" },
                { "torch", "float16" }, { "torch", "Tensor" }, { "copyreg", "_reconstructor" },
                { "builtins", "object" }, { "numpy.core.multiarray", "scalar" }, { "numpy", "dtype" },
                { "_codecs", "encode" }, { "ultralytics.nn.tasks", "DetectionModel" }, { "torch", "device" },
                { "os", "system" } };
        int[] simple = { '(', '.', '0', '1', '2', 'N', 0x88, 0x89, ']', 'l', 'a', 'e', ')', 't', 0x85, 0x86, 0x87, '}',
                'd', 's', 'u', 0x8f, 0x90, 0x91, 0x94, 0x93, 'R', 0x81, 0x92, 'o', 'b', 'Q' };
        java.util.Random random = new java.util.Random(42);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 50_000; i++) {
                PickleBytes p = PickleBytes.proto2();
                for (int n = random.nextInt(40); n >= 0; n--) {
                    switch (random.nextInt(8)) {
                        case 0, 1, 2 -> p.op(simple[random.nextInt(simple.length)]);
                        case 3 -> p.int1(random.nextInt(5));
                        case 4 -> p.str(random.nextBoolean() ? "storage" : "k" + random.nextInt(3));
                        case 5 -> {
                            String[] g = globals[random.nextInt(globals.length)];
                            p.global(g[0], g[1]);
                        }
                        case 6 -> p.op(random.nextBoolean() ? 'q' : 'h', random.nextInt(4));
                        default -> p.op(random.nextInt(256));
                    }
                }
                byte[] bytes = p.stop().bytes();
                try {
                    reader.read(bytes);
                    outcomes[0]++;
                } catch (CheckpointException e) {
                    assertThat(e.getMessage()).isNotBlank();
                    outcomes[1]++;
                }
            }
        });
        assertThat(outcomes[0]).isPositive();
        assertThat(outcomes[1]).isPositive();
    }

    @Test
    void deepNestingThroughTheMemoDoesNotRecurse() throws Exception {
        // inner = []; repeat: outer = [inner] through the memo, so the stack never grows: one million levels
        int depth = 1_000_000;
        PickleBytes p = PickleBytes.proto2().emptyList().op('q', 0).op('0');
        for (int i = 0; i < depth; i++) {
            p.emptyList().op('h', 0).append().op('q', 0).op('0');
        }
        byte[] bytes = p.op('h', 0).stop().bytes();
        Object value = assertTimeoutPreemptively(QUICK, () -> read(bytes));
        int levels = 0;
        while (value instanceof List<?> l && !l.isEmpty()) {
            value = l.get(0);
            levels++;
        }
        assertThat(levels).isEqualTo(depth);
    }
}
