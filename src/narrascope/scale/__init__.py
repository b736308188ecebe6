"""Scaling out: the same pipeline as an Apache Spark job (`narrascope spark`)."""

from .job import JobResult, create_session, failures_path_for, run_job

__all__ = ["run_job", "create_session", "failures_path_for", "JobResult"]
