"""A local Spark session for the Spark engine tests (skipped without pyspark or Java)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


def _java() -> bool:
    home = os.environ.get("JAVA_HOME")
    return bool(
        shutil.which("java") or (home and os.path.exists(os.path.join(home, "bin", "java")))
    )


@pytest.fixture(scope="session")
def spark_installed() -> None:
    """Skip unless pyspark, pandas and Java are there (no session is started)."""
    pytest.importorskip("pyspark", reason="the Spark engine needs pyspark ([spark] extra)")
    pytest.importorskip("pandas", reason="the Spark engine needs pandas ([spark] extra)")
    if not _java():
        pytest.skip("the Spark engine needs Java (none on PATH or in JAVA_HOME)")


@pytest.fixture(scope="session")
def spark(spark_installed: None) -> Iterator[Any]:
    """One ``local[2]`` session for every Spark test (starting one costs seconds)."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("spindetect-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
