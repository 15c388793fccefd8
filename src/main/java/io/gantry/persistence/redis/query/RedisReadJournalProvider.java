package io.gantry.persistence.redis.query;

import com.typesafe.config.Config;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.query.ReadJournalProvider;

/**
 * Gives Pekko Persistence Query the Redis read journal:
 * {@code PersistenceQuery.get(system).getReadJournalFor(RedisReadJournal.class, path)}, where path is
 * the block mounting it ({@link RedisReadJournal#IDENTIFIER} by default).
 * Only the Java API is implemented; the Scala one is an empty marker.
 */
public final class RedisReadJournalProvider implements ReadJournalProvider {
  private final RedisReadJournal javadsl;

  public RedisReadJournalProvider(ExtendedActorSystem system, Config config) {
    this.javadsl = new RedisReadJournal(system, QuerySettings.fromConfig(config));
  }

  @Override
  public org.apache.pekko.persistence.query.scaladsl.ReadJournal scaladslReadJournal() {
    return new org.apache.pekko.persistence.query.scaladsl.ReadJournal() {};
  }

  @Override
  public RedisReadJournal javadslReadJournal() {
    return javadsl;
  }
}
