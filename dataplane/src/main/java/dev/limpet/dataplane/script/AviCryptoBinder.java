package dev.limpet.dataplane.script;

import static dev.limpet.dataplane.script.Namespace.REQUEST_RESPONSE;

import dev.limpet.contract.DataScriptApi;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.function.Supplier;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code avi.crypto}: Avi's {@code encrypt(plaintext, key [, iv [, algo]])} and {@code
 * decrypt(ciphertext, key [, iv [, algo]])}, CBC with PKCS#7 padding: AES-128/192/256 by the key's
 * length ({@code avi.CIPHER_AES}, the default) or 3DES ({@code avi.CIPHER_3DES}, a 24-byte key).
 * The key is the name of one of the DataScript's {@code cryptoKeys} (its bytes from a Kubernetes
 * Secret), or else, as in Avi, the key's bytes themselves. Input and output are raw bytes.
 */
final class AviCryptoBinder {
  static final int AES = DataScriptApi.CONSTANTS.get("CIPHER_AES");
  static final int TRIPLE_DES = DataScriptApi.CONSTANTS.get("CIPHER_3DES");

  /** Avi's default IV (3DES, whose blocks are 8 bytes, uses its first 8 bytes). */
  static final byte[] DEFAULT_IV = "0123456789012345".getBytes(StandardCharsets.US_ASCII);

  private AviCryptoBinder() {}

  static ReadOnlyTable bind(Supplier<ScriptRun> runs) {
    return new ReadOnlyTable(
        new Namespace("avi.crypto", runs)
            .add("encrypt", REQUEST_RESPONSE, (run, args) -> crypt(run, args, Cipher.ENCRYPT_MODE))
            .add("decrypt", REQUEST_RESPONSE, (run, args) -> crypt(run, args, Cipher.DECRYPT_MODE))
            .table());
  }

  /** The result, or for a decryption that fails (wrong key, tampered input), nil. */
  private static Varargs crypt(ScriptRun run, Args args, int mode) {
    byte[] input = args.bytes(1);
    byte[] key = key(run, args);
    int algorithm = args.isNil(4) ? AES : (int) args.whole(4);
    String transformation;
    String keyAlgorithm;
    int block;
    if (algorithm == AES) {
      if (key.length != 16 && key.length != 24 && key.length != 32)
        throw args.bad(2, "an AES key is 16, 24 or 32 bytes, got " + key.length);
      transformation = "AES/CBC/PKCS5Padding";
      keyAlgorithm = "AES";
      block = 16;
    } else if (algorithm == TRIPLE_DES) {
      if (key.length != 24) throw args.bad(2, "a 3DES key is 24 bytes, got " + key.length);
      transformation = "DESede/CBC/PKCS5Padding";
      keyAlgorithm = "DESede";
      block = 8;
    } else {
      throw args.bad(4, "avi.CIPHER_AES or avi.CIPHER_3DES expected, got " + algorithm);
    }
    byte[] iv = args.isNil(3) ? Arrays.copyOf(DEFAULT_IV, block) : args.bytes(3);
    if (iv.length != block)
      throw args.bad(3, "the IV is " + block + " bytes for this algorithm, got " + iv.length);
    RunLimiter.active().chargeBytes(input.length);
    if (mode == Cipher.ENCRYPT_MODE)
      BoundedStrings.building("avi.crypto.encrypt", input.length + (long) block);
    try {
      Cipher cipher = Cipher.getInstance(transformation);
      cipher.init(mode, new SecretKeySpec(key, keyAlgorithm), new IvParameterSpec(iv));
      return LuaString.valueUsing(cipher.doFinal(input));
    } catch (BadPaddingException | IllegalBlockSizeException e) {
      return LuaValue.NIL; // not a ciphertext of this key: the script decides what follows
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has " + transformation, e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** A declared key's bytes, or the argument's own bytes (Avi's literal key). */
  private static byte[] key(ScriptRun run, Args args) {
    byte[] literal = args.bytes(2);
    byte[] declared = run.script.cryptoKey(new String(literal, StandardCharsets.ISO_8859_1));
    return declared != null ? declared : literal;
  }
}
