package io.starling.net.fault;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Applies a {@link FaultInjector}'s rules to calls this node makes to one peer: a dropped call
 * fails at once with UNAVAILABLE without reaching the wire; a delayed call starts (and sends
 * everything) {@code delayMs} late; a duplicated unary call is sent a second time, its answer
 * discarded, so the peer sees the request twice.
 */
public final class FaultInjectingClientInterceptor implements ClientInterceptor {
    private final FaultInjector faults;
    private final String self;
    private final String peer;
    private final ScheduledExecutorService timer;

    /**
     * @param self this node's id (the caller)
     * @param peer the id of the node this channel reaches (the callee)
     * @param timer runs delayed calls
     */
    public FaultInjectingClientInterceptor(FaultInjector faults, String self, String peer,
                                           ScheduledExecutorService timer) {
        this.faults = faults;
        this.self = self;
        this.peer = peer;
        this.timer = timer;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        FaultInjector.Decision d = faults.decide(self, peer);
        if (d.isPass()) {
            return next.newCall(method, options);
        }
        if (d.drop()) {
            return new DroppedCall<>("call " + method.getBareMethodName() + " from " + self + " to " + peer
                    + " dropped by fault injection");
        }
        ClientCall<Q, R> call = next.newCall(method, options);
        if (d.duplicate() && method.getType() == MethodDescriptor.MethodType.UNARY) {
            call = new DuplicatingCall<>(call, () -> next.newCall(method, options));
        }
        if (d.delayMs() > 0) {
            call = new DelayedCall<>(call, d.delayMs(), timer);
        }
        return call;
    }

    /** A call that never reaches the wire. */
    private static final class DroppedCall<Q, R> extends ClientCall<Q, R> {
        private final String reason;

        DroppedCall(String reason) {
            this.reason = reason;
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            listener.onClose(Status.UNAVAILABLE.withDescription(reason), new Metadata());
        }

        @Override
        public void request(int numMessages) {
        }

        @Override
        public void cancel(String message, Throwable cause) {
        }

        @Override
        public void halfClose() {
        }

        @Override
        public void sendMessage(Q message) {
        }
    }

    /** Forwards every operation, in order, once a delay has passed. */
    private static final class DelayedCall<Q, R> extends ClientCall<Q, R> {
        private final ClientCall<Q, R> delegate;
        private List<Runnable> pending = new ArrayList<>();
        private boolean released;

        DelayedCall(ClientCall<Q, R> delegate, long delayMs, ScheduledExecutorService timer) {
            this.delegate = delegate;
            timer.schedule(this::release, delayMs, TimeUnit.MILLISECONDS);
        }

        private void release() {
            while (true) {
                List<Runnable> batch;
                synchronized (this) {
                    if (pending.isEmpty()) {
                        released = true;
                        return;
                    }
                    batch = pending;
                    pending = new ArrayList<>();
                }
                batch.forEach(Runnable::run);
            }
        }

        private void run(Runnable op) {
            synchronized (this) {
                if (!released) {
                    pending.add(op);
                    return;
                }
            }
            op.run();
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            run(() -> delegate.start(listener, headers));
        }

        @Override
        public void request(int numMessages) {
            run(() -> delegate.request(numMessages));
        }

        @Override
        public void cancel(String message, Throwable cause) {
            run(() -> delegate.cancel(message, cause));
        }

        @Override
        public void halfClose() {
            run(delegate::halfClose);
        }

        @Override
        public void sendMessage(Q message) {
            run(() -> delegate.sendMessage(message));
        }

        @Override
        public synchronized boolean isReady() {
            return released && delegate.isReady();
        }
    }

    /** Sends a unary request a second time on a shadow call whose outcome is ignored. */
    private static final class DuplicatingCall<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
        private final java.util.function.Supplier<ClientCall<Q, R>> shadowFactory;
        private Metadata headers;
        private Q message;

        DuplicatingCall(ClientCall<Q, R> delegate, java.util.function.Supplier<ClientCall<Q, R>> shadowFactory) {
            super(delegate);
            this.shadowFactory = shadowFactory;
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            this.headers = new Metadata();
            this.headers.merge(headers);
            super.start(listener, headers);
        }

        @Override
        public void sendMessage(Q message) {
            this.message = message;
            super.sendMessage(message);
        }

        @Override
        public void halfClose() {
            super.halfClose();
            if (message != null) {
                ClientCall<Q, R> shadow = shadowFactory.get();
                shadow.start(new Listener<>() {
                }, headers);
                shadow.request(1);
                shadow.sendMessage(message);
                shadow.halfClose();
            }
        }
    }
}
