package io.gantry.http;

import com.typesafe.config.Config;

/** The node-protecting limits of API.md "Limits" (defaults in reference.conf); 0 turns a limit off. */
record LimitSettings(int maxQueued, double submitRate, int submitBurst, int pollsPerWorker, int pollsPerClient,
    int streamsPerClient) {

  static final String MAX_QUEUED = "gantry.queue.max-queued";
  static final String SUBMIT_RATE = "gantry.http.submit-rate-limit";
  static final String POLLS_PER_WORKER = "gantry.http.max-long-polls-per-worker";
  static final String POLLS_PER_CLIENT = "gantry.http.max-long-polls-per-client";
  static final String STREAMS_PER_CLIENT = "gantry.http.max-event-streams-per-client";

  static LimitSettings fromConfig(Config config) {
    double rate = config.getDouble(SUBMIT_RATE);
    int burst = config.getInt("gantry.http.submit-rate-burst");
    return new LimitSettings(config.getInt(MAX_QUEUED), rate, burst > 0 ? burst : (int) Math.max(1, Math.ceil(rate)),
        config.getInt(POLLS_PER_WORKER), config.getInt(POLLS_PER_CLIENT), config.getInt(STREAMS_PER_CLIENT));
  }
}
