package dev.limpet.dataplane.script;

import java.util.concurrent.ThreadLocalRandom;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code math.random} without shared state: LuaJ's keeps one generator that {@code math.randomseed}
 * would reseed for every request of the process. Here each call draws from the calling thread's
 * generator, and {@code randomseed} is accepted and ignored.
 */
final class SharedRandom {
  private SharedRandom() {}

  static LuaTable replace(LuaTable math) {
    math.rawset("random", new Random());
    math.rawset("randomseed", new Ignored());
    return math;
  }

  /** Lua 5.2's {@code math.random([m [, n]])}. */
  private static final class Random extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      return switch (args.narg()) {
        case 0 -> LuaValue.valueOf(random.nextDouble());
        case 1 -> between(random, 1, args.checklong(1));
        default -> between(random, args.checklong(1), args.checklong(2));
      };
    }

    private static LuaValue between(ThreadLocalRandom random, long low, long high) {
      if (low > high) throw new LuaError("bad argument to 'random' (interval is empty)");
      return LuaInteger.valueOf(random.nextLong(low, high + 1));
    }
  }

  private static final class Ignored extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      return NONE;
    }
  }
}
