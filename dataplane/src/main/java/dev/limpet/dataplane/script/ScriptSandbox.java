package dev.limpet.dataplane.script;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * One thread's Lua machinery, after LuaJ's {@code SampleSandboxed}: the safe base functions and
 * {@code avi} bound to this sandbox, the instruction hook, and the read-only table every
 * transaction environment reads through. Never shared between threads; the compiled chunks come
 * from outside, so nothing is compiled here.
 */
final class ScriptSandbox {
  private static final List<String> SAFE_BASE =
      List.of(
          "assert",
          "error",
          "getmetatable",
          "ipairs",
          "next",
          "pairs",
          "pcall",
          "rawequal",
          "rawget",
          "rawlen",
          "rawset",
          "select",
          "setmetatable",
          "tonumber",
          "tostring",
          "type",
          "xpcall",
          "_VERSION");

  /** LuaJ's {@code chunk:line message}; Lua writes {@code chunk:line: message}. */
  private static final Pattern POSITION =
      Pattern.compile("^(\\S+?):(\\d+):? (.*)$", Pattern.DOTALL);

  private static final Pattern TRACEBACK_LINE = Pattern.compile(":(\\d+): in ");

  /**
   * The {@code Globals} every closure of a run on this thread is created with: LuaJ's interpreter
   * calls the instruction hook of its {@code debuglib} and the error function of its {@code
   * running} thread. Each run points it at its own sandbox, so a function a transaction kept from
   * an earlier event reaches the limiter of the run calling it, also after a sandbox was replaced.
   * Scripts never see it: their environment is the transaction's table.
   */
  private static final FastThreadLocal<ThreadHooks> HOOKS =
      new FastThreadLocal<>() {
        @Override
        protected ThreadHooks initialValue() {
          return new ThreadHooks();
        }
      };

  /**
   * One thread's hook holder, the chunk closures created with it ({@link MainClosure}), its recent
   * string conversions ({@link LuaText}) and the limiter of the run on it ({@link
   * RunLimiter#active}): a run reaches them all through one thread-local read.
   */
  static final class ThreadHooks {
    private final Globals globals = new Globals();
    private final MainClosure[] closures = MainClosure.newCache();
    private final LuaText.Recent text = LuaText.recent();
    RunLimiter active;

    Globals globals() {
      return globals;
    }

    MainClosure[] closures() {
      return closures;
    }

    LuaText.Recent text() {
      return text;
    }
  }

  private final RunLimiter limiter;
  private final Args args = new Args();
  private final ScriptRun run;
  private final LuaThread mainThread;
  private final ReadOnlyTable environmentMetatable;
  private final ReadOnlyTable library;
  private ScriptRun current;
  private String errorTraceback;

  ScriptSandbox(int maxCallDepth) {
    Globals base = new Globals();
    base.load(new BaseLib());
    limiter = new RunLimiter(maxCallDepth);
    run = new ScriptRun(limiter, args);
    base.debuglib = limiter;
    mainThread = base.running;
    // LuaJ asks this for the text of an error it is raising: give the message as Lua writes it
    // and note the stack aside, so pcall sees no traceback and the failure record does
    mainThread.errorfunc =
        new OneArgFunction() {
          @Override
          public LuaValue call(LuaValue message) {
            errorTraceback = limiter.traceback();
            Matcher m = POSITION.matcher(message.tojstring());
            return m.matches()
                ? valueOf(m.group(1) + ":" + m.group(2) + ": " + m.group(3))
                : message;
          }
        };
    LuaTable visible = SharedLibraries.only(base, SAFE_BASE);
    visible.rawset("string", SharedLibraries.STRING);
    visible.rawset("table", SharedLibraries.TABLE);
    visible.rawset("math", SharedLibraries.MATH);
    visible.rawset("bit32", SharedLibraries.BIT32);
    visible.rawset("os", SharedLibraries.OS);
    visible.rawset("unpack", SharedLibraries.TABLE.rawget("unpack"));
    visible.rawset("avi", Avi.table(this::current));
    library = new ReadOnlyTable(visible);
    LuaTable meta = new LuaTable();
    meta.rawset(LuaValue.INDEX, library);
    meta.rawset(LuaValue.METATABLE, LuaValue.FALSE);
    environmentMetatable = new ReadOnlyTable(meta);
  }

  RunLimiter limiter() {
    return limiter;
  }

  /** This sandbox's run, filled for {@code script}; {@link ScriptRun#clear} it after reading it. */
  ScriptRun startRun(
      ScriptEvent event,
      ScriptExchange exchange,
      ScriptTransaction transaction,
      CompiledDataScript script,
      VirtualServiceScripts virtualService) {
    if (current != null) throw new IllegalStateException("DataScript runs do not nest");
    return run.start(event, exchange, transaction, script, virtualService);
  }

  LuaThread mainThread() {
    return mainThread;
  }

  ReadOnlyTable environmentMetatable() {
    return environmentMetatable;
  }

  /** What a transaction environment reads through to: the safe base, libraries and {@code avi}. */
  ReadOnlyTable library() {
    return library;
  }

  /** This thread's hook holder, pointed at the sandbox whose run is on the thread. */
  static Globals hooks() {
    return HOOKS.get().globals();
  }

  static ThreadHooks threadHooks() {
    return HOOKS.get();
  }

  ScriptRun current() {
    if (current == null) throw new LuaError("avi functions run only while a DataScript runs");
    return current;
  }

  /** Why a run failed. */
  record Failure(String reason, int line, String message, String luaStack, boolean poisoned) {}

  /**
   * Runs {@code chunk} for {@code run} in {@code environment}.
   *
   * @return null when the script ended normally or with a local reply (see {@link
   *     ScriptRun#reply()}), else why it failed
   */
  Failure run(
      ScriptRun run, ScriptChunk chunk, ScriptEnvironment environment, ScriptLimits limits) {
    SharedLibraries.installStringMetatable();
    environment.bindTo(this);
    ThreadHooks thread = HOOKS.get();
    Globals hooks = thread.globals();
    hooks.debuglib = limiter;
    hooks.running = mainThread;
    try {
      // inside the try: whatever throws here, the finally frees the sandbox for the next run
      current = run;
      errorTraceback = null;
      args.text = thread.text();
      run.text = thread.text();
      limiter.start(limits, thread);
      chunk.run(environment, thread);
      return null;
    } catch (ScriptExit e) {
      return null;
    } catch (ScriptAbort e) {
      String stack = e.luaStack() != null ? e.luaStack() : limiter.tracebackAtThrow();
      int line = e.luaStack() != null ? lineOf(stack) : limiter.lineAtThrow();
      return new Failure(
          e.kind().name().toLowerCase(java.util.Locale.ROOT), line, e.getMessage(), stack, true);
    } catch (LuaError e) {
      String message = String.valueOf(e.getMessage());
      Matcher m = POSITION.matcher(message);
      int line = m.matches() ? Integer.parseInt(m.group(2)) : limiter.lineAtThrow();
      String stack = errorTraceback != null ? errorTraceback : limiter.tracebackAtThrow();
      return new Failure("error", line, message, stack, false);
    } catch (StackOverflowError e) {
      return new Failure(
          "call_depth", limiter.lineAtThrow(), "stack overflow", limiter.tracebackAtThrow(), true);
    } catch (OutOfMemoryError e) {
      // what the run held is garbage now; the heap is the process's, not this request's
      return new Failure(
          "memory",
          limiter.lineAtThrow(),
          "out of memory: " + e.getMessage(),
          limiter.tracebackAtThrow(),
          true);
    } catch (Throwable e) {
      // a defect of LuaJ or of a binding: it still ends only this request
      return new Failure(
          "internal",
          limiter.lineAtThrow(),
          "internal error: " + e,
          limiter.tracebackAtThrow() + "\njava: " + javaFrames(e),
          true);
    } finally {
      current = null;
      args.of(null, null); // holds no request's values past the run
      limiter.finish();
    }
  }

  /** The innermost Java frames of an unexpected error, for the failure record. */
  private static String javaFrames(Throwable e) {
    StringBuilder out = new StringBuilder(e.toString());
    StackTraceElement[] frames = e.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, 8); i++) out.append("\n\tat ").append(frames[i]);
    return out.toString();
  }

  /** The line of the innermost frame of a traceback produced by {@link RunLimiter}. */
  private static int lineOf(String traceback) {
    Matcher m = TRACEBACK_LINE.matcher(traceback);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
