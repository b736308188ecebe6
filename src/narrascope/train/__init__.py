"""Training of the task heads: one module per task, each with `train(data, out, seed) -> card`."""
