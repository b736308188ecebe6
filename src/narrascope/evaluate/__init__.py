"""Dataset readers, official metrics, prediction writers and the evaluation runner."""
