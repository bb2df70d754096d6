package io.visionplatform.model.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.visionplatform.model.config.ModelsConfig;
import io.visionplatform.vision.detect.Detector;

/**
 * Loaded detectors by weights file, least recently used first out once their files together pass the cache size.
 * A detector being used is never closed under its caller: each use holds a lease, and an evicted detector closes
 * when its last lease ends.
 */
@ApplicationScoped
public class LoadedModels {

    private final long capacityBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long usedBytes;

    public LoadedModels(ModelsConfig config) {
        this.capacityBytes = config.predict().cacheSize().asLongValue();
    }

    /** The detector for {@code fileId}, loaded by {@code loader} (blocking) when absent. Close the lease after use. */
    public Lease acquire(String fileId, long bytes, Supplier<Detector> loader) {
        synchronized (this) {
            Entry cached = entries.get(fileId);
            if (cached != null) {
                cached.users++;
                return new Lease(this, cached);
            }
        }
        Detector detector = loader.get();
        synchronized (this) {
            Entry raced = entries.get(fileId);
            if (raced != null) {
                detector.close();
                raced.users++;
                return new Lease(this, raced);
            }
            Entry entry = new Entry(detector, bytes);
            entry.users = 1;
            entries.put(fileId, entry);
            usedBytes += bytes;
            evictOverCapacity();
            return new Lease(this, entry);
        }
    }

    @PreDestroy
    synchronized void closeAll() {
        entries.values().forEach(entry -> entry.detector.close());
        entries.clear();
        usedBytes = 0;
    }

    private void evictOverCapacity() {
        Iterator<Map.Entry<String, Entry>> oldestFirst = entries.entrySet().iterator();
        while (usedBytes > capacityBytes && entries.size() > 1 && oldestFirst.hasNext()) {
            Entry oldest = oldestFirst.next().getValue();
            oldestFirst.remove();
            usedBytes -= oldest.bytes;
            oldest.evicted = true;
            if (oldest.users == 0) {
                oldest.detector.close();
            }
        }
    }

    private synchronized void release(Entry entry) {
        entry.users--;
        if (entry.evicted && entry.users == 0) {
            entry.detector.close();
        }
    }

    private static final class Entry {
        final Detector detector;
        final long bytes;
        int users;
        boolean evicted;

        Entry(Detector detector, long bytes) {
            this.detector = detector;
            this.bytes = bytes;
        }
    }

    /** One use of a loaded detector. */
    public static final class Lease implements AutoCloseable {
        private final LoadedModels owner;
        private final Entry entry;

        private Lease(LoadedModels owner, Entry entry) {
            this.owner = owner;
            this.entry = entry;
        }

        public Detector detector() {
            return entry.detector;
        }

        @Override
        public void close() {
            owner.release(entry);
        }
    }
}
