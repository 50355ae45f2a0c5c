"""Integrations with crawling and processing frameworks (Scrapy, Spark, ...).

    spark.py    a Spark job cleaning the HTML responses of WARC files (`spark` extra)

An integration uses only the public API (`detector.Detector`, `detector.Options`,
`detector.output`) and the reading and batch functions the CLI uses (`reading`,
`batch.clean_source`, the CLI's option flags), so it can never reach past a stage.
"""
