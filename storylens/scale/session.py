"""The Spark session storylens runs in: local mode bound to loopback, or spark-submit's."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ARROW_BATCH = 128  # articles per Arrow batch through the NLP steps


class SparkUnavailable(Exception):
    """pyspark or Java is missing; the message says which and how to get it."""


def session(master: str | None = None, app: str = "storylens"):
    """A Spark session; `master` like local[2] or spark://host:7077 (spark-submit's when None,
    else local[*]). In local mode the driver binds to loopback only."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable("pyspark is not installed: pip install 'storylens[spark]'") from exc
    if not java_available():
        raise SparkUnavailable("Spark needs Java 17 or newer (JAVA_HOME or java on the PATH)")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    builder = builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", str(ARROW_BATCH))
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    # Plans over inline tables (entities, quotes) print long; their text only serves the UI.
    builder = builder.config("spark.sql.maxPlanStringLength", "100000")
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[*]"  # not under spark-submit, which would have started the JVM and said where
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # loopback only, before the JVM starts
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
        builder = builder.config("spark.ui.enabled", "false")
        partitions = os.environ.get("STORYLENS_SPARK_PARTITIONS", "8")
        builder = builder.config("spark.sql.shuffle.partitions", partitions)
        # In local mode the driver is the executor: give it room (spark-submit sets its own).
        builder = builder.config("spark.driver.memory", os.environ.get("STORYLENS_SPARK_MEMORY", "4g"))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("STORYLENS_SPARK_LOG", "ERROR"))
    return spark


def java_available() -> bool:
    from shutil import which

    home = os.environ.get("JAVA_HOME")
    return bool((home and Path(home, "bin", "java").exists()) or which("java"))
