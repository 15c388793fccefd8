package io.gantry.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.gantry.dag.StorableJson;
import io.gantry.protocol.ErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * JSON in and out through one ObjectMapper: the one Pekko's Jackson serialization is configured with
 * ({@code JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty())}).
 * Bad bodies become 400 errors that name the problem (where, which field, what was expected).
 */
final class JsonSupport {
  private static final Unmarshaller<org.apache.pekko.http.javadsl.model.HttpEntity, String> JSON_TEXT =
      Unmarshaller.forMediaType(MediaTypes.APPLICATION_JSON, Unmarshaller.entityToString());

  private final ObjectMapper mapper;
  private final ObjectMapper requests;
  private final ObjectReader strict;

  public JsonSupport(ObjectMapper mapper) {
    this.mapper = mapper;
    this.requests = strictCopy(mapper);
    this.strict = requests.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * A copy of the shared mapper for request bodies that takes a number or a boolean only as such: by default Jackson
   * reads the string {@code "25"} as a number and a blank or control-character string as null, so a
   * {@code "waitMs": "\u0000"} was a poll with the default wait rather than a 400 naming the field. (A copy: the
   * shared mapper is also Pekko's.)
   */
  private static ObjectMapper strictCopy(ObjectMapper shared) {
    ObjectMapper copy = shared.copy();
    for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      copy.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    return copy;
  }

  public HttpResponse response(StatusCode status, Object body) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, mapper.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + body.getClass().getName() + " as JSON", e);
    }
  }

  public Route complete(StatusCode status, Object body) {
    return Directives.complete(response(status, body));
  }

  public Route ok(Object body) {
    return complete(StatusCodes.OK, body);
  }

  /**
   * 200 with the value of the stage {@code call} returns; a call that throws (a bad cursor, say) fails the same way
   * as a failed stage, for {@link ErrorHandling} to answer.
   */
  public <T> Route answer(Supplier<CompletionStage<T>> call) {
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return Directives.onSuccess(stage, this::ok);
  }

  /** Reads the request body (Content-Type application/json) as {@code type} and hands it to {@code inner}. */
  public <T> Route entity(Class<T> type, Function<T, Route> inner) {
    return Directives.entity(JSON_TEXT, body -> inner.apply(read(body, type)));
  }

  /**
   * Parses {@code body} as a JSON tree, strictly (a key twice in one object, or anything after the value, is an
   * error), failing with a 400 {@link ApiException} that says where it is malformed.
   */
  public JsonNode tree(byte[] body) {
    if (body.length == 0) {
      throw ApiException.of(ErrorCode.INVALID_JSON, "the request needs a JSON body");
    }
    try {
      return strict.readTree(body);
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw ApiException.of(ErrorCode.INVALID_JSON, "malformed JSON" + at + ": " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiException.of(ErrorCode.INVALID_JSON, "the body could not be read: " + e.getMessage());
    }
  }

  /** Parses {@code body}, failing with a 400 {@link ApiException} that says what is wrong with it. */
  public <T> T read(String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      throw ApiException.of(ErrorCode.INVALID_JSON, "the request needs a JSON body");
    }
    try {
      JsonNode tree = mapper.readTree(body);
      StorableJson.problem(tree).ifPresent(problem -> {
        throw ApiException.of(ErrorCode.INVALID_JSON, problem);
      });
      T value = tree == null || tree.isMissingNode() ? null : requests.treeToValue(tree, type);
      if (value == null) {
        throw ApiException.of(ErrorCode.INVALID_JSON, "the request body must be a JSON object, not null");
      }
      return value;
    } catch (JsonParseException e) {
      throw ApiException.of(ErrorCode.INVALID_JSON, "malformed JSON at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.of(ErrorCode.INVALID_JSON, "unknown field '" + path(e) + "'");
    } catch (ValueInstantiationException e) {
      String reason = e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage();
      throw ApiException.of(ErrorCode.INVALID_JSON, e.getPath().isEmpty() ? reason : "'" + path(e) + "': " + reason);
    } catch (MismatchedInputException e) {
      String expected = e.getTargetType() != null ? describe(e.getTargetType()) : "another type";
      throw ApiException.of(ErrorCode.INVALID_JSON, e.getPath().isEmpty()
          ? "the request body must be " + expected
          : "field '" + path(e) + "' must be " + expected);
    } catch (JsonProcessingException e) {
      throw ApiException.of(ErrorCode.INVALID_JSON, "invalid JSON body: " + e.getOriginalMessage());
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String describe(Class<?> type) {
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "a JSON object";
  }
}
