package io.gantry.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** A Lua script run by its SHA1 (EVALSHA), sent in full (EVAL) once when the server does not know it yet. */
public final class LuaScript {
  private final String source;
  private final String sha;
  private final ScriptOutputType outputType;

  public LuaScript(StatefulRedisConnection<String, String> connection, String source, ScriptOutputType outputType) {
    this.source = source;
    this.sha = connection.async().digest(source);
    this.outputType = outputType;
  }

  public <T> CompletionStage<T> run(StatefulRedisConnection<String, String> connection, String[] keys, String... args) {
    CompletionStage<T> bySha = connection.async().evalsha(sha, outputType, keys, args);
    return bySha.handle((value, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof RedisNoScriptException) {
        CompletionStage<T> full = connection.async().eval(source, outputType, keys, args);
        return full;
      }
      return CompletableFuture.<T>failedFuture(cause);
    }).thenCompose(stage -> stage);
  }
}
