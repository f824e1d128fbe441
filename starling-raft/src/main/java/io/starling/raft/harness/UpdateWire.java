package io.starling.raft.harness;

import io.starling.core.param.ParamVector;
import io.starling.raft.aggregator.ClientUpdate;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Binary body of a harness {@code POST /submit}: update id, client id, base version, samples,
 * loss, then the model as {@code ParamVector.toBytes()}. Decoding checks every length against
 * the body size before allocating.
 */
final class UpdateWire {
    private UpdateWire() {
    }

    static byte[] encode(ClientUpdate u) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(u.model().size() * 4 + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeString(out, u.updateId());
            writeString(out, u.clientId());
            out.writeLong(u.baseVersion());
            out.writeDouble(u.samples());
            out.writeDouble(u.trainLoss());
            byte[] model = u.model().toBytes();
            out.writeInt(model.length);
            out.write(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ClientUpdate decode(byte[] body) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(body);
            String updateId = readString(buf);
            String clientId = readString(buf);
            long base = buf.getLong();
            double samples = buf.getDouble();
            double loss = buf.getDouble();
            int len = buf.getInt();
            if (len < 0 || len != buf.remaining() || len % 4 != 0) {
                throw new IllegalArgumentException("model length " + len + " does not match the " + buf.remaining()
                        + " remaining bytes (or is not a multiple of 4)");
            }
            byte[] model = new byte[len];
            buf.get(model);
            return new ClientUpdate(updateId, clientId, base, ParamVector.fromBytes(model), samples, loss);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("update body is truncated", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer buf) {
        int len = Short.toUnsignedInt(buf.getShort());
        if (len > buf.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] b = new byte[len];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
