package io.visionplatform.dataset.service;

import io.visionplatform.dataset.Dataset;
import io.visionplatform.dataset.DatasetExport;

/** A dataset version to hand out, with the dataset fields its NDJSON header carries. */
record ExportTarget(Dataset dataset, DatasetExport version) {
}
