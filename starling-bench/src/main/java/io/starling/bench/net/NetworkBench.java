package io.starling.bench.net;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.core.aggregate.AggregationRule;
import io.starling.core.aggregate.AggregationRules;
import io.starling.core.aggregate.Contribution;
import io.starling.core.param.ParamVector;
import io.starling.net.aggregator.AggregatorBackend;
import io.starling.net.aggregator.AggregatorService;
import io.starling.net.aggregator.UpdateSubmission;
import io.starling.net.blob.BlobClient;
import io.starling.net.blob.BlobDigest;
import io.starling.net.blob.BlobService;
import io.starling.net.blob.BlobStore;
import io.starling.net.model.TaskView;
import io.starling.net.proto.AggregatorGrpc;
import io.starling.net.proto.Announcement;
import io.starling.net.proto.ModelRef;
import io.starling.net.proto.SubmitUpdateRequest;
import io.starling.net.transport.LocalNode;
import io.starling.net.transport.NetServer;
import io.starling.net.transport.PeerChannels;
import io.starling.net.transport.TransportOptions;
import io.starling.protocol.NodeId;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Network benchmark, written to {@code bench/results/network.json}.
 *
 * <ol>
 *   <li><b>Blob transfer over loopback</b>: upload (Blob.Put: 1 MiB chunks, disk write, SHA-256
 *   verification, fsync, atomic rename) and download (Blob.Fetch into the local store, verified)
 *   of 10 MB and 100 MB models, against a raw TCP socket copy of the same bytes in the same run
 *   (to memory, and to a file with fsync). Best of {@value #REPEATS} runs each.</li>
 *   <li><b>Aggregator throughput</b>: 50 concurrent clients each upload a fresh 1M-parameter
 *   model and submit it; a single aggregation thread applies FedBuff (k = 10) to accepted updates.
 *   Compared with the same FedBuff loop on pre-decoded vectors with no RPC.</li>
 * </ol>
 *
 * <p>Usage: {@code NetworkBench [output.json [all|transfer|aggregator]]}; run by {@code ./mvnw -B
 * -pl starling-bench -am package -DskipTests -Pbench-network}. The machine's 1-minute load average
 * at start and end goes into the report, since other jobs share it.
 */
public final class NetworkBench {
    private static final int REPEATS = 5;
    private static final int DIM = 1_000_000;
    private static final int CLIENTS = 50;
    private static final int UPDATES_PER_CLIENT = 6;
    private static final String FEDBUFF = "fedbuff:k=10,lr=1.0";

    private NetworkBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/network.json");
        Path work = Files.createTempDirectory("starling-netbench");
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode report = json.createObjectNode();
        report.put("benchmark", "network");
        report.put("timestamp", Instant.now().toString());
        report.put("java_version", System.getProperty("java.version"));
        report.put("available_processors", Runtime.getRuntime().availableProcessors());
        report.put("note", "loopback 127.0.0.1, plaintext gRPC; one untimed 10 MB warm-up, then best of " + REPEATS
                + " runs; machine shared with other jobs");
        String parts = args.length > 1 ? args[1] : "all";
        report.put("load_average_1m_at_start", loadAverage());
        try {
            if (!parts.equals("aggregator")) {
                transferBench(work.resolve("warmup"), 10_000_000, json);
                ObjectNode transfer = report.putObject("blob_transfer");
                for (int mb : new int[] {10, 100}) {
                    transfer.set(mb + "MB", transferBench(work, mb * 1_000_000, json));
                }
            }
            if (!parts.equals("transfer")) {
                report.set("aggregator_throughput", aggregatorBench(work, json));
            }
        } finally {
            deleteTree(work);
        }
        report.put("load_average_1m_at_end", loadAverage());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json.writeValueAsString(report));
        System.out.println(json.writeValueAsString(report));
    }

    private static ObjectNode transferBench(Path work, int bytes, ObjectMapper json) throws Exception {
        byte[] payload = new byte[bytes];
        double uploadBest = Double.MAX_VALUE;
        double downloadBest = Double.MAX_VALUE;
        double tcpMemBest = Double.MAX_VALUE;
        double tcpFileBest = Double.MAX_VALUE;
        double tcpGuardedBest = Double.MAX_VALUE;
        double shaBest = Double.MAX_VALUE;
        LocalNode client = LocalNode.of("bench-client", "");
        for (int run = 0; run < REPEATS; run++) {
            new Random(run).nextBytes(payload);
            BlobStore serverStore = BlobStore.open(work.resolve("server-" + bytes + "-" + run));
            BlobStore clientStore = BlobStore.open(work.resolve("client-" + bytes + "-" + run));
            try (NetServer server = NetServer.builder("127.0.0.1", 0, TransportOptions.defaults())
                    .addService(new BlobService(serverStore, LocalNode.of("bench-server", ""))).start();
                 PeerChannels channels = new PeerChannels(client, TransportOptions.defaults(), null)) {
                BlobClient blobs = BlobClient.of(channels.to(NodeId.of("bench-server"), server.address()), client);
                long t0 = System.nanoTime();
                BlobClient.UploadResult up = blobs.upload(payload);
                uploadBest = Math.min(uploadBest, seconds(t0));
                if (up.bytesSent() != bytes) {
                    throw new IllegalStateException("upload sent " + up.bytesSent() + " of " + bytes + " bytes");
                }
                t0 = System.nanoTime();
                blobs.downloadInto(clientStore, up.digest());
                downloadBest = Math.min(downloadBest, seconds(t0));
            }
            tcpMemBest = Math.min(tcpMemBest, rawTcpCopy(payload, null, false));
            tcpFileBest = Math.min(tcpFileBest, rawTcpCopy(payload, work.resolve("tcp-" + run + ".bin"), false));
            tcpGuardedBest = Math.min(tcpGuardedBest, rawTcpCopy(payload, work.resolve("tcp-sha-" + run + ".bin"), true));
            long t0 = System.nanoTime();
            BlobDigest.of(payload);
            shaBest = Math.min(shaBest, seconds(t0));
        }
        ObjectNode r = json.createObjectNode();
        r.put("bytes", bytes);
        r.put("grpc_upload_s", uploadBest);
        r.put("grpc_upload_mb_per_s", bytes / 1e6 / uploadBest);
        r.put("grpc_download_s", downloadBest);
        r.put("grpc_download_mb_per_s", bytes / 1e6 / downloadBest);
        r.put("raw_tcp_to_memory_s", tcpMemBest);
        r.put("raw_tcp_to_memory_mb_per_s", bytes / 1e6 / tcpMemBest);
        r.put("raw_tcp_to_file_fsync_s", tcpFileBest);
        r.put("raw_tcp_to_file_fsync_mb_per_s", bytes / 1e6 / tcpFileBest);
        r.put("upload_ratio_vs_raw_tcp_memory", tcpMemBest / uploadBest);
        r.put("download_ratio_vs_raw_tcp_memory", tcpMemBest / downloadBest);
        r.put("raw_tcp_sha256_to_file_fsync_s", tcpGuardedBest);
        r.put("raw_tcp_sha256_to_file_fsync_mb_per_s", bytes / 1e6 / tcpGuardedBest);
        r.put("sha256_alone_mb_per_s", bytes / 1e6 / shaBest);
        r.put("upload_ratio_vs_raw_tcp_file_fsync", tcpFileBest / uploadBest);
        r.put("upload_ratio_vs_raw_tcp_sha256_file_fsync", tcpGuardedBest / uploadBest);
        r.put("goal_ratio", 0.5);
        return r;
    }

    /**
     * Copies {@code payload} over a loopback socket; the receiver keeps it in memory or writes it to
     * {@code file} and fsyncs. With {@code hashed}, the copy also pays what a blob transfer must
     * (no gRPC): the sender hashes the bytes first (their content address) and the receiver hashes
     * what arrives and checks it before the fsync.
     */
    private static double rawTcpCopy(byte[] payload, Path file, boolean hashed) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BlobDigest expected = hashed ? BlobDigest.of(payload) : null;
            ExecutorService receiver = Executors.newSingleThreadExecutor();
            try {
                Future<Long> received = receiver.submit(() -> {
                    try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                        long total = 0;
                        MessageDigest sha = hashed ? BlobDigest.sha256() : null;
                        byte[] buf = new byte[1 << 20];
                        byte[] sink = file == null ? new byte[payload.length] : null;
                        FileChannel ch = file == null ? null : FileChannel.open(file, StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                        try {
                            int n;
                            while ((n = in.read(buf)) > 0) {
                                if (sha != null) {
                                    sha.update(buf, 0, n);
                                }
                                if (ch == null) {
                                    System.arraycopy(buf, 0, sink, (int) total, n);
                                } else {
                                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                                    while (b.hasRemaining()) {
                                        ch.write(b);
                                    }
                                }
                                total += n;
                            }
                            if (sha != null && !BlobDigest.fromRaw(sha.digest()).equals(expected)) {
                                throw new IllegalStateException("raw copy arrived corrupted");
                            }
                            if (ch != null) {
                                ch.force(true);
                            }
                        } finally {
                            if (ch != null) {
                                ch.close();
                            }
                        }
                        s.getOutputStream().write(1);
                        return total;
                    }
                });
                long t0 = System.nanoTime();
                if (hashed) {
                    BlobDigest.of(payload);
                }
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                    OutputStream os = s.getOutputStream();
                    os.write(payload);
                    s.shutdownOutput();
                    new DataInputStream(s.getInputStream()).readByte();
                }
                double secs = seconds(t0);
                if (received.get() != payload.length) {
                    throw new IllegalStateException("raw copy received " + received.get() + " bytes");
                }
                return secs;
            } finally {
                receiver.shutdownNow();
            }
        }
    }

    /** A backend that queues accepted updates for one aggregation thread applying FedBuff. */
    private static final class FedBuffBackend implements AggregatorBackend {
        private final BlockingQueue<UpdateSubmission> queue = new ArrayBlockingQueue<>(256);
        private final AtomicLong applied = new AtomicLong();
        private volatile TaskView task;

        FedBuffBackend(TaskView task) {
            this.task = task;
        }

        @Override
        public Optional<TaskView> task(String taskId) {
            return task.taskId().equals(taskId) ? Optional.of(task) : Optional.empty();
        }

        @Override
        public Set<String> taskIds() {
            return Set.of(task.taskId());
        }

        @Override
        public boolean submit(UpdateSubmission update) {
            try {
                queue.put(update);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return false;
        }

        @Override
        public AutoCloseable watch(String taskId, String watcher, long afterVersion, Consumer<Announcement> sink) {
            return () -> { };
        }

        void aggregateLoop(ParamVector global, int total) throws InterruptedException {
            AggregationRule rule = AggregationRules.parse(FEDBUFF);
            List<Contribution> buffer = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                UpdateSubmission u = queue.take();
                buffer.add(Contribution.ofDelta(u.model().minus(global), u.samples(), 0));
                if (buffer.size() == 10) {
                    global = rule.aggregate(global, buffer);
                    buffer.clear();
                }
                applied.incrementAndGet();
            }
        }
    }

    private static ObjectNode aggregatorBench(Path work, ObjectMapper json) throws Exception {
        int total = CLIENTS * UPDATES_PER_CLIENT;
        BlobStore store = BlobStore.open(work.resolve("aggregator"));
        ParamVector global = ParamVector.zeros(DIM);
        byte[] globalBytes = global.toBytes();
        TaskView task = new TaskView("bench", "logreg", DIM, "f32", 1_000_000, "async", 0,
                store.put(globalBytes), globalBytes.length);
        FedBuffBackend backend = new FedBuffBackend(task);
        LocalNode self = LocalNode.of("aggregator", "");
        double rpcSeconds;
        try (NetServer server = NetServer.builder("127.0.0.1", 0, TransportOptions.defaults())
                .addService(new AggregatorService(backend, store, self))
                .addService(new BlobService(store, self)).start()) {
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                done.add(clients.submit(() -> {
                    LocalNode me = LocalNode.of("client-" + id, "");
                    try (PeerChannels channels = new PeerChannels(me, TransportOptions.defaults(), null)) {
                        var ch = channels.to(NodeId.of("aggregator"), server.address());
                        BlobClient blobs = BlobClient.of(ch, me);
                        var stub = AggregatorGrpc.newBlockingStub(ch);
                        float[] w = new float[DIM];
                        start.await();
                        for (int u = 0; u < UPDATES_PER_CLIENT; u++) {
                            w[0] = id * 1000 + u;
                            w[1 + u] = 0.01f * id;
                            byte[] bytes = ParamVector.wrap(w).toBytes();
                            BlobClient.UploadResult up = blobs.upload(bytes);
                            stub.submitUpdate(SubmitUpdateRequest.newBuilder().setHeader(me.header())
                                    .setTaskId("bench").setUpdateId("c" + id + "-u" + u).setBaseVersion(0)
                                    .setModel(ModelRef.newBuilder().setDigest(up.digest().hex())
                                            .setSizeBytes(bytes.length).setDimension(DIM).setCodec("f32"))
                                    .setNumSamples(100).setTrainLoss(0.5).build());
                        }
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            Thread aggregator = new Thread(() -> {
                try {
                    backend.aggregateLoop(global, total);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "aggregator");
            aggregator.start();
            for (Future<?> f : done) {
                f.get();
            }
            aggregator.join();
            rpcSeconds = seconds(t0);
            clients.shutdown();
        }

        List<ParamVector> decoded = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            float[] w = new float[DIM];
            w[0] = i;
            decoded.add(ParamVector.wrap(w));
        }
        AggregationRule rule = AggregationRules.parse(FEDBUFF);
        double mathBest = Double.MAX_VALUE;
        for (int rep = 0; rep < REPEATS; rep++) {
            ParamVector g = ParamVector.zeros(DIM);
            List<Contribution> buffer = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < total; i++) {
                buffer.add(Contribution.ofDelta(decoded.get(i % decoded.size()).minus(g), 100, 0));
                if (buffer.size() == 10) {
                    g = rule.aggregate(g, buffer);
                    buffer.clear();
                }
            }
            mathBest = Math.min(mathBest, seconds(t0));
        }

        ObjectNode r = json.createObjectNode();
        r.put("model_parameters", DIM);
        r.put("model_bytes", DIM * 4L);
        r.put("concurrent_clients", CLIENTS);
        r.put("updates", total);
        r.put("rule", FEDBUFF);
        r.put("rpc_path", "Blob.Put (1 MiB chunks, SHA-256 verify, fsync, rename) + SubmitUpdate (read, verify, decode, NaN check) + FedBuff on one thread");
        r.put("rpc_seconds", rpcSeconds);
        r.put("rpc_accepted_updates_per_s", total / rpcSeconds);
        r.put("math_only_seconds", mathBest);
        r.put("math_only_updates_per_s", total / mathBest);
        r.put("rpc_fraction_of_math_only", (total / rpcSeconds) / (total / mathBest));
        r.put("network_bytes_in_per_s", total * DIM * 4.0 / rpcSeconds);
        return r;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double seconds(long startNs) {
        return (System.nanoTime() - startNs) / 1e9;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
