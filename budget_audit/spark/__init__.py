"""Apache Spark engine: the same read → normalize → measure → check code, one chunk of files per task.

    chunk.py   one chunk of inputs → submission rows + finding rows (pure pandas; no pyspark import)
    store.py   the Parquet tables (findings/, submissions/, summary.json) → the report dict, any local format
    engine.py  the Spark job: distribute the file list, mapInArrow over chunks, unique ids, Parquet
    job.py     `spark-submit budget_audit/spark/job.py …` entry point (also `check --engine spark`)
    gx_spark.py the committed GX suites on Spark DataFrames of the canonical tables

Importing this package imports neither pyspark nor great_expectations.
"""
