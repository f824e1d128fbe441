package io.starling.core.federated;

import io.starling.core.data.Dataset;
import io.starling.core.model.Model;
import java.util.List;

/**
 * What an in-process federated run trains: one model (its parameters are the initial global
 * model; the loops train a copy), the clients' local datasets, and the held-out test set every
 * round is evaluated on.
 *
 * @param model initial global model; not modified by the loops
 * @param clients one local dataset per client, each non-empty
 * @param test held-out evaluation data
 */
public record FederatedSetup(Model model, List<Dataset> clients, Dataset test) {
    public FederatedSetup {
        if (model == null || clients == null || test == null) {
            throw new IllegalArgumentException("model, clients and test must not be null");
        }
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("a federation needs at least one client");
        }
        clients = List.copyOf(clients);
        for (int i = 0; i < clients.size(); i++) {
            Dataset d = clients.get(i);
            if (d.size() == 0) {
                throw new IllegalArgumentException("client " + i + " has no training examples;"
                        + " use fewer clients or a partitioner that gives every client data");
            }
            if (d.featureDim() != test.featureDim() || d.numClasses() != test.numClasses()) {
                throw new IllegalArgumentException("client " + i + " data has " + d.featureDim() + " features and "
                        + d.numClasses() + " classes but the test set has " + test.featureDim() + " and "
                        + test.numClasses());
            }
        }
    }
}
