package io.isotherm.collector;

import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.event.RawEvent;

import java.util.List;

/** A batch that passed every step, on its page: its receipt and the rows to store. */
record AcceptedBatch(BatchReceipt receipt, String pageUrl, DeviceClass device, List<RawEvent> rows) {
}
