package dev.limpet.contract;

import java.io.StringReader;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/**
 * Compiles one event's DataScript source to a LuaJ {@link Prototype}: the one compiler of the
 * operator (which reports the first syntax error) and of the data plane (which runs the result).
 * Pure and thread-safe.
 */
public final class DataScriptCompiler {
  /**
   * The server globals of LuaJ's sandbox sample: they only compile, never run anything, so sharing
   * them between threads is safe (each compilation builds its own parser state).
   */
  private static final Globals COMPILER = compilerGlobals();

  private static final Pattern POSITION = Pattern.compile("^\\[string \".*\"]:(\\d+): (.*)$");
  private static final Pattern UNEXPECTED = Pattern.compile("unexpected symbol (\\d+) \\(.*\\)$");

  /** LuaJ 3.0.1's token names from 257 on (Lua 5.2's {@code luaX_tokens}). */
  private static final List<String> TOKENS =
      List.of(
          "and",
          "break",
          "do",
          "else",
          "elseif",
          "end",
          "false",
          "for",
          "function",
          "goto",
          "if",
          "in",
          "local",
          "nil",
          "not",
          "or",
          "repeat",
          "return",
          "then",
          "true",
          "until",
          "while",
          "..",
          "...",
          "==",
          ">=",
          "<=",
          "~=",
          "::",
          "<eos>",
          "<number>",
          "<name>",
          "<string>");

  private static final int FIRST_RESERVED = 257;

  private DataScriptCompiler() {}

  /** The outcome of compiling one source. */
  public sealed interface Result permits Compiled, SyntaxError {}

  /** A source that compiled; the prototype is immutable and shared by every run. */
  public record Compiled(Prototype prototype) implements Result {}

  /**
   * The first syntax error of a source.
   *
   * @param line 1-based line of the error, 0 when LuaJ gave none
   */
  public record SyntaxError(int line, String message) implements Result {
    /** {@code line 3: 'end' expected}, the form configuration problems and conditions use. */
    @Override
    public String toString() {
      return line > 0 ? "line " + line + ": " + message : message;
    }
  }

  /**
   * Compiles {@code source}, the code of {@code scriptName} for {@code event} (a spec key such as
   * {@code httpRequest}); both only name the chunk, which runtime error messages quote.
   */
  public static Result compile(String scriptName, String event, String source) {
    try {
      return new Compiled(
          COMPILER.compilePrototype(new StringReader(source), chunkName(scriptName, event)));
    } catch (LuaError e) {
      return syntaxError(e.getMessage());
    } catch (StackOverflowError e) {
      return new SyntaxError(0, "nesting too deep to compile");
    } catch (java.io.IOException | RuntimeException e) {
      return new SyntaxError(0, "cannot compile: " + e.getMessage());
    }
  }

  /** The chunk name runtime errors start with, e.g. {@code sticky/httpRequest:3}. */
  public static String chunkName(String scriptName, String event) {
    return scriptName + "/" + event;
  }

  private static SyntaxError syntaxError(String luaMessage) {
    Matcher m = POSITION.matcher(luaMessage == null ? "" : luaMessage);
    if (!m.matches()) return new SyntaxError(0, String.valueOf(luaMessage));
    return new SyntaxError(Integer.parseInt(m.group(1)), readable(m.group(2)));
  }

  /**
   * LuaJ reports an unexpected token by its internal number ({@code unexpected symbol 286 (Ğ)});
   * this names it as Lua does ({@code unexpected symbol near <eos>}). LuaJ drops the text of the
   * token, so names, numbers and strings are only named by kind.
   */
  private static String readable(String message) {
    Matcher m = UNEXPECTED.matcher(message);
    if (!m.find()) return message;
    int token = Integer.parseInt(m.group(1));
    String near;
    if (token < FIRST_RESERVED) near = "'" + (char) token + "'";
    else if (token - FIRST_RESERVED < TOKENS.size()) {
      String name = TOKENS.get(token - FIRST_RESERVED);
      near = name.startsWith("<") ? name : "'" + name + "'";
    } else return message;
    return message.substring(0, m.start()) + "unexpected symbol near " + near;
  }

  private static Globals compilerGlobals() {
    Globals globals = new Globals();
    LoadState.install(globals);
    LuaC.install(globals);
    return globals;
  }
}
