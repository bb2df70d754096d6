package io.visionplatform.bench;

import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The dataset or project a run creates on the platform, and its end: left in place with --keep (a note says how to
 * delete it), else moved to the trash when the run ends, or from a shutdown hook when it is interrupted, once.
 * The trash is then emptied only when it holds nothing but this run's items: POST /api/trash/empty purges
 * everything in it, other people's deletions included.
 */
final class ThrowAwayResource {

    private final PlatformApi api;
    private final String kind;
    private final String contentKind;
    private final PlatformOptions options;
    private final List<String> notes;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile String id;
    private volatile String contentId;

    /**
     * {@code kind} is the API's word ("dataset": /api/datasets/ID), {@code contentKind} what it holds that goes with
     * it ("model"), or null. Registers the shutdown hook.
     */
    ThrowAwayResource(PlatformApi api, String kind, String contentKind, PlatformOptions options, List<String> notes) {
        this.api = api;
        this.kind = kind;
        this.contentKind = contentKind;
        this.options = options;
        this.notes = notes;
        Runtime.getRuntime().addShutdownHook(new Thread(this::releaseIfInterrupted, "bench-cleanup"));
    }

    void created(String id) {
        this.id = id;
    }

    void createdInside(String contentId) {
        this.contentId = contentId;
    }

    /** At the end of the run, after it failed or not. */
    void release() {
        if (options.keep) {
            if (id != null) {
                notes.add("--keep: " + kind + " " + id
                        + (contentId == null ? "" : " with " + contentKind + " " + contentId)
                        + " was left in place (delete it with DELETE /api/" + kind + "s/" + id + ")");
            }
            released.set(true);
        } else {
            cleanUp();
        }
    }

    private void releaseIfInterrupted() {
        if (!released.get() && !options.keep) {
            System.err.println("bench: interrupted, cleaning up " + kind + " " + id);
            cleanUp();
        }
    }

    private void cleanUp() {
        if (!released.compareAndSet(false, true) || id == null) {
            return;
        }
        String id = this.id;
        try {
            api.call("DELETE", "/api/" + kind + "s/" + id, null, null, 200, 204);
            Machine.log("cleanup: %s %s moved to the trash", kind, id);
            JsonArray trash = api.call("GET", "/api/trash", null, null, 200).getJsonArray("data");
            List<String> others = new ArrayList<>();
            for (int i = 0; trash != null && i < trash.size(); i++) {
                JsonObject item = trash.getJsonObject(i);
                String itemId = item.getString("id");
                if (!id.equals(itemId) && !(contentId != null && contentId.equals(itemId))) {
                    others.add(item.getString("type") + " " + itemId + " (" + item.getString("name") + ")");
                }
            }
            if (!others.isEmpty() && !options.emptyTrashAnyway) {
                notes.add("cleanup: the trash also holds " + others.size() + " item(s) that are not this run's ("
                        + Text.abbreviate(String.join(", ", others), 200) + "), so it was NOT emptied (POST"
                        + " /api/trash/empty purges everything); " + kind + " " + id + " stays in the trash until it"
                        + " is emptied or expires (--empty-trash-anyway to purge it all)");
                Machine.log("cleanup: trash not emptied, it holds %d other item(s)", others.size());
                return;
            }
            api.call("POST", "/api/trash/empty", BodyPublishers.noBody(), null, 200, 204);
            Machine.log("cleanup: trash emptied (%s %s%s purged%s)", kind, id,
                    contentKind == null ? "" : " and its " + contentKind,
                    others.isEmpty() ? "" : ", with " + others.size() + " other item(s)");
        } catch (RuntimeException e) {
            notes.add("cleanup of " + kind + " " + id + " failed: " + Text.abbreviate(e.getMessage(), 400));
            Machine.log("cleanup failed: %s", e.getMessage());
        }
    }
}
