package io.visionplatform.vision.pt;

import java.util.Map;

/** A {@code collections.OrderedDict} for {@link PickleWriter} (a plain {@link Map} is written as a dict). */
public record PyOrderedDict(Map<?, ?> items) {
}
