/**
 * Announce event codes shared by the UDP (BEP 15) and HTTP (BEP 3) codecs. The numbers are BEP 15's
 * wire values; the HTTP parser maps `started|stopped|completed` (and absent/empty/`empty`) onto
 * them so both trackers hand the core the same code.
 */

/** Regular re-announce (BEP 15 event 0; HTTP: no `event`, `event=` or `event=empty`). */
export const ANNOUNCE_EVENT_NONE = 0;
/** BEP 15 event 1; HTTP `event=completed`. */
export const ANNOUNCE_EVENT_COMPLETED = 1;
/** BEP 15 event 2; HTTP `event=started`. */
export const ANNOUNCE_EVENT_STARTED = 2;
/** BEP 15 event 3; HTTP `event=stopped`. */
export const ANNOUNCE_EVENT_STOPPED = 3;

export type AnnounceEventCode =
  | typeof ANNOUNCE_EVENT_NONE
  | typeof ANNOUNCE_EVENT_COMPLETED
  | typeof ANNOUNCE_EVENT_STARTED
  | typeof ANNOUNCE_EVENT_STOPPED;
