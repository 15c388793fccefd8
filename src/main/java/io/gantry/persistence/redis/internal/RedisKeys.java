package io.gantry.persistence.redis.internal;

/**
 * Every key the plugin uses. All keys of one persistence id carry the hash tag {@code {pid}}, so
 * they land in one Redis Cluster slot and a Lua script may touch them together. The two global
 * indexes (all persistence ids, and the tag index) cannot share that tag.
 */
public record RedisKeys(String prefix) {
  /**
   * A journal key of a persistence id is {@link #journalKeyStart()} + id + one of these suffixes.
   * The batch write script builds the keys so from the persistence id (fewer arguments per write).
   */
  public static final String EVENTS_SUFFIX = "}:events";
  public static final String HIGHEST_SUFFIX = "}:highest";
  public static final String TAG_REFS_SUFFIX = "}:tag-refs";

  /** What every journal key of a persistence id starts with, up to the id. */
  public String journalKeyStart() {
    return prefix + "j:{";
  }

  /** Sorted set: score = sequence number, member = encoded event. */
  public String events(String persistenceId) {
    return journalKeyStart() + persistenceId + EVENTS_SUFFIX;
  }

  /** String: the highest sequence number ever written; survives deleteMessagesTo. */
  public String highestSequenceNr(String persistenceId) {
    return journalKeyStart() + persistenceId + HIGHEST_SUFFIX;
  }

  /** Sorted set: score = sequence number, member = "seqNr:tag", to remove tag entries with their events. */
  public String tagRefs(String persistenceId) {
    return journalKeyStart() + persistenceId + TAG_REFS_SUFFIX;
  }

  /** Sorted set: score = sequence number, member = "seqNr:timestamp", to select snapshots without reading them. */
  public String snapshotIndex(String persistenceId) {
    return prefix + "s:{" + persistenceId + "}:index";
  }

  /** Hash: field = sequence number, value = encoded snapshot. */
  public String snapshotData(String persistenceId) {
    return prefix + "s:{" + persistenceId + "}:data";
  }

  /** Set of every persistence id that has written events. */
  public String persistenceIds() {
    return prefix + "persistence-ids";
  }

  /** Counter giving tag entries a global order (the offset of eventsByTag). */
  public String tagOrdering() {
    return prefix + "tag-ordering";
  }

  /** Prefix of the per-tag sorted sets; the write script appends the tag. */
  public String tagPrefix() {
    return prefix + "tag:";
  }

  /** Sorted set: score = tag ordering, member = "seqNr:persistenceId". */
  public String tag(String tag) {
    return tagPrefix() + tag;
  }
}
