package io.gantry.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.gantry.protocol.Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bearer tokens a node accepts, each with a name and a {@link Role} (OPERATIONS.md "Tokens and roles"), from
 * {@code gantry.http.auth-token} (an admin token named {@value #DEFAULT_NAME}), {@code gantry.http.tokens} (a list of
 * {@code {name, role, token}}, or from the environment {@code GANTRY_TOKENS} a string of {@code name:role:token}
 * entries separated by commas) and {@code gantry.http.tokens-file} (one {@code name:role:token} a line; blank lines
 * and lines starting with {@code #} are skipped). Only SHA-256 digests are kept, compared with
 * {@link MessageDigest#isEqual} against every token, so the time taken says nothing about which one matched or how
 * much of it. No message here ever contains a token, nor a field that could be one: entries are named by position.
 */
final class ApiTokens {
  static final String DEFAULT_NAME = "default";
  /** Shorter tokens are accepted with a warning at start. */
  static final int RECOMMENDED_LENGTH = 16;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private record Token(String name, Role role, byte[] digest, int length) {}

  private final List<Token> tokens;

  private ApiTokens(List<Token> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  /** Only the single admin token of {@code auth-token} (none when blank). */
  static ApiTokens ofAuthToken(String authToken) {
    Builder b = new Builder();
    b.authToken(authToken);
    return b.build();
  }

  /**
   * The tokens of the {@code gantry.http} block. Throws IllegalArgumentException naming the setting and the entry
   * (by position) when one is malformed, a name or a value is given twice, or the file cannot be read.
   */
  static ApiTokens fromConfig(Config http) {
    Builder b = new Builder();
    b.authToken(http.getString("auth-token"));
    ConfigValue listed = http.getValue("tokens");
    if (listed.valueType() == ConfigValueType.LIST) {
      ConfigList list = (ConfigList) listed;
      for (int i = 0; i < list.size(); i++) {
        b.add("gantry.http.tokens[" + i + "]", fields(list.get(i), "gantry.http.tokens[" + i + "]"));
      }
    } else if (listed.valueType() == ConfigValueType.STRING) {
      String[] entries = ((String) listed.unwrapped()).split(",");
      for (int i = 0; i < entries.length; i++) {
        if (!entries[i].isBlank()) {
          String where = "gantry.http.tokens (GANTRY_TOKENS) entry " + (i + 1);
          b.add(where, split(entries[i], where));
        }
      }
    } else {
      throw new IllegalArgumentException("gantry.http.tokens must be a list of {name, role, token}, or a string of "
          + "name:role:token entries separated by commas");
    }
    String file = http.getString("tokens-file").trim();
    if (!file.isEmpty()) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("gantry.http.tokens-file (GANTRY_TOKENS_FILE): cannot read " + file
            + " (" + e.getClass().getSimpleName() + ")");
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          String where = "gantry.http.tokens-file " + file + " line " + (i + 1);
          b.add(where, split(line, where));
        }
      }
    }
    return b.build();
  }

  boolean isEmpty() {
    return tokens.isEmpty();
  }

  /** Who holds {@code presented}, if it is one of the tokens: every token is compared, whichever matches. */
  Optional<Principal> match(String presented) {
    byte[] digest = sha256(presented.strip());
    Token found = null;
    for (Token t : tokens) {
      if (MessageDigest.isEqual(t.digest(), digest)) {
        found = t;
      }
    }
    return found == null ? Optional.empty() : Optional.of(new Principal(found.name(), found.role().wireName()));
  }

  /** The role of a matched principal (its wire name as {@link #match} wrote it). */
  static Role role(Principal p) {
    return Role.fromWire(p.role()).orElseThrow();
  }

  /** "default (admin), ci (submit)": names and roles, for the log at start. */
  String describe() {
    return String.join(", ", tokens.stream().map(t -> t.name() + " (" + t.role().wireName() + ")").toList());
  }

  /** Names of tokens shorter than {@link #RECOMMENDED_LENGTH}. */
  List<String> weak() {
    return tokens.stream().filter(t -> t.length() < RECOMMENDED_LENGTH).map(Token::name).toList();
  }

  private static String[] fields(ConfigValue value, String where) {
    if (!(value instanceof ConfigObject object)) {
      throw new IllegalArgumentException(where + ": expected {name, role, token}");
    }
    String[] out = new String[3];
    String[] keys = {"name", "role", "token"};
    for (int k = 0; k < 3; k++) {
      ConfigValue v = object.get(keys[k]);
      if (v == null || v.valueType() != ConfigValueType.STRING) {
        throw new IllegalArgumentException(where + ": '" + keys[k] + "' is missing or not a string");
      }
      out[k] = (String) v.unwrapped();
    }
    return out;
  }

  /** name:role:token; the token is the rest after the second colon (it may contain colons). */
  private static String[] split(String entry, String where) {
    String[] parts = entry.strip().split(":", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException(where + ": expected name:role:token");
    }
    return parts;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static final class Builder {
    private final List<Token> tokens = new ArrayList<>();
    private final Map<String, String> nameAt = new HashMap<>();

    void authToken(String token) {
      if (token != null && !token.isBlank()) {
        add("gantry.http.auth-token", new String[] {DEFAULT_NAME, Role.ADMIN.wireName(), token});
      }
    }

    /** {@code f}: name, role, token. Nothing of it is echoed but a name that is valid and the role (known ones). */
    void add(String where, String[] f) {
      String name = f[0].strip();
      String token = f[2].strip();
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(where + ": the name must be 1 to 64 of A-Z a-z 0-9 . _ -");
      }
      Role role = Role.fromWire(f[1].strip()).orElseThrow(() -> new IllegalArgumentException(where
          + ": unknown role (expected admin, submit, read or worker)"));
      if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(where + ": the token is empty or contains white space");
      }
      String earlier = nameAt.putIfAbsent(name, where);
      if (earlier != null) {
        throw new IllegalArgumentException(where + ": the name '" + name + "' is taken (" + earlier + ")");
      }
      byte[] digest = sha256(token);
      for (Token t : tokens) {
        if (MessageDigest.isEqual(t.digest(), digest)) {
          throw new IllegalArgumentException(where + ": the token of '" + name + "' is the same as that of '"
              + t.name() + "'; give each its own");
        }
      }
      tokens.add(new Token(name, role, digest, token.length()));
    }

    ApiTokens build() {
      return new ApiTokens(tokens);
    }
  }
}
