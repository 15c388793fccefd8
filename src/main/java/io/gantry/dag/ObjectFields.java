package io.gantry.dag;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the typed fields of one JSON object, recording a problem (and returning null) for each value
 * of the wrong type. An absent field and an explicit JSON null both read as null (not given).
 */
final class ObjectFields {

  private final JsonNode object;
  private final String where;
  private final String path;
  private final Problems problems;

  /**
   * @param where the job label problems start with (null for the document)
   * @param path prefix of the field names in problems, e.g. "backoff." for a nested object
   */
  ObjectFields(JsonNode object, String where, String path, Problems problems) {
    this.object = object;
    this.where = where;
    this.path = path;
    this.problems = problems;
  }

  /** Records every field not in {@code known}, suggesting the known name for a wrong letter case. */
  void rejectUnknown(List<String> known) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        String suggestion =
            known.stream()
                .filter(k -> k.equalsIgnoreCase(name))
                .findFirst()
                .map(k -> " (did you mean \"" + k + "\"?)")
                .orElse("");
        problems.add(
            where,
            "unknown field " + Problems.quote(path + name) + suggestion + "; known fields: " + String.join(", ", known));
      }
    }
  }

  String text(String name) {
    JsonNode value = given(name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      return wrongType(name, "a string", value);
    }
    return value.textValue();
  }

  Integer integer(String name) {
    Long value = wholeNumber(name);
    if (value == null) {
      return null;
    }
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      problems.add(where, path + name + " " + value + " is out of range");
      return null;
    }
    return value.intValue();
  }

  Long wholeNumber(String name) {
    JsonNode value = given(name);
    if (value == null) {
      return null;
    }
    Long number = JsonValues.wholeNumber(value);
    return number != null ? number : wrongType(name, "an integer", value);
  }

  Double number(String name) {
    JsonNode value = given(name);
    if (value == null) {
      return null;
    }
    return value.isNumber() ? value.doubleValue() : wrongType(name, "a number", value);
  }

  Boolean bool(String name) {
    JsonNode value = given(name);
    if (value == null) {
      return null;
    }
    return value.isBoolean() ? value.booleanValue() : wrongType(name, "true or false", value);
  }

  List<String> strings(String name) {
    JsonNode value = given(name);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      return wrongType(name, "a list of strings", value);
    }
    List<String> strings = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      if (!element.isTextual()) {
        return wrongType(name + "[" + i + "]", "a string", element);
      }
      strings.add(element.textValue());
    }
    return List.copyOf(strings);
  }

  JsonNode object(String name) {
    JsonNode value = given(name);
    if (value == null) {
      return null;
    }
    return value.isObject() ? value : wrongType(name, "an object", value);
  }

  JsonNode array(String name) {
    JsonNode value = given(name);
    if (value == null) {
      return null;
    }
    return value.isArray() ? value : wrongType(name, "a list", value);
  }

  private JsonNode given(String name) {
    JsonNode value = object.get(name);
    return value == null || value.isNull() ? null : value;
  }

  private <T> T wrongType(String name, String expected, JsonNode actual) {
    problems.add(where, path + name + " must be " + expected + ", got " + JsonValues.show(actual));
    return null;
  }
}
