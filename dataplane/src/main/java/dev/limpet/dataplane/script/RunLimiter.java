package dev.limpet.dataplane.script;

import dev.limpet.dataplane.script.ScriptAbort.Kind;
import java.lang.management.ManagementFactory;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * Enforces {@link ScriptLimits} on one thread's runs and knows where the script is. LuaJ's
 * interpreter calls these hooks on whatever {@code Globals.debuglib} its closures see; this
 * replaces LuaJ's own debug library (whose call stack is synchronized on every instruction) by a
 * plain array of frames, and throws a {@link ScriptAbort}, which neither {@code pcall} nor the VM
 * catches. Confined to one thread; never exposed to scripts as {@code debug}.
 */
final class RunLimiter extends DebugLib {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int SLOW_CHECK_MASK = 1023;

  /** Frames shown in a Lua stack; deeper ones are elided as Lua's traceback does. */
  private static final int STACK_LINES = 12;

  private final Prototype[] protos;
  private final LuaValue[][] stacks;
  private final int[] pcs;
  private int depth;
  private int deepest;

  /**
   * Frames are not cleared on return, so after an abort has unwound them this many still show where
   * it was thrown: the depth before the latest run of consecutive returns.
   */
  private int depthAtThrow;

  private boolean returning;

  private ScriptLimits limits = ScriptLimits.DEFAULT;
  private long instructions;
  private long deadlineNanos;
  private long allocatedAtStart;

  RunLimiter(int maxCallDepth) {
    protos = new Prototype[maxCallDepth];
    stacks = new LuaValue[maxCallDepth][];
    pcs = new int[maxCallDepth];
  }

  /**
   * The thread's hooks while this limiter's run is on it: the standard libraries are one copy
   * shared by every thread (LuaJ keeps the string metatable in a static field), so a library
   * function that loops or allocates in Java finds the budget of the run calling it there ({@link
   * #active}).
   */
  private ScriptSandbox.ThreadHooks thread;

  /** Resets the counters for a new run on this thread. */
  void start(ScriptLimits limits) {
    start(limits, ScriptSandbox.threadHooks());
  }

  /** Resets the counters for a new run on the thread whose hooks are {@code thread}. */
  void start(ScriptLimits limits, ScriptSandbox.ThreadHooks thread) {
    if (limits.callDepth() > protos.length)
      throw new IllegalArgumentException("call depth above this limiter's capacity");
    this.limits = limits;
    instructions = 0;
    depth = 0;
    deepest = 0;
    depthAtThrow = 0;
    returning = false;
    deadlineNanos = System.nanoTime() + limits.wallClock().toNanos();
    allocatedAtStart = THREADS.getCurrentThreadAllocatedBytes();
    this.thread = thread;
    thread.active = this;
  }

  /**
   * The limiter of the run on this thread.
   *
   * @throws LuaError outside a run: the libraries are reachable from DataScripts only
   */
  static RunLimiter active() {
    RunLimiter limiter = ScriptSandbox.threadHooks().active;
    if (limiter == null) throw new LuaError("library functions run only while a DataScript runs");
    return limiter;
  }

  ScriptLimits limits() {
    return limits;
  }

  /**
   * Counts {@code steps} of work a library function does in Java against the instruction budget,
   * checking time and memory as often as the interpreter does.
   */
  void charge(long steps) {
    long before = instructions;
    instructions += steps;
    if (instructions > limits.instructions())
      throw abort(
          Kind.INSTRUCTIONS, "instruction budget of " + limits.instructions() + " exceeded");
    if ((before | SLOW_CHECK_MASK) != (instructions | SLOW_CHECK_MASK)) checkTimeAndMemory();
  }

  /** Charges building a value of {@code bytes}: one instruction per 64 bytes. */
  void chargeBytes(long bytes) {
    charge(1 + bytes / ScriptLimits.BYTES_PER_INSTRUCTION);
  }

  /** Refuses, before it is built, a string longer than {@link ScriptLimits#maxStringBytes}. */
  void checkString(String function, long bytes) {
    if (bytes > limits.maxStringBytes())
      throw new ScriptAbort(
          Kind.MEMORY,
          function
              + " would build a string of "
              + bytes
              + " bytes, over the limit of "
              + limits.maxStringBytes(),
          null);
  }

  /** Refuses, before they are built, more results than {@link ScriptLimits#maxResults}. */
  void checkResults(String function, long count) {
    if (count > limits.maxResults())
      throw new ScriptAbort(
          Kind.MEMORY,
          function
              + " would return "
              + count
              + " values, over the limit of "
              + limits.maxResults()
              + " values",
          null);
  }

  /** Drops the references a finished run left in the frame arrays. */
  void finish() {
    java.util.Arrays.fill(stacks, 0, deepest, null);
    java.util.Arrays.fill(protos, 0, deepest, null);
    depth = 0;
    if (thread != null) {
      if (thread.active == this) thread.active = null;
      thread = null;
    }
  }

  @Override
  public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
    push(c.p, stack);
  }

  @Override
  public void onCall(LuaFunction f) {
    push(null, null);
  }

  private void push(Prototype p, LuaValue[] stack) {
    // checked before pushing: LuaJ calls this outside the try whose finally calls onReturn
    if (depth >= limits.callDepth())
      throw abort(Kind.CALL_DEPTH, "call depth exceeds " + limits.callDepth());
    returning = false;
    protos[depth] = p;
    stacks[depth] = stack;
    pcs[depth] = 0;
    if (++depth > deepest) deepest = depth;
  }

  @Override
  public void onReturn() {
    if (!returning) depthAtThrow = depth;
    returning = true;
    if (depth > 0) {
      depth--;
      stacks[depth] = null;
    }
  }

  @Override
  public void onInstruction(int pc, Varargs v, int top) {
    returning = false;
    int d = depth - 1;
    if (d < 0) return;
    pcs[d] = pc;
    if (++instructions > limits.instructions())
      throw abort(
          Kind.INSTRUCTIONS, "instruction budget of " + limits.instructions() + " exceeded");
    if ((instructions & SLOW_CHECK_MASK) == 0) checkTimeAndMemory();
    Prototype p = protos[d];
    if (p != null && Lua.GET_OPCODE(p.code[pc]) == Lua.OP_CONCAT)
      checkConcat(stacks[d], p.code[pc]);
  }

  private void checkTimeAndMemory() {
    if (System.nanoTime() - deadlineNanos > 0)
      throw abort(Kind.WALL_CLOCK, "wall-clock limit of " + limits.wallClock().toMillis() + " ms");
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedAtStart;
    if (allocated > limits.allocatedBytes())
      throw abort(
          Kind.MEMORY,
          "allocated " + allocated + " bytes, over the limit of " + limits.allocatedBytes());
  }

  /** Refuses a concatenation whose result would exceed the longest allowed string. */
  private void checkConcat(LuaValue[] stack, int instruction) {
    long length = 0;
    for (int r = Lua.GETARG_B(instruction); r <= Lua.GETARG_C(instruction); r++)
      length += BoundedStrings.textLength(stack[r]);
    if (length > limits.maxStringBytes())
      throw abort(
          Kind.MEMORY,
          "concatenation of "
              + length
              + " bytes exceeds the "
              + limits.maxStringBytes()
              + "-byte limit for one string");
    // one instruction to the interpreter, however long: count the copy it makes
    if (length > ScriptLimits.BYTES_PER_INSTRUCTION) chargeBytes(length);
  }

  private ScriptAbort abort(Kind kind, String message) {
    return new ScriptAbort(kind, message, traceback());
  }

  /** The line the script is executing (the caller's line while a library function runs). */
  int currentLine() {
    return line(depth);
  }

  /** The line where the error now unwinding the run was thrown. */
  int lineAtThrow() {
    return line(returning ? depthAtThrow : depth);
  }

  /** The Lua stack where the error now unwinding the run was thrown. */
  String tracebackAtThrow() {
    return stackOf(returning ? depthAtThrow : depth);
  }

  private int line(int frames) {
    for (int d = frames - 1; d >= 0; d--) if (protos[d] != null) return line(protos[d], pcs[d]);
    return 0;
  }

  /** Lua's {@code stack traceback:} text for the current frames. */
  String traceback() {
    return stackOf(depth);
  }

  private String stackOf(int frames) {
    StringBuilder out = new StringBuilder("stack traceback:");
    for (int d = frames - 1, shown = 0; d >= 0; d--, shown++) {
      if (shown == STACK_LINES && d > STACK_LINES / 2) {
        out.append("\n\t...");
        d = STACK_LINES / 2;
      }
      Prototype p = protos[d];
      if (p == null) out.append("\n\t[Java]: in ?");
      else
        out.append("\n\t")
            .append(p.source.tojstring())
            .append(':')
            .append(line(p, pcs[d]))
            .append(": in ")
            .append(p.linedefined == 0 ? "main chunk" : "function <line " + p.linedefined + ">");
    }
    return out.toString();
  }

  @Override
  public String traceback(int level) {
    return traceback();
  }

  private static int line(Prototype p, int pc) {
    return p.lineinfo != null && pc >= 0 && pc < p.lineinfo.length ? p.lineinfo[pc] : 0;
  }
}
